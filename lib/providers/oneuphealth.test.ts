import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toProviderDto } from './dto';
import { oneuphealth } from './oneuphealth';
import { resolveEnvironment } from './resolve';
import { providerSchema } from './schema';

const seedPath = join(__dirname, '../../../shared/seeds/1uphealth-client-credentials.md');

function getPreset(id: string) {
  const preset = oneuphealth.presets.find((candidate) => candidate.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  return preset;
}

describe('the 1upHealth provider file', () => {
  it('is a valid provider with id 1uphealth', () => {
    expect(providerSchema.safeParse(oneuphealth).success).toBe(true);
    expect(oneuphealth.id).toBe('1uphealth');
    expect(oneuphealth.name).toBe('1upHealth');
  });

  it('has the Provider Access, Payer-to-Payer and Patient Access presets, built-in only', () => {
    expect(oneuphealth.presets.map((preset) => [preset.id, preset.label])).toEqual([
      ['provider-access', 'Provider Access (tenant bison)'],
      ['payer-to-payer', 'Payer-to-Payer'],
      ['patient-access', 'Patient Access — demo health plan'],
    ]);
    for (const preset of oneuphealth.presets) expect(preset.environments).toEqual(['builtin']);
    expect(getPreset('provider-access').grant).toBeUndefined();
    expect(getPreset('payer-to-payer').grant).toBeUndefined();
    expect(getPreset('patient-access').grant).toMatchObject({
      grantType: 'authorization_code',
      clientAuth: 'form',
      pkce: 'S256',
      scopes: ['user/*.read', 'launch/patient', 'openid'],
      refresh: { supported: true, rotates: false },
    });
    expect(getPreset('patient-access').sandboxUsers.map((user) => user.username)).toContain('08-testmemid');
  });

  it.runIf(existsSync(seedPath))('sends the seed’s grant: form body with grant_type and the pipe scope as one scope', () => {
    const seed = readFileSync(seedPath, 'utf8');
    expect(seed).toContain(`https://gateway.1up.health${oneuphealth.environments[0]?.tokenPath}`);
    expect(seed).toContain(`'scope=${oneuphealth.grant.scopes[0]}'`);
    expect(oneuphealth.grant.scopes).toEqual(['bulk-data|user/*.rs']);
    expect(oneuphealth.grant).toMatchObject({
      grantType: 'client_credentials',
      clientAuth: 'form',
      httpMethod: 'POST',
      body: 'form',
      extraParams: { grant_type: 'client_credentials' },
      headers: { Accept: 'application/json' },
    });
  });

  it('resolves the built-in Keycloak realm and bulk base, and Patient Access on its own paths', () => {
    const [builtin, sandbox, production] = oneuphealth.environments;
    if (!builtin || !sandbox || !production) throw new Error('missing environment');
    const resolved = resolveEnvironment(oneuphealth, builtin, 'http://127.0.0.1:3000');
    expect(resolved.tokenUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/1uphealth/auth/realms/dev-portal/protocol/openid-connect/token');
    expect(resolved.jwksUrl?.toString()).toBe('http://127.0.0.1:3000/sandbox/1uphealth/auth/realms/dev-portal/protocol/openid-connect/certs');
    expect(resolved.fhirBaseUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/1uphealth/v1/bison/bulk-export/bulk-data/r4');

    const patientAccess = getPreset('patient-access');
    const pa = resolveEnvironment(oneuphealth, builtin, 'http://127.0.0.1:3000', patientAccess.environmentOverrides.builtin);
    expect(pa.tokenUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/1uphealth/oauth2/token');
    expect(pa.authorizeUrl?.toString()).toBe('http://127.0.0.1:3000/sandbox/1uphealth/oauth2/authorize/test');
    expect(pa.fhirBaseUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/1uphealth/r4');
    expect(pa.environment.allowedPathPrefixes).toEqual(['/r4/']);

    expect(resolveEnvironment(oneuphealth, sandbox).tokenUrl.toString()).toBe('https://gateway.1up.health/auth/realms/dev-portal/protocol/openid-connect/token');
    expect(production.origin).toBe('https://gateway.1up.health');
  });

  it('lists default requests inside an allowed prefix of the environment they are meant for', () => {
    const [builtin] = oneuphealth.environments;
    const paPrefixes = getPreset('patient-access').environmentOverrides.builtin?.allowedPathPrefixes ?? [];
    for (const request of oneuphealth.defaultRequests) {
      const prefixes = request.path.startsWith('/r4/') ? paPrefixes : (builtin?.allowedPathPrefixes ?? []);
      expect(prefixes.some((prefix) => request.path.startsWith(prefix))).toBe(true);
    }
    expect(oneuphealth.defaultRequests.filter((request) => request.bulkExport).map((request) => request.id)).toEqual([
      'system-export',
      'encounter-export-since',
      'group-export',
    ]);
  });

  it('documents the seed’s GET, the pipe scope, date-only _since, no cancel and the 5-minute code', () => {
    expect(oneuphealth.knownDeviations.map((deviation) => deviation.code)).toEqual(
      expect.arrayContaining(['token_request_get', 'scope_pipe', 'since_date_only', 'no_bulk_cancel', 'auth_code_5_minutes', 'expires_in_unconfirmed']),
    );
    expect(oneuphealth.documentedTokenLifetimeSeconds).toBe(300);
    expect(oneuphealth.tokenFormat).toBe('jwt');
  });

  it('never puts a secret in the DTO', () => {
    const text = JSON.stringify(toProviderDto(oneuphealth, true, 'http://127.0.0.1:3000'));
    for (const preset of oneuphealth.presets) expect(text).not.toContain(preset.clientSecret);
  });
});
