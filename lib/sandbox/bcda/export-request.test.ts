import { describe, expect, it } from 'vitest';
import { createBcdaSandbox, type BcdaSandbox } from './index';
import { createTestClock } from '../shared/test-helpers';
import { bulkHeaders, getAccessToken, send, testBase } from './test-helpers';

async function diagnosticsOf(response: Response): Promise<{ code?: string; diagnostics?: string }> {
  const body = (await response.json()) as { issue: Array<{ code: string; diagnostics?: string }> };
  return body.issue[0] ?? {};
}

async function setup(presetId = 'extra-small'): Promise<{ sandbox: BcdaSandbox; token: string }> {
  const clock = createTestClock();
  const sandbox = createBcdaSandbox({ now: clock.now });
  return { sandbox, token: await getAccessToken(sandbox, presetId) };
}

// Each row: query string, header changes, expected diagnostics. Rows are in BCDA's validation order.
const rejections: Array<[string, string, Record<string, string | null>, string]> = [
  ['bad _outputFormat', '?_outputFormat=csv', {}, '_outputFormat parameter must be one of [ndjson application/fhir+ndjson application/ndjson]'],
  ['_elements', '?_elements=id', {}, 'Invalid parameter: this server does not support the _elements parameter.'],
  ['a ?-prefixed parameter', '?_type=Patient&?_since=2020-01-01T00:00:00Z', {}, 'Invalid parameter: query parameters cannot start with ?'],
  ['a date-only _since', '?_since=2020-01-01', {}, 'Invalid date format supplied in _since parameter.  Date must be in FHIR Instant format.'],
  ['an impossible _since', '?_since=2020-02-30T00:00:00Z', {}, 'Invalid date format supplied in _since parameter.  Date must be in FHIR Instant format.'],
  ['a future _since', '?_since=2030-01-01T00:00:00Z', {}, 'Invalid date format supplied in _since parameter. Date must be a date that has already passed'],
  ['a repeated _type', '?_type=Patient,Coverage,Patient', {}, 'Repeated resource type Patient'],
  ['no Accept', '', { Accept: null }, 'Accept header is required'],
  ['Accept: application/json', '', { Accept: 'application/json' }, 'application/fhir+json is the only supported response format'],
  ['no Prefer', '', { Prefer: null }, 'Prefer header is required'],
  ['Prefer: respond-sync', '', { Prefer: 'respond-sync' }, 'Only asynchronous responses are supported'],
  ['an unknown _type', '?_type=Observation', {}, 'invalid resource type Observation. Supported types [Patient Coverage ExplanationOfBenefit Claim ClaimResponse]'],
  ['Claim for an adjudicated-only ACO', '?_type=Patient,Claim', {}, 'unauthorized resource type Claim'],
];

describe('$export validation', () => {
  it.each(rejections)('rejects %s with 400 and BCDA’s diagnostics', async (_name, query, headerChanges, expected) => {
    const { sandbox, token } = await setup();
    const headers: Record<string, string> = bulkHeaders(token);
    for (const [name, value] of Object.entries(headerChanges)) {
      if (value === null) delete headers[name];
      else headers[name] = value;
    }
    const response = await send(sandbox, `/api/v2/Patient/$export${query}`, { headers });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/fhir+json');
    expect(await diagnosticsOf(response)).toMatchObject({ code: 'structure', diagnostics: expected });
  });

  it('checks the query before the headers, as the middleware chain does', async () => {
    const { sandbox, token } = await setup();
    const response = await send(sandbox, '/api/v2/Patient/$export?_elements=id', { headers: { Authorization: `Bearer ${token}` } });
    expect((await diagnosticsOf(response)).diagnostics).toBe('Invalid parameter: this server does not support the _elements parameter.');
  });

  it('checks the token before anything else', async () => {
    const { sandbox } = await setup();
    const response = await send(sandbox, '/api/v2/Patient/$export?_elements=id');
    expect(response.status).toBe(401);
  });

  it('rejects an unknown group with "Invalid group ID"', async () => {
    const { sandbox, token } = await setup();
    const response = await send(sandbox, '/api/v2/Group/everyone/$export', { headers: bulkHeaders(token) });
    expect(response.status).toBe(400);
    expect((await diagnosticsOf(response)).diagnostics).toBe('Invalid group ID');
  });

  it.each(['all', 'runout'])('accepts Group/%s/$export', async (group) => {
    const { sandbox, token } = await setup();
    const response = await send(sandbox, `/api/v2/Group/${group}/$export`, { headers: bulkHeaders(token) });
    expect(response.status).toBe(202);
  });

  it('answers 202 with an empty body and a numeric Content-Location', async () => {
    const { sandbox, token } = await setup();
    const response = await send(sandbox, '/api/v2/Patient/$export?_type=Patient&_since=2024-06-01T00:00:00.000-05:00', {
      headers: bulkHeaders(token),
    });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-location')).toBe(`${testBase}/api/v2/jobs/1`);
  });

  it('accepts $export percent-encoded in the path', async () => {
    const { sandbox, token } = await setup();
    const request = new Request(`${testBase}/api/v2/Patient/%24export`, { headers: bulkHeaders(token) });
    const response = await sandbox.handle(request, '/api/v2/Patient/%24export');
    expect(response.status).toBe(202);
  });

  it('lets REACH ACOs export Claim and ClaimResponse on v2, not on v3', async () => {
    const { sandbox, token } = await setup('reach-extra-small');
    const v2 = await send(sandbox, '/api/v2/Patient/$export?_type=Claim,ClaimResponse', { headers: bulkHeaders(token) });
    expect(v2.status).toBe(202);
    const v3 = await send(sandbox, '/api/v3/Patient/$export?_type=Claim', { headers: bulkHeaders(token) });
    expect(v3.status).toBe(400);
    expect((await diagnosticsOf(v3)).diagnostics).toBe('invalid resource type Claim. Supported types [Patient Coverage ExplanationOfBenefit]');
  });
});
