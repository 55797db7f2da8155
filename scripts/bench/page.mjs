// `npm run bench:page`: the console page's first-load weight and speed in Chromium (issue #16), written to
// docs/benchmarks.md. Builds when the sources changed, starts the production server with the built-in sandboxes
// on a free loopback port, and loads `/` in fresh browser contexts (an empty cache each time), then once warm.
//
// What is counted, per load: the scripts of the whole first load (until the network is idle) and those its HTML
// names (what the first screen waits for; the rest are panels loaded with next/dynamic), their body bytes on the wire (compressed,
// from Resource Timing; 0 from the cache) and decoded; the provider list request, if the page made one; the time
// from navigation start to usable: Get token visible and enabled (performance.now()).
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { ensureBuild, ensureDependencies } from '../ensure.mjs';
import { describeMachine, writeSection } from './report.mjs';
import { freePorts, startServer, stopServers } from './servers.mjs';
import { markdownTable, median, textTable } from './stats.mjs';

const COLD_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 7);
const GOALS = { jsGzipKiB: 150, usableMs: 1000 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

ensureDependencies();
ensureBuild();
const startedAt = new Date();
const machine = describeMachine();
const [port] = await freePorts(1, 4150, 4199);
const origin = `http://127.0.0.1:${port}`;

try {
  await startServer({ name: 'console', port, env: { SESSION_SECRET: 'bench-page-session-secret-0123456789abcdef' }, readyPath: '/api/providers' });
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath: existsSync(chromiumPath) ? chromiumPath : undefined, args: CHROMIUM_ARGS });
  try {
    // One load not counted: the server's own caches (route modules, the provider catalogue) warm on first use.
    await measureLoad(browser, { warmReload: false });
    const cold = [];
    for (let run = 0; run < COLD_RUNS; run++) cold.push(await measureLoad(browser, { warmReload: false }));
    const warm = await measureLoad(browser, { warmReload: true });
    report(cold, warm);
  } finally {
    await browser.close();
  }
} finally {
  await stopServers();
}

/** One load of `/` in a fresh context; with `warmReload`, the figures are those of a reload after it. */
async function measureLoad(browser, { warmReload }) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    if (warmReload) {
      await page.goto(`${origin}/`);
      await waitUsable(page);
      await page.waitForLoadState('networkidle');
    }
    let providerHeaders = null;
    page.on('response', (response) => {
      if (new URL(response.url()).pathname !== '/api/providers') return;
      const headers = response.headers();
      providerHeaders = { encoding: headers['content-encoding'] ?? 'none', cacheControl: headers['cache-control'] ?? '(none)' };
    });
    const document = warmReload ? await page.reload() : await page.goto(`${origin}/`);
    // The scripts the page's HTML names (script tags and preloads) are what its first screen waits for; chunks
    // loaded later through next/dynamic are not.
    const named = new Set([...(await document.text()).matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((match) => new URL(match[1], origin).pathname));
    const usableMs = await waitUsable(page);
    await page.waitForLoadState('networkidle');
    // Resource Timing (same origin, so the sizes are exposed): encodedBodySize is what came over the wire,
    // compressed; decodedBodySize what the browser parsed; transferSize is 0 when it came from the cache.
    const resources = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((entry) => {
        const path = new URL(entry.name).pathname;
        return {
          path,
          script: entry.initiatorType === 'script' || path.endsWith('.js'),
          transferSize: entry.transferSize,
          encodedBodySize: entry.encodedBodySize,
          decodedBodySize: entry.decodedBodySize,
        };
      }),
    );
    const wire = (entry) => (entry.transferSize === 0 ? 0 : entry.encodedBodySize);
    const total = (entries, size) => entries.reduce((sum, entry) => sum + size(entry), 0);
    const scripts = resources.filter((entry) => entry.script);
    const beforeUsable = scripts.filter((entry) => named.has(entry.path));
    const providerEntry = resources.find((entry) => entry.path === '/api/providers');
    return {
      usableMs,
      js: total(beforeUsable, wire),
      jsRaw: total(beforeUsable, (entry) => entry.decodedBodySize),
      jsRequests: beforeUsable.length,
      jsTotal: total(scripts, wire),
      jsTotalRequests: scripts.length,
      providers: providerEntry ? { ...providerHeaders, bytes: wire(providerEntry), fromCache: providerEntry.transferSize === 0 } : null,
    };
  } finally {
    await context.close();
  }
}

/** Milliseconds from navigation start until Get token is in the first screen, visible and enabled. */
async function waitUsable(page) {
  const handle = await page.waitForFunction(
    () => {
      const button = document.querySelector('[data-testid="get-token"]');
      if (!(button instanceof HTMLButtonElement) || button.disabled) return false;
      const box = button.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && box.top < window.innerHeight ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  return handle.jsonValue();
}

function report(cold, warm) {
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const spread = (values, format) => `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
  const pick = (key) => cold.map((load) => load[key]);
  const requested = cold.map((load) => load.providers).filter(Boolean);
  const providerFigure =
    requested.length === 0
      ? 'not requested: rendered with the page'
      : `requested on ${requested.length} of ${cold.length} loads: ${kib(median(requested.map((p) => p.bytes)))} on the wire, encoding ${requested[0].encoding}, Cache-Control ${requested[0].cacheControl}`;
  const rows = [
    ['JS on the wire, whole first load', `${spread(pick('jsTotal'), kib)} in ${median(pick('jsTotalRequests'))} requests`, `≤ ${GOALS.jsGzipKiB} KiB`, median(pick('jsTotal')) / 1024 <= GOALS.jsGzipKiB ? 'met' : 'MISSED'],
    ['JS on the wire the first screen waited for', `${spread(pick('js'), kib)} in ${median(pick('jsRequests'))} requests`, `≤ ${GOALS.jsGzipKiB} KiB`, median(pick('js')) / 1024 <= GOALS.jsGzipKiB ? 'met' : 'MISSED'],
    ['JS decoded the first screen waited for', spread(pick('jsRaw'), kib), '—', '—'],
    ['time to usable (Get token visible and enabled)', spread(pick('usableMs'), (v) => `${Math.round(v)} ms`), `≤ ${GOALS.usableMs} ms`, median(pick('usableMs')) <= GOALS.usableMs ? 'met' : 'MISSED'],
    ['provider list', providerFigure, 'cached or rendered with the page', requested.every((p) => p.fromCache) ? 'met' : 'MISSED'],
    ['warm reload: JS on the wire, time to usable', `${kib(warm.js)}, ${Math.round(warm.usableMs)} ms`, '—', '—'],
  ];
  const header = ['measure', `median (min–max) of ${cold.length} cold loads`, 'goal', 'result'];
  console.log(`\nPage weight and speed: ${origin}/ at 1440×900 in Chromium, an empty cache each load\n`);
  console.log(textTable(header, rows));
  const file = writeSection('bench:page', [
    `_Last run: ${startedAt.toISOString()}, written by \`npm run bench:page\`, on ${machine.cpu} (${machine.cores} cores, ${machine.ramGiB} GiB), ${machine.os}, Node.js ${machine.node}; load average at start ${machine.loadAverage}._`,
    '',
    markdownTable(header, rows),
  ]);
  console.log(`\n> Written to ${file}`);
}
