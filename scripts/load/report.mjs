// The load run's figures: per call type, throughput and latency quantiles; the terminal summary; the results
// block of docs/benchmarks.md's "Load" section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../ensure.mjs';
import { markdownTable, quantile, textTable } from '../bench/stats.mjs';

const KINDS = [
  ['token', 'token (client credentials, new token)'],
  ['fhir', 'FHIR / API GET through the BFF'],
  ['session', 'GET /api/session (checked)'],
];

export function summarize({ name, origins, latencies, wallMs, errors, leaks, sessions, rounds }) {
  const perKind = KINDS.map(([kind, label]) => {
    const values = latencies[kind];
    return {
      kind,
      label,
      n: values.length,
      rate: values.length / (wallMs / 1000),
      p50: quantile(values, 0.5),
      p95: quantile(values, 0.95),
      p99: quantile(values, 0.99),
      max: values.length ? Math.max(...values) : Number.NaN,
    };
  });
  const requests = perKind.reduce((sum, k) => sum + k.n, 0);
  return { name, instances: origins.length, perKind, requests, wallMs, rate: requests / (wallMs / 1000), errors, leaks, sessions, rounds };
}

const HEADER = ['call', 'requests', 'per second', 'p50', 'p95', 'p99', 'max'];
const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : '—');

function rows(run) {
  return [
    ...run.perKind.map((k) => [k.label, k.n, k.rate.toFixed(0), ms(k.p50), ms(k.p95), ms(k.p99), ms(k.max)]),
    ['all calls', run.requests, run.rate.toFixed(0), '', '', '', ''],
  ];
}

export function printRun(run) {
  console.log(`\n  ${run.name}: ${run.sessions} concurrent sessions × ${run.rounds} rounds, ${(run.wallMs / 1000).toFixed(1)} s`);
  console.log(textTable(HEADER, rows(run)).replace(/^/gm, '  '));
  console.log(`  errors: ${run.errors.length}; cross-session leaks: ${run.leaks.length}`);
  for (const message of [...run.leaks, ...run.errors].slice(0, 10)) console.log(`    - ${message}`);
  if (run.errors.length + run.leaks.length > 10) console.log(`    … and ${run.errors.length + run.leaks.length - 10} more`);
  console.log('');
}

const START = '<!-- load:results:start -->';
const END = '<!-- load:results:end -->';

/** Replaces the block between the load markers of docs/benchmarks.md (when it has them and `write` is set). */
export function writeLoadResults({ runs, machine, startedAt, durationS, mix, sessions, rounds, write }) {
  const file = join(root, 'docs', 'benchmarks.md');
  if (!write || !existsSync(file)) return null;
  const current = readFileSync(file, 'utf8');
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  if (start < 0 || end < start) return null;
  const section = [
    START,
    `_Last run: ${startedAt.toISOString()}, ${durationS.toFixed(0)} s in all; written by \`npm run load\`._`,
    '',
    `${sessions} concurrent sessions × ${rounds} rounds; mix: ${mix}.`,
    '',
    ...runs.flatMap((run) => [
      `**${run.name}** — ${(run.wallMs / 1000).toFixed(1)} s, ${run.errors.length} errors, ${run.leaks.length} cross-session leaks`,
      '',
      markdownTable(HEADER, rows(run)),
      '',
      ...(run.servedBy ? [`haproxy sent ${Object.entries(run.servedBy).map(([name, n]) => `${n} requests to ${name.toUpperCase()}`).join(' and ')}.`, ''] : []),
    ]),
    '**Machine:**',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores (not pinned: upstream, consoles, Redis and the load client share them)`,
    `- RAM: ${machine.ramGiB} GiB`,
    `- OS: ${machine.os}`,
    `- Node.js: ${machine.node}`,
    `- Load average at start (1/5/15 min): ${machine.loadAverage}`,
    END,
  ].join('\n');
  writeFileSync(file, current.slice(0, start) + section + current.slice(end + END.length));
  return file;
}
