// The machine the figures came from, the terminal table, and the results section of docs/benchmarks.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { root } from '../ensure.mjs';
import { markdownTable, textTable } from './stats.mjs';

export function describeMachine() {
  const cpuinfo = readOr('/proc/cpuinfo');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const osRelease = /PRETTY_NAME="?([^"\n]+)"?/.exec(readOr('/etc/os-release'))?.[1] ?? `${os.type()} ${os.release()}`;
  return {
    cpu: model,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    ramGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    os: `${osRelease} (kernel ${os.release()}, ${os.arch()})`,
    node: process.version,
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

function readOr(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const HEADER = ['measure', 'direct', 'BFF', 'figure', 'target', 'result'];

/** Rows of `{ measure, direct, bff, figure, target, met }`; `met` null for a raw figure without a target. */
export function terminalTable(rows) {
  return textTable(HEADER, rows.map(cells));
}

function cells(row) {
  return [row.measure, row.direct, row.bff, row.figure, row.target, row.met === null ? '—' : row.met ? 'met' : 'MISSED'];
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/**
 * Replaces the results section of docs/benchmarks.md (between the markers) with this run's figures; the prose
 * around it (method, analysis) is kept.
 */
export function writeResults({ rows, machine, details, startedAt, durationS }) {
  const file = join(root, 'docs', 'benchmarks.md');
  const section = [
    START,
    `_Last run: ${startedAt.toISOString()}, ${durationS.toFixed(0)} s; written by \`npm run bench\`._`,
    '',
    markdownTable(HEADER, rows.map(cells)),
    '',
    '**Machine:**',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores`,
    `- RAM: ${machine.ramGiB} GiB`,
    `- OS: ${machine.os}`,
    `- Node.js: ${machine.node}`,
    `- Load average at start (1/5/15 min): ${machine.loadAverage}`,
    '',
    '**Details:**',
    '',
    ...details.map((line) => `- ${line}`),
    END,
  ].join('\n');
  return replaceBetween(file, START, END, section);
}

/**
 * Replaces the section between `<!-- {name}:start -->` and `<!-- {name}:end -->` of docs/benchmarks.md with `lines`
 * (appended at the end the first time); the rest of the file is kept.
 */
export function writeSection(name, lines) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  return replaceBetween(join(root, 'docs', 'benchmarks.md'), start, end, [start, ...lines, end].join('\n'));
}

function replaceBetween(file, startMarker, endMarker, section) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  const next = start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + endMarker.length) : `${current.trimEnd()}\n\n${section}\n`;
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(file, next);
  return file;
}
