import { describe, expect, it } from 'vitest';
import { simulating } from '../shared/test-helpers';
import { bearer, createTestSandbox, getUserTokens, send } from './test-helpers';

interface Bundle {
  resourceType: string;
  total: number;
  entry: Array<{ resource: { resourceType: string; id: string; subject?: { reference: string } } }>;
}

describe('the FHIR API and scope enforcement', () => {
  it('lets a patient token see its own patient and observations only', async () => {
    const { sandbox } = createTestSandbox();
    const { access_token } = await getUserTokens(sandbox, { username: 'patient3' });
    const patients = (await (await send(sandbox, '/fhir/Patient', bearer(access_token))).json()) as Bundle;
    expect(patients).toMatchObject({ resourceType: 'Bundle', total: 1 });
    expect(patients.entry[0]?.resource.id).toBe('smart-3');
    expect((await send(sandbox, '/fhir/Patient/smart-3', bearer(access_token))).status).toBe(200);
    const observations = (await (await send(sandbox, '/fhir/Observation?patient=smart-3', bearer(access_token))).json()) as Bundle;
    expect(observations.total).toBe(3);
    expect(new Set(observations.entry.map((e) => e.resource.subject?.reference))).toEqual(new Set(['Patient/smart-3']));
    const implicit = (await (await send(sandbox, '/fhir/Observation', bearer(access_token))).json()) as Bundle;
    expect(implicit.total).toBe(3);
  });

  it.each(['/fhir/Patient/smart-4', '/fhir/Observation?patient=smart-4', '/fhir/Observation?patient=Patient/smart-4', '/fhir/Patient?_id=smart-4', '/fhir/Observation/smart-4-obs-1'])(
    'answers 403 with an OperationOutcome for another patient: %s',
    async (path) => {
      const { sandbox } = createTestSandbox();
      const { access_token } = await getUserTokens(sandbox, { username: 'patient3' });
      const response = await send(sandbox, path, bearer(access_token));
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
      const body = (await response.json()) as { resourceType: string; issue: Array<{ diagnostics: string }> };
      expect(body.resourceType).toBe('OperationOutcome');
      expect(body.issue[0]?.diagnostics).toMatch(/reach only Patient\/smart-3/);
    },
  );

  it('answers 403 for a resource type the scopes do not cover', async () => {
    const { sandbox } = createTestSandbox();
    const { access_token } = await getUserTokens(sandbox, { overrides: { scope: 'launch/patient patient/Patient.rs' } });
    const response = await send(sandbox, '/fhir/Observation', bearer(access_token));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toMatch(/do not permit search on Observation/);
  });

  it('answers 401 with a Bearer and a DPoP challenge without a token, and invalid_token for a bad or expired one', async () => {
    const { sandbox, clock } = createTestSandbox();
    const none = await send(sandbox, '/fhir/Patient');
    expect(none.status).toBe(401);
    // RFC 9449 §7.1: a server that takes both schemes challenges with both.
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="SMART sandbox", DPoP algs="ES256 ES384 RS256 PS256"');
    const bad = await send(sandbox, '/fhir/Patient', bearer('not-a-token'));
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer realm="SMART sandbox", error="invalid_token"/);
    const { access_token } = await getUserTokens(sandbox);
    clock.advance(3601_000);
    const expired = await send(sandbox, '/fhir/Patient', bearer(access_token));
    expect(expired.headers.get('www-authenticate')).toMatch(/error="invalid_token", error_description="The access token has expired."/);
  });

  it('refuses a token signed by another instance', async () => {
    const one = createTestSandbox();
    const two = createTestSandbox();
    const { access_token } = await getUserTokens(one.sandbox);
    expect((await send(two.sandbox, '/fhir/Patient', bearer(access_token))).status).toBe(401);
  });

  it('serves the same data every run, and 404s for unknown ids and types', async () => {
    const { sandbox } = createTestSandbox();
    const { access_token } = await getUserTokens(sandbox, { username: 'patient8' });
    const first = await (await send(sandbox, '/fhir/Observation', bearer(access_token))).text();
    const again = createTestSandbox();
    const second = await (await send(again.sandbox, '/fhir/Observation', bearer((await getUserTokens(again.sandbox, { username: 'patient8' })).access_token))).text();
    expect(first).toBe(second);
    expect((await send(sandbox, '/fhir/Encounter', bearer(access_token))).status).toBe(404);
  });

  it('honours the simulated API failures once the token is accepted', async () => {
    const { sandbox } = createTestSandbox();
    const { access_token } = await getUserTokens(sandbox);
    expect((await send(sandbox, '/fhir/Patient', simulating('expired_token', bearer(access_token)))).status).toBe(401);
    expect((await send(sandbox, '/fhir/Patient', simulating('api_rate_limit', bearer(access_token)))).status).toBe(429);
    expect((await send(sandbox, '/fhir/Patient', simulating('expired_token'))).headers.get('www-authenticate')).toBe(
      'Bearer realm="SMART sandbox", DPoP algs="ES256 ES384 RS256 PS256"',
    );
    // RFC 6750 §3: the challenge carries printable ASCII only, the body the words as written.
    const refused = await send(sandbox, '/fhir/Patient', simulating('refused_scope', bearer(access_token)));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer realm="SMART sandbox", error="insufficient_scope", error_description="The access token\'s scopes do not permit this request."',
    );
    expect(JSON.stringify(await refused.json())).toContain('The access token’s scopes');
  });
});
