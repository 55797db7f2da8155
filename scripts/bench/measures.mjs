// The four measures. Every comparison alternates the direct and the BFF side (A B B A …) so that noise from the
// other work on this machine lands on both sides alike, and starts with warm-up rounds that are not counted.
import { ONEUP_SEARCH_PATH, bffDownload, bffToken, directDownload, directOneUpToken } from './flows.mjs';
import { send } from './http.mjs';
import { median } from './stats.mjs';
import { processTree, rssBytes } from './servers.mjs';

/** A B, B A, A B …: each side goes first equally often. */
function alternating(rounds, a, b) {
  const order = [];
  for (let i = 0; i < rounds; i++) order.push(...(i % 2 === 0 ? [a, b] : [b, a]));
  return order;
}

/** `concurrency` workers, each sending `perWorker` requests back to back; the latency of every request. */
async function concurrentRound(concurrency, perWorker, requestOnce) {
  const latencies = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; i < perWorker; i++) latencies.push(await requestOnce(worker));
    }),
  );
  return latencies;
}

/**
 * Median latency of the same FHIR search at `concurrency` in flight: direct (GET with the bearer token) vs
 * through `POST /api/fhir/1uphealth` (one console session per worker). Every answer is checked.
 */
export async function measureFhirLatency({ upstream, agents, directTokens, bffUsers, concurrency, perWorker, rounds, warmupRounds }) {
  const url = `${upstream}/sandbox/1uphealth${ONEUP_SEARCH_PATH}`;
  const direct = async (worker) => {
    const result = await send(url, {
      headers: { Authorization: `Bearer ${directTokens[worker]}`, Accept: 'application/fhir+json' },
      agent: agents.direct,
    });
    if (result.status !== 200 || !result.body.subarray(0, 40).toString('latin1').startsWith('{"resourceType":"Bundle"')) {
      throw new Error(`Direct FHIR search: HTTP ${result.status}, not a Bundle.`);
    }
    return result.ms;
  };
  const bff = async (worker) => {
    const result = await bffUsers[worker].post('/api/fhir/1uphealth', {
      environmentId: 'builtin',
      method: 'GET',
      path: ONEUP_SEARCH_PATH,
      headers: { Accept: 'application/fhir+json' },
    });
    // The DTO's first field is the upstream status: a 401 would be a proxied error, not a search.
    if (result.status !== 200 || !result.body.subarray(0, 20).toString('latin1').startsWith('{"status":200,')) {
      throw new Error(`BFF FHIR search: HTTP ${result.status} ${result.body.subarray(0, 200).toString('utf8')}`);
    }
    return result.ms;
  };
  // Warm-up answers are checked in full once: a Bundle with entries on both sides.
  const check = await bffUsers[0].post('/api/fhir/1uphealth', { environmentId: 'builtin', method: 'GET', path: ONEUP_SEARCH_PATH, headers: {} });
  const dto = JSON.parse(check.body.toString('utf8'));
  if (dto.json?.resourceType !== 'Bundle' || !Array.isArray(dto.json.entry) || dto.json.entry.length === 0) {
    throw new Error('BFF FHIR search did not return a Bundle with entries.');
  }
  for (const side of alternating(warmupRounds, direct, bff)) await concurrentRound(concurrency, perWorker, side);
  const samples = { direct: [], bff: [] };
  for (const side of alternating(rounds, 'direct', 'bff')) {
    samples[side].push(...(await concurrentRound(concurrency, perWorker, side === 'direct' ? direct : bff)));
  }
  return { direct: median(samples.direct), bff: median(samples.bff), n: samples.direct.length, entries: dto.json.entry.length, bytes: dto.size };
}

/**
 * Median time of one client-credentials exchange (1upHealth's Keycloak realm, RS256 JWT), one at a time: direct
 * form POST vs `POST /api/oauth/1uphealth/token` with `forceNew`. Every sample must be a new token.
 */
export async function measureTokenExchange({ upstream, agents, credentials, bffUser, samples, warmup }) {
  const seenDirect = new Set();
  const seenBff = new Set();
  const direct = async () => {
    const { token, ms } = await directOneUpToken(upstream, credentials, agents.direct);
    if (seenDirect.has(token)) throw new Error('The direct token endpoint returned a token it had issued before.');
    seenDirect.add(token);
    return ms;
  };
  const bff = async () => {
    const { fingerprint, reused, ms } = await bffToken(bffUser, '1uphealth', { kind: 'preset', presetId: credentials.presetId });
    if (reused || seenBff.has(fingerprint)) throw new Error('The BFF answered with a token it had handed out before, not a new exchange.');
    seenBff.add(fingerprint);
    return ms;
  };
  for (const side of alternating(warmup, direct, bff)) await side();
  const times = { direct: [], bff: [] };
  for (const side of alternating(samples, 'direct', 'bff')) times[side].push(await (side === 'direct' ? direct : bff)());
  return { direct: median(times.direct), bff: median(times.bff), n: times.direct.length };
}

/**
 * Throughput of one bulk file, downloaded whole, direct vs through the BFF, alternating, `runs` each after one
 * warm-up download per side. Throughput = decoded bytes / seconds from request to last byte. Both sides send the
 * same `Accept-Encoding`: with gzip, BCDA compresses and the client (direct) or the BFF decodes.
 */
export async function measureThroughput({ file, directToken, bffUser, agents, runs, acceptEncoding }) {
  const direct = () => directDownload(file.url, directToken, agents.direct, acceptEncoding);
  const bff = () => bffDownload(bffUser, file.path, acceptEncoding);
  await direct();
  await bff();
  const rates = { direct: [], bff: [] };
  let bytes = 0;
  let encoding = null;
  for (const side of alternating(runs, 'direct', 'bff')) {
    const result = await (side === 'direct' ? direct : bff)();
    if (bytes !== 0 && result.bytes !== bytes) throw new Error(`Downloads differ in size: ${result.bytes} vs ${bytes} bytes.`);
    bytes = result.bytes;
    encoding ??= result.encoding;
    rates[side].push(result.bytes / (result.ms / 1000));
  }
  return { direct: median(rates.direct), bff: median(rates.bff), directRuns: rates.direct, bffRuns: rates.bff, bytes, encoding };
}

/**
 * The BFF's resident memory while it streams `file` (≥ 1 GB) to this process: VmRSS of every process of the
 * server's tree sampled every `intervalMs`; baseline = median over an idle second before, growth = peak − baseline.
 */
export async function measureStreamingRss({ serverPid, file, bffUser, intervalMs = 50 }) {
  const pids = processTree(serverPid);
  const total = () => pids.reduce((sum, pid) => sum + (rssBytes(pid) || 0), 0);
  const idle = [];
  for (let i = 0; i < 20; i++) {
    idle.push(total());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const baseline = median(idle);
  let peak = baseline;
  let samples = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, total());
    samples++;
  }, intervalMs);
  try {
    const result = await bffDownload(bffUser, file.path, 'identity');
    peak = Math.max(peak, total());
    return { baseline, peak, growth: peak - baseline, bytes: result.bytes, rate: result.bytes / (result.ms / 1000), samples, processes: pids.length };
  } finally {
    clearInterval(sampler);
  }
}
