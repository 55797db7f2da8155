import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bcda } from './bcda';
import { toProviderDto } from './dto';
import { resolveEnvironment } from './resolve';
import { providerSchema } from './schema';

const seedPath = join(__dirname, '../../../shared/seeds/bcda-get-a-bearer-token.md');

describe('the BCDA provider file', () => {
  it('is a valid provider', () => {
    expect(providerSchema.safeParse(bcda).success).toBe(true);
  });

  it('holds all six public sandbox credential sets with their enrollee counts', () => {
    expect(bcda.presets.map((p) => [p.id, p.facts.enrollees])).toEqual([
      ['extra-small', 50],
      ['extra-large', 30000],
      ['advanced-extra-small', 100],
      ['advanced-large', 10000],
      ['reach-extra-small', 110],
      ['reach-large', 11000],
    ]);
    expect(new Set(bcda.presets.map((p) => p.clientId)).size).toBe(6);
    for (const preset of bcda.presets) expect(preset.environments).toEqual(['builtin', 'sandbox']);
  });

  it.runIf(existsSync(seedPath))('matches every client id and secret published in the seed document', () => {
    const seed = readFileSync(seedPath, 'utf8');
    const ids = [...seed.matchAll(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/gm)].map((m) => m[1]);
    const secrets = [...seed.matchAll(/^([0-9a-f]{80})$/gm)].map((m) => m[1]);
    expect(new Set(ids)).toEqual(new Set(bcda.presets.map((p) => p.clientId)));
    expect(new Set(secrets)).toEqual(new Set(bcda.presets.map((p) => p.clientSecret)));
  });

  it('resolves the built-in sandbox under the console and the real hosts as in the docs', () => {
    const [builtin, sandbox, production] = bcda.environments.map((e) => resolveEnvironment(bcda, e, 'http://127.0.0.1:3000'));
    expect(builtin?.tokenUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/bcda/auth/token');
    expect(builtin?.jwksUrl?.toString()).toBe('http://127.0.0.1:3000/sandbox/bcda/.well-known/jwks.json');
    expect(sandbox?.tokenUrl.toString()).toBe('https://sandbox.bcda.cms.gov/auth/token');
    expect(production?.fhirBaseUrl.toString()).toBe('https://api.bcda.cms.gov/api/v2');
    expect(production?.apiOrigin).toBe('https://api.bcda.cms.gov');
  });

  it('documents a deviation for every quirk the token parser can detect in BCDA responses', () => {
    const codes = bcda.knownDeviations.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['expires_in_string', 'token_type_case', 'no_grant_type']));
  });
});

describe('toProviderDto', () => {
  it('never carries a secret, and drops the built-in sandbox when switched off', () => {
    const dto = toProviderDto(bcda, true, 'http://localhost:3000', 'http://127.0.0.1:3000');
    const text = JSON.stringify(dto);
    for (const preset of bcda.presets) expect(text).not.toContain(preset.clientSecret);
    expect(text).not.toContain('clientSecret');
    expect(dto.environments.map((e) => e.id)).toEqual(['builtin', 'sandbox', 'production']);
    expect(toProviderDto(bcda, false, 'http://localhost:3000').environments.map((e) => e.id)).toEqual(['sandbox', 'production']);
  });
});
