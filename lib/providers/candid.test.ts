import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candid } from './candid';
import { toProviderDto } from './dto';
import { resolveEnvironment } from './resolve';
import { providerSchema } from './schema';

const seedPath = join(__dirname, '../../../shared/seeds/candid-get-token.txt');

describe('the Candid Health provider file', () => {
  it('is a valid provider', () => {
    expect(providerSchema.safeParse(candid).success).toBe(true);
    expect(candid).toMatchObject({ id: 'candid', name: 'Candid Health', tokenFormat: 'jwt', documentedTokenLifetimeSeconds: 18000 });
  });

  it('sends the credentials alone, in a JSON body by default or a form body on request', () => {
    expect(candid.grant).toMatchObject({
      grantType: 'client_credentials',
      clientAuth: 'json',
      httpMethod: 'POST',
      body: 'json',
      bodyChoices: ['json', 'form'],
      extraParams: {},
      scopes: [],
      headers: { Accept: 'application/json' },
    });
    expect(candid.tokenReuse.reuseLiveToken).toBe(true);
    expect(candid.tokenReuse.reason).toContain('429');
  });

  it.runIf(existsSync(seedPath))('follows the seed: token path, both content types and the 5-hour lifetime', () => {
    const seed = readFileSync(seedPath, 'utf8');
    expect(seed).toContain('/auth/v2/token');
    expect(seed).toContain('application/json');
    expect(seed).toContain('application/x-www-form-urlencoded');
    expect(seed).toContain('expires 5 hours after it has been created');
    expect(seed).toContain('HTTP 429 Too Many Requests');
    for (const env of candid.environments) expect(env.tokenPath).toBe('/api/auth/v2/token');
  });

  it('resolves the built-in sandbox under the console and the real hosts from the SDK', () => {
    const byId = Object.fromEntries(candid.environments.map((e) => [e.id, resolveEnvironment(candid, e, 'http://127.0.0.1:3000')]));
    expect(byId.builtin?.tokenUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/candid/api/auth/v2/token');
    expect(byId.builtin?.jwksUrl?.toString()).toBe('http://127.0.0.1:3000/sandbox/candid/.well-known/jwks.json');
    expect(byId.builtin?.fhirBaseUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/candid/api');
    expect(byId.sandbox?.tokenUrl.toString()).toBe('https://sandbox-api.joincandidhealth.com/api/auth/v2/token');
    expect(byId.staging?.tokenUrl.toString()).toBe('https://api-staging.joincandidhealth.com/api/auth/v2/token');
    expect(byId.production?.tokenUrl.toString()).toBe('https://api.joincandidhealth.com/api/auth/v2/token');
    expect(candid.environments.map((e) => [e.id, e.kind])).toEqual([
      ['builtin', 'builtin'],
      ['sandbox', 'sandbox'],
      ['staging', 'sandbox'],
      ['production', 'production'],
    ]);
    for (const env of candid.environments) expect(env.allowedPathPrefixes).toEqual(['/api/']);
    expect(candid.environments.find((e) => e.id === 'builtin')?.note).toContain('candidhealth.auth0.com/pem');
  });

  it('holds two invented demo keys that only the built-in sandbox accepts', () => {
    expect(candid.presets.map((p) => [p.id, p.facts.organizationName, p.facts.access])).toEqual([
      ['demo-billing', 'Maple Grove Family Medicine', 'read-write'],
      ['demo-read-only', 'Cedar Ridge Behavioral Health', 'read-only'],
    ]);
    for (const preset of candid.presets) expect(preset.environments).toEqual(['builtin']);
    expect(new Set(candid.presets.map((p) => p.clientId)).size).toBe(2);
    expect(candid.allowCustomCredentials).toBe(true);
  });

  it('offers GETs of the emulated API, all under the allowed prefix', () => {
    expect(candid.defaultRequests.length).toBeGreaterThanOrEqual(3);
    for (const request of candid.defaultRequests) {
      expect(request.method).toBe('GET');
      expect(request.path.startsWith('/api/')).toBe(true);
    }
  });

  it('documents the deviations the request builder reports, and Candid’s others', () => {
    expect(candid.knownDeviations.map((d) => d.code)).toEqual([
      'no_grant_type',
      'json_token_request',
      'documented_lifetime_conflict',
      'unauthorized_403',
      'fern_error_envelope',
    ]);
  });

  it('never puts a secret in the browser DTO', () => {
    const text = JSON.stringify(toProviderDto(candid, true, 'http://127.0.0.1:3000'));
    for (const preset of candid.presets) expect(text).not.toContain(preset.clientSecret);
    expect(text).not.toContain('clientSecret');
  });
});
