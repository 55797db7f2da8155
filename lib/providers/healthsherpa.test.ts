import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toProviderDto } from './dto';
import { healthsherpa, healthsherpaSeedContact } from './healthsherpa';
import { resolveEnvironment } from './resolve';
import { providerSchema } from './schema';

const seedPath = join(__dirname, '../../../shared/seeds/healthsherpa-authentication.md');

describe('the HealthSherpa provider file', () => {
  it('is a valid provider', () => {
    expect(providerSchema.safeParse(healthsherpa).success).toBe(true);
  });

  it('describes the authorization code grant with the secret in the form body, PKCE S256 and rotating refresh tokens', () => {
    expect(healthsherpa.grant).toMatchObject({
      grantType: 'authorization_code',
      clientAuth: 'form',
      httpMethod: 'POST',
      body: 'form',
      extraParams: {},
      scopes: ['partner_api_v2'],
      pkce: 'S256',
      stateMinLength: 0,
      refresh: { supported: true, rotates: true },
    });
    expect(healthsherpa.tokenFormat).toBe('opaque');
    expect(healthsherpa.documentedTokenLifetimeSeconds).toBe(3600);
  });

  it('resolves the built-in sandbox under the console and the real OAuth hosts as in the docs', () => {
    const [builtin, staging, production] = healthsherpa.environments.map((e) => resolveEnvironment(healthsherpa, e, 'http://127.0.0.1:3000'));
    expect(builtin?.authorizeUrl?.toString()).toBe('http://127.0.0.1:3000/sandbox/healthsherpa/oauth/authorize');
    expect(builtin?.tokenUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/healthsherpa/oauth/token');
    expect(builtin?.fhirBaseUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/healthsherpa/v2');
    expect(staging?.environment.kind).toBe('sandbox');
    expect(staging?.authorizeUrl?.toString()).toBe('https://medicare-staging.healthsherpa.com/oauth/authorize');
    expect(staging?.tokenUrl.toString()).toBe('https://medicare-staging.healthsherpa.com/oauth/token');
    expect(staging?.environment.note).toContain('https://api.medicare-staging.healthsherpa.com/v2');
    expect(production?.authorizeUrl?.toString()).toBe('https://medicare.healthsherpa.com/oauth/authorize');
    expect(production?.tokenUrl.toString()).toBe('https://medicare.healthsherpa.com/oauth/token');
    expect(production?.environment.note).toContain('https://api.medicare.healthsherpa.com/v2');
  });

  it('has a built-in-only demo preset with Doorkeeper-shaped credentials and two agent logins', () => {
    expect(healthsherpa.presets.map((p) => p.id)).toEqual(['demo-partner-app']);
    const [preset] = healthsherpa.presets;
    expect(preset?.environments).toEqual(['builtin']);
    expect(preset?.clientId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(preset?.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(preset?.sandboxUsers.map((u) => u.username)).toEqual(['agent@demo-agency.test', 'broker@demo-agency.test']);
  });

  it.runIf(existsSync(seedPath))('carries the seed’s token endpoints, scope and create-contact body', () => {
    const seed = readFileSync(seedPath, 'utf8');
    expect(seed).toContain('https://medicare.healthsherpa.com/oauth/token');
    expect(seed).toContain('https://medicare-staging.healthsherpa.com/oauth/authorize');
    expect(seed).toContain('scope=partner_api_v2');
    const body = /-d '(\{"contact".*\})'/.exec(seed)?.[1];
    expect(body && JSON.parse(body)).toEqual(healthsherpaSeedContact);
    const create = healthsherpa.defaultRequests.find((r) => r.id === 'create-contact');
    expect(JSON.parse(create?.body ?? '{}')).toEqual(healthsherpaSeedContact);
    expect(create).toMatchObject({ method: 'POST', path: '/v2/contacts' });
  });

  it('documents the deviations the console should show', () => {
    expect(healthsherpa.knownDeviations.map((d) => d.code)).toEqual(
      expect.arrayContaining(['token_looks_like_jwt', 'api_error_envelope', 'separate_api_host', 'refresh_rotation', 'pkce_undocumented']),
    );
  });

  it('sends PKCE although HealthSherpa documents none, and says so on the page', () => {
    const dto = toProviderDto(healthsherpa, true, 'http://127.0.0.1:3000');
    expect(dto.grant.codeBinding).toEqual({ method: 'pkce_s256' });
    expect(dto.knownDeviations.find((d) => d.code === 'pkce_undocumented')?.detail).toContain('RFC 9700 §2.1.1');
  });

  it('keeps the secret out of the DTO', () => {
    const text = JSON.stringify(toProviderDto(healthsherpa, true, 'http://127.0.0.1:3000'));
    for (const preset of healthsherpa.presets) expect(text).not.toContain(preset.clientSecret);
  });
});
