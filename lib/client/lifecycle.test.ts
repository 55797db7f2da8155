import { describe, expect, it } from 'vitest';
import type { TokenDto } from '@/lib/contract/schemas';
import { lifecycleOf, lifecycleOfEnded, renewalAction, RENEW_BEFORE_MS } from './lifecycle';

const minute = 60_000;
function token(over: Partial<TokenDto> = {}): TokenDto {
  return {
    providerId: 'bcda', environmentId: 'builtin', presetId: 'extra-small', grantType: 'client_credentials', responseFacts: {},
    credentialLabel: 'XS', clientId: 'c', tokenType: 'bearer', maskedToken: 'eyJ…', fingerprint: { hmacPrefix: 'ab', length: 700 },
    format: 'jwt', verification: { status: 'verified', reason: '' }, expiresInRaw: '1200', issuedAt: 0, expiresAt: 20 * minute,
    deviations: [], reused: false, reuses: [],
    ...over,
  };
}
const refreshable = (over: Partial<TokenDto> = {}) =>
  token({ grantType: 'authorization_code', presetId: 'demo', refresh: { fingerprint: { hmacPrefix: 'r1', length: 30 }, rotates: true, history: [] }, ...over });

describe('renewalAction on a fake clock', () => {
  it('does nothing while the token has more than a minute to live', () => {
    expect(renewalAction(token(), 0, { lastAttemptFailed: false }).kind).toBe('none');
    expect(renewalAction(token(), 20 * minute - RENEW_BEFORE_MS - 1, { lastAttemptFailed: false }).kind).toBe('none');
  });

  it('mints a new client-credentials token only in the last minute (BCDA and Candid ask for reuse before that)', () => {
    expect(renewalAction(token(), 20 * minute - RENEW_BEFORE_MS + 1, { lastAttemptFailed: false }).kind).toBe('mint');
    expect(renewalAction(token(), 25 * minute, { lastAttemptFailed: false }).kind).toBe('mint');
  });

  it('refreshes where a refresh token exists, keeping the provider’s client authentication', () => {
    expect(renewalAction(refreshable(), 19.5 * minute, { lastAttemptFailed: false })).toMatchObject({ kind: 'refresh' });
  });

  it('asks to re-authorize without a refresh token, and for custom credentials it no longer holds', () => {
    expect(renewalAction(token({ grantType: 'authorization_code', presetId: 'demo' }), 30 * minute, { lastAttemptFailed: false }).kind).toBe('reauthorize');
    expect(renewalAction(token({ presetId: undefined }), 30 * minute, { lastAttemptFailed: false }).kind).toBe('reauthorize');
  });

  it('renews a token the provider refused at once, whatever its expiry says', () => {
    const refusal = { at: minute, source: 'resource' as const, reason: 'Expired Token' };
    expect(renewalAction(token({ refusal }), 2 * minute, { lastAttemptFailed: false })).toMatchObject({ kind: 'mint', reason: expect.stringContaining('Refused by the provider') });
    expect(renewalAction(refreshable({ refusal }), 2 * minute, { lastAttemptFailed: false }).kind).toBe('refresh');
    const events = lifecycleOf(token({ refusal }), 2 * minute);
    expect(events.map((e) => e.type)).toEqual(['issued', 'refused']);
    expect(events[1]?.detail).toContain('Expired Token');
  });

  it('never loops: after a failed renewal it waits for the user', () => {
    expect(renewalAction(refreshable(), 30 * minute, { lastAttemptFailed: true }).kind).toBe('none');
  });
});

describe('lifecycleOf', () => {
  it('tells issued, reused, rotated and expired in order', () => {
    const t = refreshable({
      issuedAt: 10 * minute,
      expiresAt: 70 * minute,
      reuses: [5 * minute],
      refresh: { fingerprint: { hmacPrefix: 'r2', length: 30 }, rotates: true, history: [{ at: 10 * minute, usedFingerprint: 'r1', newFingerprint: 'r2' }] },
    });
    expect(lifecycleOf(t, 80 * minute).map((e) => e.type)).toEqual(['reused', 'issued', 'rotated', 'expired']);
    expect(lifecycleOf(token(), 1 * minute).map((e) => e.type)).toEqual(['issued']);
    expect(lifecycleOf(token(), 21 * minute).map((e) => e.type)).toEqual(['issued', 'expired']);
  });

  it('says when a refresh kept the same refresh token', () => {
    const t = refreshable({ refresh: { fingerprint: { hmacPrefix: 'r1', length: 30 }, rotates: false, history: [{ at: 5, usedFingerprint: 'r1', newFingerprint: null }] } });
    expect(lifecycleOf(t, 0).find((e) => e.type === 'refreshed')?.detail).toContain('kept the same refresh token');
  });
});

describe('lifecycleOfEnded', () => {
  it('closes the story with the revocation that ended it', () => {
    const events = lifecycleOfEnded({
      providerId: 'healthsherpa', environmentId: 'builtin', credentialLabel: 'Demo partner app', issuedAt: 0, reuses: [],
      refreshHistory: [{ at: 5 * minute, usedFingerprint: 'r1', newFingerprint: 'r2' }],
      endedAt: 9 * minute, reason: 'The refresh token is no longer valid.',
    });
    expect(events.map((e) => e.type)).toEqual(['issued', 'rotated', 'revoked']);
    expect(events.at(-1)?.detail).toContain('The tokens were dropped.');
  });
});
