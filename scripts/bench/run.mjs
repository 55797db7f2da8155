// `npm run bench`: the performance figures of issue #6, measured side by side in one run on loopback. Two
// production servers from the same build: the upstream (the built-in sandboxes, as a provider in its own process)
// and the BFF (the console, whose built-in environments point at the upstream). Not part of `npm test`.
// See docs/benchmarks.md for what is measured and how.
import { randomBytes } from 'node:crypto';
import { ensureBuild, ensureDependencies } from '../ensure.mjs';
import {
  BCDA_LARGE_PRESET,
  BENCH_CLIENT_ID,
  ONEUP_PRESET,
  ONEUP_SEARCH_PATH,
  bffToken,
  directBcdaToken,
  directOneUpToken,
  exportEob,
  presetCredentials,
} from './flows.mjs';
import { createAgent, createBffUser } from './http.mjs';
import { measureFhirLatency, measureStreamingRss, measureThroughput, measureTokenExchange } from './measures.mjs';
import { describeMachine, terminalTable, writeResults } from './report.mjs';
import { commandLine, freePorts, pinProcesses, processTree, serverOutputs, startServer, stopServers } from './servers.mjs';
import { mb, mbps, mib, ms } from './stats.mjs';

/** ≈ 12.6 KB of ExplanationOfBenefit NDJSON per enrollee: 90,000 enrollees make a file of about 1.14 GB. */
const BENCH_ENROLLEES = 90_000;
const ONE_GIB = 1024 ** 3;
const CONCURRENCY = 32;
const MB = 1024 * 1024;

const targets = {
  latency: 1.1,
  throughput: 0.9,
  rssGrowth: 64 * MB,
  token: 1.2,
};

function step(message) {
  console.log(`> ${message}`);
}

/** The spread of a throughput measure: BFF / direct for each pair of runs (run i of each side), lowest to highest. */
function spread({ directRuns, bffRuns }) {
  const ratios = bffRuns.map((bff, i) => bff / directRuns[i]).sort((a, b) => a - b);
  return `BFF / direct per pair of runs ${ratios[0].toFixed(2)}–${ratios.at(-1).toFixed(2)}×`;
}

async function main() {
  const startedAt = new Date();
  ensureDependencies();
  ensureBuild();
  const machine = describeMachine();

  const sessionSecret = randomBytes(32).toString('hex');
  const benchSecret = randomBytes(24).toString('hex');
  const [upstreamPort, bffPort] = await freePorts(2);
  step(`Starting the upstream sandbox (127.0.0.1:${upstreamPort}) and the BFF (127.0.0.1:${bffPort})…`);
  const [upstream, bff] = await Promise.all([
    startServer({
      name: 'upstream',
      port: upstreamPort,
      readyPath: '/sandbox/bcda/_version',
      env: { SESSION_SECRET: sessionSecret, BCDA_SANDBOX_BENCH_ENROLLEES: String(BENCH_ENROLLEES), BCDA_SANDBOX_BENCH_SECRET: benchSecret },
    }),
    startServer({
      name: 'BFF',
      port: bffPort,
      readyPath: '/sandbox/bcda/_version',
      env: { SESSION_SECRET: sessionSecret, CONSOLE_INTERNAL_ORIGIN: `http://127.0.0.1:${upstreamPort}` },
    }),
  ]);
  const bffTree = processTree(bff.pid);
  step(`BFF: pid ${bff.pid} (${commandLine(bff.pid)}), ${bffTree.length} process(es) in its tree.`);
  const pinning = pinProcesses({ upstreamPid: upstream.pid, consolePids: [...bffTree, process.pid], cpuCount: machine.cores });
  step(`CPUs: ${pinning}.`);

  const agents = { direct: createAgent(CONCURRENCY), bff: createAgent(CONCURRENCY) };
  const oneUp = { ...presetCredentials('oneuphealth.ts', ONEUP_PRESET), presetId: ONEUP_PRESET };
  const large = presetCredentials('bcda.ts', BCDA_LARGE_PRESET);
  const benchAco = { clientId: BENCH_CLIENT_ID, clientSecret: benchSecret };

  step('Setting up: BCDA exports (extra-large preset, bench ACO), tokens for 32 direct clients and 32 console sessions…');
  const largeToken = await directBcdaToken(upstream.origin, large, agents.direct);
  const benchToken = await directBcdaToken(upstream.origin, benchAco, agents.direct);
  const exports = Promise.all([exportEob(upstream.origin, largeToken, agents.direct), exportEob(upstream.origin, benchToken, agents.direct)]);
  const directTokens = [];
  const bffUsers = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    directTokens.push((await directOneUpToken(upstream.origin, oneUp, agents.direct)).token);
    const user = createBffUser(bff.origin, agents.bff);
    await bffToken(user, '1uphealth', { kind: 'preset', presetId: ONEUP_PRESET }, { forceNew: false });
    bffUsers.push(user);
  }
  const largeUser = createBffUser(bff.origin, agents.bff);
  await bffToken(largeUser, 'bcda', { kind: 'preset', presetId: BCDA_LARGE_PRESET }, { forceNew: false });
  const benchUser = createBffUser(bff.origin, agents.bff);
  await bffToken(benchUser, 'bcda', { kind: 'custom', ...benchAco }, { forceNew: false });
  const tokenUser = createBffUser(bff.origin, agents.bff);

  step('Token exchange (1upHealth client credentials), one at a time, alternating direct/BFF…');
  const token = await measureTokenExchange({ upstream: upstream.origin, agents, credentials: oneUp, bffUser: tokenUser, samples: 150, warmup: 20 });

  step(`FHIR search at ${CONCURRENCY} concurrent (1upHealth ${ONEUP_SEARCH_PATH}), alternating rounds…`);
  const latency = await measureFhirLatency({
    upstream: upstream.origin,
    agents,
    directTokens,
    bffUsers,
    concurrency: CONCURRENCY,
    perWorker: 10,
    rounds: 6,
    warmupRounds: 2,
  });

  const [largeFile, benchFile] = await exports;
  step('Bulk download of the extra-large preset’s ExplanationOfBenefit file, alternating direct/BFF, gzip off…');
  const throughput = await measureThroughput({ file: largeFile, directToken: largeToken, bffUser: largeUser, agents, runs: 4, acceptEncoding: 'identity' });
  step('The same download with gzip on (BCDA compresses; the client or the BFF decodes)…');
  const gzipThroughput = await measureThroughput({ file: largeFile, directToken: largeToken, bffUser: largeUser, agents, runs: 4, acceptEncoding: 'gzip, deflate' });
  if (gzipThroughput.encoding !== 'gzip') throw new Error(`The gzip download came back with ${gzipThroughput.encoding ?? 'no'} content-encoding.`);

  step('Streaming the bench ACO’s ExplanationOfBenefit file (≥ 1 GiB) through the BFF, sampling its RSS every 50 ms…');
  const rss = await measureStreamingRss({ serverPid: bff.pid, file: benchFile, bffUser: benchUser });
  if (rss.bytes < ONE_GIB) throw new Error(`The bench file has ${rss.bytes} bytes, less than 1 GiB: raise BENCH_ENROLLEES.`);

  await stopServers();
  const durationS = (Date.now() - startedAt.getTime()) / 1000;

  const ratio = (value) => `${value.toFixed(2)}×`;
  /** A download's row: the BFF's throughput as a share of a direct download's. */
  const throughputRow = (measure, { direct, bff }) => ({
    measure,
    direct: mbps(direct),
    bff: mbps(bff),
    figure: ratio(bff / direct),
    target: `≥ ${targets.throughput.toFixed(2)}×`,
    met: bff / direct >= targets.throughput,
  });
  const rows = [
    {
      measure: `FHIR search, median latency at ${CONCURRENCY} concurrent`,
      direct: ms(latency.direct),
      bff: ms(latency.bff),
      figure: ratio(latency.bff / latency.direct),
      target: `≤ ${targets.latency.toFixed(2)}×`,
      met: latency.bff / latency.direct <= targets.latency,
    },
    throughputRow('bulk NDJSON download, throughput', throughput),
    throughputRow('bulk NDJSON download, throughput, gzip', gzipThroughput),
    {
      measure: `BFF peak RSS growth, ${mb(rss.bytes)} streamed`,
      direct: '—',
      bff: `${mib(rss.baseline)} → ${mib(rss.peak)}`,
      figure: mib(rss.growth),
      target: `≤ ${mib(targets.rssGrowth)}`,
      met: rss.growth <= targets.rssGrowth,
    },
    {
      measure: 'token exchange, median',
      direct: ms(token.direct),
      bff: ms(token.bff),
      figure: ratio(token.bff / token.direct),
      target: `≤ ${targets.token.toFixed(2)}×`,
      met: token.bff / token.direct <= targets.token,
    },
    {
      measure: 'sandbox stream, 30,000 enrollees (EOB, direct)',
      direct: mbps(throughput.direct),
      bff: '—',
      figure: mbps(throughput.direct),
      target: 'hundreds of MB/s',
      met: null,
    },
  ];
  const details = [
    `CPUs: ${pinning}.`,
    `FHIR search: GET ${ONEUP_SEARCH_PATH} on 1upHealth's bison tenant (a Bundle of ${latency.entries} Patients, ${latency.bytes} bytes as sent by the upstream); ${CONCURRENCY} workers × 10 requests × 6 rounds per side = ${latency.n} samples per side.`,
    `Token exchange: ${token.n} samples per side, each a new token (checked), one request at a time.`,
    `Bulk download: ExplanationOfBenefit of BCDA preset ${BCDA_LARGE_PRESET} (30,000 enrollees), ${mb(throughput.bytes)} (${throughput.encoding ?? 'no'} content-encoding); runs direct ${throughput.directRuns.map(mbps).join(', ')}; BFF ${throughput.bffRuns.map(mbps).join(', ')}; ${spread(throughput)}.`,
    `Bulk download with gzip: the same file, BCDA compressing (zlib's default level, as Go's gzip writer) and the client or the BFF decoding, ${mb(gzipThroughput.bytes)} decoded; runs direct ${gzipThroughput.directRuns.map(mbps).join(', ')}; BFF ${gzipThroughput.bffRuns.map(mbps).join(', ')}; ${spread(gzipThroughput)}.`,
    `RSS: ${mb(rss.bytes)} (bench ACO, ${BENCH_ENROLLEES.toLocaleString('en-US')} enrollees) streamed through the BFF at ${mbps(rss.rate)}; ${rss.samples} samples of VmRSS over ${rss.processes} process(es); baseline ${mib(rss.baseline)} (median of an idle second after the warm-up), peak ${mib(rss.peak)}.`,
  ];

  console.log(`\n${terminalTable(rows)}\n`);
  for (const line of details) console.log(`  ${line}`);
  const file = writeResults({ rows, machine, details, startedAt, durationS });
  console.log(`\n> Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, ${machine.os}, Node ${machine.node}.`);
  console.log(`> Figures written to ${file} (${durationS.toFixed(0)} s).`);
  for (const agent of Object.values(agents)) agent.destroy();
  const missed = rows.filter((row) => row.met === false).map((row) => row.measure);
  if (missed.length > 0) console.log(`> Missed: ${missed.join('; ')}. docs/benchmarks.md says why.`);
}

main().catch(async (error) => {
  console.error(`\n> The bench failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(serverOutputs());
  await stopServers();
  process.exit(1);
});
