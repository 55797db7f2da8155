import { describe, expect, it } from 'vitest';
import type { TokenDto } from '@/lib/contract/schemas';
import { buildTokenResponseRows, describeFactValue, formatSeconds, parseDateLike, RESPONSE_FIELD_DESCRIPTIONS } from './fact-utils';

describe('parseDateLike', () => {
  it('reads Blue Button’s access_grant_expiration and ISO forms', () => {
    expect(parseDateLike('2025-09-05 19:17:53Z')).toBe(Date.UTC(2025, 8, 5, 19, 17, 53));
    expect(parseDateLike('2025-09-05T19:17:53.250+0200')).toBe(Date.UTC(2025, 8, 5, 17, 17, 53, 250));
    expect(parseDateLike('2025-09-05')).toBe(Date.UTC(2025, 8, 5));
  });
  it('refuses what is not a date', () => {
    expect(parseDateLike('-20140000000001')).toBeNull();
    expect(parseDateLike('')).toBeNull();
    expect(parseDateLike('2025-13-45')).toBeNull();
  });
});

describe('describeFactValue', () => {
  it('shows dates and epoch fields as times', () => {
    expect(describeFactValue('access_grant_expiration', '2026-09-05 19:17:53Z')).toMatchObject({ kind: 'time', raw: '"2026-09-05 19:17:53Z"' });
    expect(describeFactValue('created_at', 1_760_000_000)).toMatchObject({ kind: 'time', ms: 1_760_000_000_000 });
  });
  it('shows lifetimes as durations', () => {
    expect(describeFactValue('refresh_expires_in', 1800)).toEqual({ kind: 'duration', raw: '1800', type: 'number', seconds: 1800 });
    expect(describeFactValue('expires_in', '1200')).toMatchObject({ kind: 'duration', type: 'string', seconds: 1200 });
  });
  it('keeps anything else literal, so the type shows', () => {
    expect(describeFactValue('patient', '-20140000000001')).toEqual({ kind: 'literal', raw: '"-20140000000001"', empty: false });
    expect(describeFactValue('access_grant_expiration', '')).toEqual({ kind: 'literal', raw: '""', empty: true });
    expect(describeFactValue('not-before-policy', 0)).toEqual({ kind: 'literal', raw: '0', empty: false });
    expect(describeFactValue('user_id', 123)).toMatchObject({ kind: 'literal' });
  });
});

describe('RESPONSE_FIELD_DESCRIPTIONS', () => {
  it('speaks of no provider or server product: a provider’s meaning of a field is in its provider file (claimGlossary)', () => {
    for (const text of Object.values(RESPONSE_FIELD_DESCRIPTIONS)) expect(text).not.toMatch(/Blue Button|BCDA|Candid|1up|HealthSherpa|Keycloak|Doorkeeper|Auth0/i);
  });
});

describe('formatSeconds', () => {
  it('rounds to a readable unit', () => {
    expect(formatSeconds(45)).toBe('45 s');
    expect(formatSeconds(1800)).toBe('30 min');
    expect(formatSeconds(3600)).toBe('1 h');
    expect(formatSeconds(5400)).toBe('1 h 30 min');
    // 1upHealth's expires_in 7199, and a minute short of the hour.
    expect(formatSeconds(7199)).toBe('2 h');
    expect(formatSeconds(3599)).toBe('1 h');
    expect(formatSeconds(3569)).toBe('59 min');
    expect(formatSeconds(13 * 86_400)).toBe('13 days');
  });
});

describe('buildTokenResponseRows', () => {
  const token = {
    maskedToken: 'Ab3d…9xYz',
    tokenType: 'Bearer',
    expiresInRaw: 3600,
    scope: 'openid patient/Coverage.rs',
    refresh: { fingerprint: { hmacPrefix: 'abcd', length: 30 }, rotates: true, history: [] },
    responseFacts: { patient: '-20140000000001', access_grant_expiration: '2026-09-05 19:17:53Z' },
  } as unknown as TokenDto;

  it('lists the standard fields with the secrets held back, then the provider’s additions', () => {
    const rows = buildTokenResponseRows(token);
    expect(rows.map((row) => [row.name, row.standard])).toEqual([
      ['access_token', true],
      ['token_type', true],
      ['expires_in', true],
      ['refresh_token', true],
      ['scope', true],
      ['patient', false],
      ['access_grant_expiration', false],
    ]);
    expect(rows[0]?.value).toEqual({ kind: 'held', text: 'Ab3d…9xYz' });
    expect(rows[3]?.value).toEqual({ kind: 'held', text: 'hmac:abcd… · 30 chars' });
    expect(rows[2]?.value).toMatchObject({ kind: 'duration', seconds: 3600 });
    expect(JSON.stringify(rows)).not.toContain('refresh_token_value');
  });
  it('leaves out refresh_token and scope when absent', () => {
    const rows = buildTokenResponseRows({ ...token, refresh: undefined, scope: undefined, responseFacts: {} });
    expect(rows.map((row) => row.name)).toEqual(['access_token', 'token_type', 'expires_in']);
  });
});
