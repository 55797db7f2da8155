import { describe, expect, it } from 'vitest';
import { createOneUpHealthSandbox } from './index';
import { createTestClock } from '../shared/test-helpers';
import { bearer, bulkBase, getKeycloakToken, send, testBase, toSandboxPath } from './test-helpers';

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: Array<{ type: string; url: string; count: number }>;
  error: unknown[];
}

const bulkHeaders = { Accept: 'application/fhir+json', Prefer: 'respond-async' };

async function startExport(path = `${bulkBase}/$export`, presetId = 'provider-access', options: { bisonMembers?: number } = {}) {
  const clock = createTestClock();
  const sandbox = createOneUpHealthSandbox({ now: clock.now, jobDurationMs: () => 2000, ...options });
  const token = await getKeycloakToken(sandbox, presetId);
  const get = (target: string, authToken = token) => send(sandbox, target, { headers: bearer(authToken, bulkHeaders) });
  const kickoff = await get(path);
  return { clock, sandbox, token, get, kickoff };
}

function parseNdjson(text: string): Array<{ resourceType: string; id: string; meta: { lastUpdated: string } }> {
  expect(text.endsWith('\n') || text === '').toBe(true);
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as { resourceType: string; id: string; meta: { lastUpdated: string } });
}

describe('bulk $export lifecycle', () => {
  it('kicks off (202), reports progress (202, X-Progress, Retry-After), then the manifest and valid NDJSON files', async () => {
    const { clock, get, kickoff, token } = await startExport();
    expect(kickoff.status).toBe(202);
    const statusUrl = kickoff.headers.get('content-location') ?? '';
    expect(statusUrl).toMatch(new RegExp(`^${testBase.replace(/[.]/g, '\\.')}${bulkBase.replace(/\$/g, '\\$')}/\\$export/[0-9a-f-]{36}$`));

    const running = await get(toSandboxPath(statusUrl));
    expect(running.status).toBe(202);
    expect(running.headers.get('x-progress')).toBe('0% complete');
    expect(running.headers.get('retry-after')).toBe('1');
    clock.advance(1000);
    expect((await get(toSandboxPath(statusUrl))).headers.get('x-progress')).toBe('50% complete');

    clock.advance(1000);
    const done = await get(toSandboxPath(statusUrl));
    expect(done.status).toBe(200);
    expect(done.headers.get('content-type')).toBe('application/json');
    expect(done.headers.get('expires')).toBe('Sat, 22 Aug 2026 20:44:03 GMT');
    const manifest = (await done.json()) as Manifest;
    expect(manifest).toMatchObject({
      transactionTime: '2026-08-21T20:44:01.705Z',
      request: `${testBase}${bulkBase}/$export`,
      requiresAccessToken: true,
      error: [],
    });
    expect(manifest.output.map((file) => file.type)).toEqual(['Patient', 'Coverage', 'ExplanationOfBenefit', 'Encounter']);

    for (const file of manifest.output) {
      expect(file.url.startsWith(`${statusUrl}/`)).toBe(true);
      expect((await send(createOneUpHealthSandbox(), toSandboxPath(file.url))).status).toBe(401);
      const response = await get(toSandboxPath(file.url), token);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/fhir+ndjson');
      const resources = parseNdjson(await response.text());
      expect(resources).toHaveLength(file.count);
      expect(new Set(resources.map((resource) => resource.resourceType))).toEqual(new Set([file.type]));
      expect(new Set(resources.map((resource) => resource.id)).size).toBe(resources.length);
    }
    expect(manifest.output[0]?.count).toBe(150);
  });

  it('exports a Group with _type and 1up’s date-only _since', async () => {
    const { clock, get, kickoff } = await startExport(`${bulkBase}/Group/bison-provider-attributed/$export?_type=Encounter,Patient&_since=2026-01-01`);
    expect(kickoff.status).toBe(202);
    clock.advance(2000);
    const manifest = (await (await get(toSandboxPath(kickoff.headers.get('content-location') ?? ''))).json()) as Manifest;
    expect(manifest.request).toBe(`${testBase}${bulkBase}/Group/bison-provider-attributed/$export?_type=Encounter,Patient&_since=2026-01-01`);
    expect(manifest.output.map((file) => file.type)).toEqual(['Encounter', 'Patient']);
    for (const file of manifest.output) {
      const resources = parseNdjson(await (await get(toSandboxPath(file.url))).text());
      expect(resources.length).toBe(file.count);
      for (const resource of resources) expect(Date.parse(resource.meta.lastUpdated)).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1));
    }
    expect(manifest.output.find((file) => file.type === 'Patient')?.count).toBeLessThan(150);
  });

  it('takes a FHIR instant for _since too, and rejects bad or future values, unknown types and other groups', async () => {
    const instant = await startExport(`${bulkBase}/$export?_since=2025-06-01T12:00:00.000%2B02:00`);
    expect(instant.kickoff.status).toBe(202);
    const cases: Array<[string, number]> = [
      ['$export?_since=2025-13-01', 400],
      ['$export?_since=yesterday', 400],
      ['$export?_since=2027-01-01', 400],
      ['$export?_type=Observation', 400],
      ['$export?_outputFormat=text/csv', 400],
      ['$export?_typeFilter=Patient%3Fgender%3Dmale', 400],
      ['Group/bison-payer-to-payer-opt-in/$export', 404],
      ['Group/nope/$export', 404],
    ];
    for (const [path, status] of cases) {
      const response = await instant.get(`${bulkBase}/${path}`);
      expect([path, response.status]).toEqual([path, status]);
      expect(((await response.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    }
    const lenient = await send(instant.sandbox, `${bulkBase}/$export?_typeFilter=x`, { headers: bearer(instant.token, { Prefer: 'respond-async, handling=lenient' }) });
    expect(lenient.status).toBe(202);
  });

  it('has no cancel: DELETE on the job and POST or DELETE on the kick-off are 403', async () => {
    const { sandbox, token, kickoff } = await startExport();
    const statusPath = toSandboxPath(kickoff.headers.get('content-location') ?? '');
    const del = await send(sandbox, statusPath, { method: 'DELETE', headers: bearer(token) });
    expect(del.status).toBe(403);
    expect(((await del.json()) as { issue: Array<{ code: string }> }).issue[0]?.code).toBe('forbidden');
    expect((await send(sandbox, `${bulkBase}/$export`, { method: 'POST', headers: bearer(token) })).status).toBe(403);
    expect((await send(sandbox, `${bulkBase}/$export`, { method: 'DELETE', headers: bearer(token) })).status).toBe(403);
    expect((await send(sandbox, statusPath, { headers: bearer(token) })).status).toBe(202);
  });

  it('hides a job from other clients and forgets it 24 hours after completion', async () => {
    const { clock, sandbox, get, kickoff } = await startExport();
    const statusPath = toSandboxPath(kickoff.headers.get('content-location') ?? '');
    const other = await getKeycloakToken(sandbox, 'payer-to-payer');
    expect((await get(statusPath, other)).status).toBe(404);
    clock.advance(2000 + 24 * 60 * 60 * 1000 + 1);
    const fresh = await getKeycloakToken(sandbox);
    const expired = await get(statusPath, fresh);
    expect(expired.status).toBe(404);
    expect(((await expired.json()) as { issue: Array<{ code: string }> }).issue[0]?.code).toBe('expired');
  });

  it('streams a file member by member: a large export’s first chunk arrives without generating the rest', async () => {
    const { clock, get, kickoff } = await startExport(`${bulkBase}/$export?_type=ExplanationOfBenefit`, 'provider-access', { bisonMembers: 400_000 });
    clock.advance(2000);
    // Straight to the file: the manifest would count all 300,000 members' claims.
    const fileUrl = `${kickoff.headers.get('content-location') ?? ''}/ExplanationOfBenefit.ndjson`;
    const started = performance.now();
    const response = await get(toSandboxPath(fileUrl));
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    const elapsed = performance.now() - started;
    expect(first?.value?.byteLength).toBeGreaterThan(60 * 1024);
    expect(first?.value?.byteLength).toBeLessThan(128 * 1024);
    expect(first?.value?.[first.value.byteLength - 1]).toBe(10);
    // Building 300,000 members' claims would take many seconds; one chunk takes milliseconds.
    expect(elapsed).toBeLessThan(1500);
    await reader?.cancel();
  });

  it('writes the same bytes for the same export on another instance', async () => {
    const read = async () => {
      const { clock, get, kickoff } = await startExport(`${bulkBase}/$export?_type=ExplanationOfBenefit`);
      clock.advance(2000);
      const manifest = (await (await get(toSandboxPath(kickoff.headers.get('content-location') ?? ''))).json()) as Manifest;
      return (await get(toSandboxPath(manifest.output[0]?.url ?? ''))).text();
    };
    const [a, b] = await Promise.all([read(), read()]);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toBe(b);
  });
});
