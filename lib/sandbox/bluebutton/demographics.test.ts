import { describe, expect, it } from 'vitest';
import { bearer, createTestSandbox, getApp, getTokens, send } from './test-helpers';

describe('demographic data', () => {
  it('with everything shared: Patient and userinfo answer, userinfo in Blue Button’s shape', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    expect((await send(sandbox, '/v2/fhir/Patient/', bearer(tokens.access_token))).status).toBe(200);
    const userinfo = await send(sandbox, '/v2/connect/userinfo', bearer(tokens.access_token));
    expect(userinfo.status).toBe(200);
    const body = (await userinfo.json()) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['sub', 'name', 'given_name', 'family_name', 'email', 'iat', 'patient']);
    expect(body).toMatchObject({ sub: '-20140000000001', patient: '-20140000000001', name: `${body.given_name} ${body.family_name}` });
    expect(body.iat).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('refused on the consent page: no Patient or profile scope, 403 on /Patient and userinfo, claims still readable', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox, { shareDemographic: false });
    expect(tokens.scope).toBe('openid patient/ExplanationOfBenefit.rs patient/Coverage.rs');
    expect(tokens.patient).toBe('-20140000000001');

    const patient = await send(sandbox, '/v2/fhir/Patient/', bearer(tokens.access_token));
    expect(patient.status).toBe(403);
    expect(await patient.text()).toBe('{"detail":"You do not have permission to perform this action."}');
    expect((await send(sandbox, `/v2/fhir/Patient/${tokens.patient}`, bearer(tokens.access_token))).status).toBe(403);
    const userinfo = await send(sandbox, '/v2/connect/userinfo', bearer(tokens.access_token));
    expect(userinfo.status).toBe(403);
    expect(await userinfo.json()).toEqual({ detail: 'You do not have permission.' });

    expect((await send(sandbox, '/v2/fhir/ExplanationOfBenefit/', bearer(tokens.access_token))).status).toBe(200);
    expect((await send(sandbox, '/v2/fhir/Coverage/', bearer(tokens.access_token))).status).toBe(200);
  });

  it('refusing later revokes the tokens the beneficiary gave the app before, as Blue Button does', async () => {
    const { sandbox } = createTestSandbox();
    const before = await getTokens(sandbox);
    expect((await send(sandbox, '/v2/fhir/Patient', bearer(before.access_token))).status).toBe(200);
    await getTokens(sandbox, { shareDemographic: false });
    expect((await send(sandbox, '/v2/fhir/Patient', bearer(before.access_token))).status).toBe(401);
  });

  it('never granted to an app registered without demographic data, whatever it asks for', async () => {
    const { sandbox } = createTestSandbox();
    const app = getApp('demo-no-demographic');
    const tokens = await getTokens(sandbox, { app, overrides: { scope: 'openid profile patient/Patient.rs patient/Coverage.rs' } });
    expect(tokens.scope).toBe('openid patient/Coverage.rs');
    expect((await send(sandbox, '/v2/fhir/Patient', bearer(tokens.access_token))).status).toBe(403);
    expect((await send(sandbox, '/v2/fhir/ExplanationOfBenefit', bearer(tokens.access_token))).status).toBe(403);
  });

  it('uses the app’s registered scopes when the request names none', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox, { app: getApp('demo-no-demographic'), overrides: { scope: undefined } });
    expect(tokens.scope).toBe('openid patient/ExplanationOfBenefit.rs patient/Coverage.rs');
  });

  it('grants SMART v1 .read scopes when those are asked for', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox, { overrides: { scope: 'patient/Patient.read patient/ExplanationOfBenefit.read' } });
    expect(tokens.scope).toBe('patient/Patient.read patient/ExplanationOfBenefit.read');
    expect((await send(sandbox, '/v2/fhir/Patient', bearer(tokens.access_token))).status).toBe(200);
    expect((await send(sandbox, '/v2/fhir/Coverage', bearer(tokens.access_token))).status).toBe(403);
  });
});
