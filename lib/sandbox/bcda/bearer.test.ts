import { describe, expect, it } from 'vitest';
import { createBcdaSandbox } from './index';
import { createTestClock } from '../shared/test-helpers';
import { getAccessToken, send } from './test-helpers';

const invalidTokenBody =
  '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"forbidden","diagnostics":"Invalid Token",' +
  '"details":{"coding":[{"system":"http://hl7.org/fhir/ValueSet/operation-outcome","code":"Request Error","display":"Invalid Token"}],"text":"Invalid Token"}}]}';

describe('bearer tokens', () => {
  it('lets a fresh token through /auth/welcome', async () => {
    const sandbox = createBcdaSandbox();
    const token = await getAccessToken(sandbox, 'extra-small');
    const response = await send(sandbox, '/auth/welcome', { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('{"success":"Welcome to the Beneficiary Claims Data API!"}');
  });

  it.each([
    ['no Authorization header', undefined],
    ['a lower-case bearer scheme', 'bearer TOKEN'],
    ['Basic credentials', 'Basic abc'],
    ['two spaces', 'Bearer  TOKEN'],
    ['a token signed by someone else', 'Bearer eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJzc2FzIn0.c2ln'],
  ])('answers 401 "Invalid Token" for %s, in the exact OperationOutcome shape', async (_name, authorization) => {
    const sandbox = createBcdaSandbox();
    const token = await getAccessToken(sandbox, 'extra-small');
    const headers = authorization ? { Authorization: authorization.replace('TOKEN', token) } : undefined;
    const response = await send(sandbox, '/auth/welcome', { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/fhir+json');
    expect(await response.text()).toBe(invalidTokenBody);
  });

  it('answers 401 "Expired Token" once the 20 minutes are over', async () => {
    const clock = createTestClock();
    const sandbox = createBcdaSandbox({ now: clock.now });
    const token = await getAccessToken(sandbox, 'extra-small');
    clock.advance(1199_000);
    expect((await send(sandbox, '/auth/welcome', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    clock.advance(1_000);
    const response = await send(sandbox, '/api/v2/Patient/$export', {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json', Prefer: 'respond-async' },
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { issue: Array<{ code: string; diagnostics: string }> };
    expect(body.issue[0]).toMatchObject({ code: 'forbidden', diagnostics: 'Expired Token' });
  });

  it('refuses a token from another sandbox instance (different signing key)', async () => {
    const token = await getAccessToken(createBcdaSandbox(), 'extra-small');
    const response = await send(createBcdaSandbox(), '/auth/welcome', { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
  });
});
