import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBcdaSandbox } from './index';
import { createTestClock } from '../shared/test-helpers';
import { bulkHeaders, getAccessToken, send, testBase, toSandboxPath } from './test-helpers';

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: Array<{ type: string; url: string }>;
  error: unknown[];
  JobID: number;
}

const hour = 60 * 60 * 1000;

async function startExport(presetId = 'extra-small', query = '') {
  const clock = createTestClock();
  const sandbox = createBcdaSandbox({ now: clock.now, jobDurationMs: () => 2000 });
  const token = await getAccessToken(sandbox, presetId);
  const kickoff = await send(sandbox, `/api/v2/Patient/$export${query}`, { headers: bulkHeaders(token) });
  expect(kickoff.status).toBe(202);
  const statusPath = toSandboxPath(kickoff.headers.get('content-location') ?? '');
  const poll = (authToken = token) => send(sandbox, statusPath, { headers: { Authorization: `Bearer ${authToken}` } });
  return { clock, sandbox, token, statusPath, poll };
}

describe('export job lifecycle', () => {
  it('reports Pending, then In Progress (NN%), then the manifest, then 410 after 24 hours', async () => {
    const { clock, token, poll, sandbox } = await startExport();

    const pending = await poll();
    expect(pending.status).toBe(202);
    expect(pending.headers.get('x-progress')).toBe('Pending');
    expect(pending.headers.has('retry-after')).toBe(false);
    expect(await pending.text()).toBe('');

    clock.advance(1000);
    const running = await poll();
    expect(running.status).toBe(202);
    expect(running.headers.get('x-progress')).toBe('In Progress (50%)');

    clock.advance(1000);
    const done = await poll();
    expect(done.status).toBe(200);
    expect(done.headers.get('content-type')).toBe('application/json');
    // Completion is 2 s after 2026-08-21T20:44:01.705Z; files are kept 24 hours.
    expect(done.headers.get('expires')).toBe('2026-08-22 20:44:03.705 +0000 UTC');
    const manifest = (await done.json()) as Manifest;
    expect(Object.keys(manifest)).toEqual(['transactionTime', 'request', 'requiresAccessToken', 'output', 'error', 'JobID']);
    expect(manifest).toMatchObject({
      transactionTime: '2026-08-21T20:44:01.705Z',
      request: `${testBase}/api/v2/Patient/$export`,
      requiresAccessToken: true,
      error: [],
      JobID: 1,
    });
    expect(manifest.output.map((file) => file.type)).toEqual(['Patient', 'ExplanationOfBenefit', 'Coverage']);
    for (const file of manifest.output) {
      expect(file.url).toMatch(new RegExp(`^${testBase}/data/1/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.ndjson$`));
    }

    const file = await send(sandbox, toSandboxPath(manifest.output[0]?.url ?? ''), { headers: { Authorization: `Bearer ${token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/fhir+ndjson');
    await file.body?.cancel();

    clock.advance(24 * hour + 1);
    const freshToken = await getAccessToken(sandbox, 'extra-small');
    const gone = await poll(freshToken);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('expires')).toBe('2026-08-22 20:44:03.705 +0000 UTC');
    expect(((await gone.json()) as { issue: Array<{ code: string }> }).issue[0]?.code).toBe('not-found');

    const expiredFile = await send(sandbox, toSandboxPath(manifest.output[0]?.url ?? ''), {
      headers: { Authorization: `Bearer ${freshToken}` },
    });
    expect(expiredFile.status).toBe(410);
  });

  it('gzips a file when the request accepts gzip, as BCDA does, and sends it plain otherwise', async () => {
    const { clock, token, poll, sandbox } = await startExport();
    clock.advance(2000);
    const manifest = (await (await poll()).json()) as Manifest;
    const path = toSandboxPath(manifest.output.find((file) => file.type === 'ExplanationOfBenefit')?.url ?? '');
    const fetchWith = (acceptEncoding?: string) =>
      send(sandbox, path, { headers: { Authorization: `Bearer ${token}`, ...(acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {}) } });

    const plain = await fetchWith();
    expect(plain.headers.get('content-encoding')).toBeNull();
    const plainBytes = Buffer.from(await plain.arrayBuffer());
    expect(plainBytes.length).toBeGreaterThan(1000);

    for (const accepted of ['gzip', 'gzip, deflate, br', 'br;q=1, gzip;q=0.5', '*']) {
      const compressed = await fetchWith(accepted);
      expect(compressed.status, accepted).toBe(200);
      expect(compressed.headers.get('content-type')).toBe('application/fhir+ndjson');
      expect(compressed.headers.get('content-encoding'), accepted).toBe('gzip');
      expect(compressed.headers.get('vary')).toBe('Accept-Encoding');
      const raw = Buffer.from(await compressed.arrayBuffer());
      expect(raw.length).toBeLessThan(plainBytes.length / 3);
      expect(gunzipSync(raw).equals(plainBytes), accepted).toBe(true);
    }
    for (const refused of ['identity', 'gzip;q=0', 'br', 'deflate']) {
      const answer = await fetchWith(refused);
      expect(answer.headers.get('content-encoding'), refused).toBeNull();
      await answer.body?.cancel();
    }
  });

  it('cancels a running job: DELETE 202, then status 404 "Job has been cancelled."', async () => {
    const { sandbox, statusPath, token, poll } = await startExport();
    const cancel = await send(sandbox, statusPath, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    expect(cancel.status).toBe(202);
    const status = await poll();
    expect(status.status).toBe(404);
    expect(((await status.json()) as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toBe('Job has been cancelled.');
  });

  it('refuses to cancel a completed job with 410', async () => {
    const { clock, sandbox, statusPath, token } = await startExport();
    clock.advance(5000);
    const cancel = await send(sandbox, statusPath, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    expect(cancel.status).toBe(410);
    expect(((await cancel.json()) as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toBe(
      'job was not cancelled because it is not Pending or In Progress',
    );
  });

  it('hides a job from another ACO’s token with 401', async () => {
    const { clock, sandbox, poll } = await startExport();
    clock.advance(5000);
    const manifest = (await (await poll()).json()) as Manifest;
    const otherToken = await getAccessToken(sandbox, 'reach-large');
    const status = await poll(otherToken);
    expect(status.status).toBe(401);
    expect(status.headers.get('content-type')).toBe('application/fhir+json');
    const file = await send(sandbox, toSandboxPath(manifest.output[0]?.url ?? ''), { headers: { Authorization: `Bearer ${otherToken}` } });
    expect(file.status).toBe(401);
  });

  it('answers 404 "Job not found." for an unknown job and 400 for a non-numeric id', async () => {
    const { sandbox, token } = await startExport();
    const unknown = await send(sandbox, '/api/v2/jobs/999', { headers: { Authorization: `Bearer ${token}` } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toBe('Job not found.');
    const nonNumeric = await send(sandbox, '/api/v2/jobs/abc', { headers: { Authorization: `Bearer ${token}` } });
    expect(nonNumeric.status).toBe(400);
  });

  it('answers 404 "Not Found" text for an unknown file of a job, and before the job completes', async () => {
    const { clock, sandbox, token, poll } = await startExport();
    const early = await send(sandbox, '/data/1/00000000-0000-4000-8000-000000000000.ndjson', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(early.status).toBe(404);
    expect(await early.text()).toBe('Not Found\n');
    clock.advance(5000);
    await poll();
    const unknown = await send(sandbox, '/data/1/nope.ndjson', { headers: { Authorization: `Bearer ${token}` } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await unknown.text()).toBe('Not Found\n');
  });

  it('needs a token for data files', async () => {
    const { clock, sandbox, poll } = await startExport();
    clock.advance(5000);
    const manifest = (await (await poll()).json()) as Manifest;
    const file = await send(sandbox, toSandboxPath(manifest.output[0]?.url ?? ''));
    expect(file.status).toBe(401);
  });

  it('lists the ACO’s jobs as a Bundle of Tasks', async () => {
    const { sandbox, token } = await startExport();
    const list = await send(sandbox, '/api/v2/jobs', { headers: bulkHeaders(token) });
    expect(list.status).toBe(200);
    const bundle = (await list.json()) as { resourceType: string; total: number; entry: Array<{ resource: Record<string, unknown> }> };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(bundle.entry[0]?.resource).toMatchObject({ resourceType: 'Task', status: 'accepted', intent: 'order' });
    const none = await send(sandbox, '/api/v2/jobs?_status=Completed', { headers: bulkHeaders(token) });
    expect(none.status).toBe(404);
    const repeated = await send(sandbox, '/api/v2/jobs?_status=Pending,Pending', { headers: bulkHeaders(token) });
    expect(((await repeated.json()) as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toBe('Repeated status type Pending');
  });

  it('honours _type in the manifest', async () => {
    const { clock, poll } = await startExport('reach-extra-small', '?_type=Coverage,Claim');
    clock.advance(5000);
    const manifest = (await (await poll()).json()) as Manifest;
    expect(manifest.output.map((file) => file.type)).toEqual(['Coverage', 'Claim']);
    expect(manifest.request).toBe(`${testBase}/api/v2/Patient/$export?_type=Coverage,Claim`);
  });

  it('exports Claim and ClaimResponse by default for REACH ACOs on v2', async () => {
    const { clock, poll } = await startExport('reach-extra-small');
    clock.advance(5000);
    const manifest = (await (await poll()).json()) as Manifest;
    expect(manifest.output.map((file) => file.type)).toEqual(['Patient', 'ExplanationOfBenefit', 'Coverage', 'Claim', 'ClaimResponse']);
  });
});

describe('open endpoints', () => {
  it('serves the CapabilityStatement without a token', async () => {
    const sandbox = createBcdaSandbox();
    const response = await send(sandbox, '/api/v2/metadata');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const statement = (await response.json()) as Record<string, unknown> & {
      rest: Array<{ security: { extension: Array<{ url: string; extension: Array<{ url: string; valueUri: string }> }> }; resource: Array<{ type: string; operation: Array<{ name: string }> }> }>;
    };
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      software: { name: 'Beneficiary Claims Data API' },
      instantiates: expect.arrayContaining(['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data']),
    });
    const oauth = statement.rest[0]?.security.extension.find(
      (extension) => extension.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
    );
    expect(oauth?.extension).toContainEqual({ url: 'token', valueUri: `${testBase}/auth/token` });
    const operations = statement.rest[0]?.resource.flatMap((resource) => resource.operation.map((operation) => operation.name));
    expect(operations).toEqual(['patient-export', 'group-export']);
  });

  it('answers attribution_status on every version with a token, as BCDA documents it', async () => {
    const clock = createTestClock();
    const sandbox = createBcdaSandbox({ now: clock.now });
    const token = await getAccessToken(sandbox, 'extra-small');
    for (const version of ['v1', 'v2', 'v3']) {
      const answer = await send(sandbox, `/api/${version}/attribution_status`, { headers: { Authorization: `Bearer ${token}` } });
      expect(answer.status, version).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(await answer.json()).toEqual({
        ingestion_dates: [
          { timestamp: '2026-08-01T00:00:00Z', type: 'default' },
          { timestamp: '2026-01-01T00:00:00Z', type: 'runout' },
        ],
      });
    }
    const anonymous = await send(sandbox, '/api/v2/attribution_status');
    expect(anonymous.status).toBe(401);
    expect((await send(sandbox, '/api/v2/attribution_status', { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).status).toBe(405);
  });

  it('serves _version, _health and _auth', async () => {
    const sandbox = createBcdaSandbox();
    expect(await (await send(sandbox, '/_version')).json()).toHaveProperty('version');
    expect(await (await send(sandbox, '/_health')).json()).toEqual({ database: 'ok', ssas: 'ok', ssas_introspect: 'ok' });
    expect(await (await send(sandbox, '/_auth')).json()).toMatchObject({ auth_provider: 'ssas' });
  });

  it('answers unknown paths with Go’s 404 text', async () => {
    for (const path of ['/api/v4/metadata', '/api/v2/Observation/$export', '/nope']) {
      const response = await send(createBcdaSandbox(), path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toBe('404 page not found\n');
    }
  });
});

describe('v1: BCDA’s FHIR STU3 API (issue #14)', () => {
  it('mounts /api/v1: an STU3 CapabilityStatement, and an export of its four types written in STU3', async () => {
    const clock = createTestClock();
    const sandbox = createBcdaSandbox({ now: clock.now, jobDurationMs: () => 0 });
    const metadata = (await (await send(sandbox, '/api/v1/metadata')).json()) as { fhirVersion: string };
    expect(metadata.fhirVersion).toBe('3.0.2');
    expect(((await (await send(sandbox, '/api/v2/metadata')).json()) as { fhirVersion: string }).fhirVersion).toBe('4.0.1');

    const token = await getAccessToken(sandbox, 'extra-small');
    const kickoff = await send(sandbox, '/api/v1/Patient/$export?_type=Patient,Coverage,ExplanationOfBenefit,Observation', { headers: bulkHeaders(token) });
    expect(kickoff.status).toBe(202);
    expect(kickoff.headers.get('content-location')).toMatch(/\/api\/v1\/jobs\/\d+$/);
    const manifest = (await (await send(sandbox, toSandboxPath(kickoff.headers.get('content-location')!), { headers: { Authorization: `Bearer ${token}` } })).json()) as Manifest;
    expect(manifest.output.map((file) => file.type)).toEqual(['Patient', 'Coverage', 'ExplanationOfBenefit', 'Observation']);
    const first = async (type: string) => {
      const file = manifest.output.find((candidate) => candidate.type === type)!;
      const text = await (await send(sandbox, toSandboxPath(file.url), { headers: { Authorization: `Bearer ${token}` } })).text();
      return JSON.parse(text.split('\n')[0]!) as Record<string, unknown> & { meta: Record<string, unknown> };
    };
    const eob = (await first('ExplanationOfBenefit')) as Record<string, unknown> & { meta: Record<string, unknown>; item: Array<Record<string, unknown>> };
    expect(eob).not.toHaveProperty('use');
    expect(eob).not.toHaveProperty('total');
    expect(eob.meta).not.toHaveProperty('profile');
    expect(eob.totalCost).toMatchObject({ system: 'urn:iso:std:iso:4217', code: 'USD' });
    expect(eob.insurance).toMatchObject({ coverage: { reference: expect.stringMatching(/^Coverage\//) } });
    expect(eob.outcome).toEqual({ coding: [{ system: 'http://hl7.org/fhir/remittance-outcome', code: 'complete' }] });
    expect(eob.item[0]).toHaveProperty('service');
    expect(eob.item[0]).not.toHaveProperty('productOrService');
    expect(eob.item[0]).toHaveProperty('diagnosisLinkId');
    const coverage = await first('Coverage');
    expect(coverage).not.toHaveProperty('class');
    expect(coverage.grouping).toMatchObject({ subGroup: 'Medicare', subPlan: expect.stringMatching(/^Part [ABD]$/) });
    expect(await first('Observation')).toMatchObject({ resourceType: 'Observation', status: 'final', valueQuantity: { unit: '%' } });

    const notOnV2 = await send(sandbox, '/api/v2/Patient/$export?_type=Observation', { headers: bulkHeaders(token) });
    expect(notOnV2.status).toBe(400);
  });
});
