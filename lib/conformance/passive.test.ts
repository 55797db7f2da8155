import { describe, expect, it } from 'vitest';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { bcda } from '@/lib/providers/bcda';
import { smart } from '@/lib/providers/smart';
import { checkExchanges, providerFacts } from './passive';

/** Passive checks as the session shows them: per exchange, by its step, with the provider's documented deviations. */

let n = 0;
function tokenExchange(providerId: string, overrides: Partial<ExchangeDto> & { body: Record<string, unknown> }): ExchangeDto {
  n += 1;
  const { body, ...rest } = overrides;
  return {
    id: `x-${n}`, startedAt: n, kind: 'token', providerId, environmentId: 'builtin', method: 'POST', url: `http://127.0.0.1:3000/sandbox/${providerId}/auth/token`, status: 200, durationMs: 3,
    request: { headers: [['Authorization', 'Basic [redacted]']], body: null },
    response: { headers: [['Content-Type', 'application/json'], ['Cache-Control', 'no-store'], ['Pragma', 'no-cache']], body: JSON.stringify(body), bodyTruncated: false, size: 100 },
    ...rest,
  };
}

const facts = new Map([bcda, smart].map((p) => [p.id, providerFacts(p)]));
const outcomeOf = (results: ReturnType<typeof checkExchanges>[number], id: string) => results.find((r) => r.checkId === id);

describe('checkExchanges', () => {
  it('BCDA’s token answer: its string expires_in and lower-case bearer are known deviations from its provider file, with their summaries', () => {
    const [results] = checkExchanges([tokenExchange('bcda', { body: { access_token: '[redacted]', token_type: 'bearer', expires_in: '1200' } })], facts, []);
    expect(outcomeOf(results!, 'backend.token-response-body')).toMatchObject({
      outcome: 'known',
      deviations: [
        { code: 'token_type_case', summary: expect.stringContaining('lower-case') },
        { code: 'expires_in_string', summary: expect.stringContaining('string') },
      ],
    });
    expect(outcomeOf(results!, 'backend.token-request')).toMatchObject({ outcome: 'known', deviations: [{ code: 'no_grant_type' }] });
    expect(outcomeOf(results!, 'backend.token-response-headers')?.outcome).toBe('pass');
  });

  it('the same answer from a provider that documents neither fails, in plain words', () => {
    const [results] = checkExchanges(
      [tokenExchange('smart', { request: { headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: 'grant_type=client_credentials&scope=system%2F*.rs' }, body: { access_token: '[redacted]', token_type: 'bearer', expires_in: '1200', scope: 'system/*.rs' } })],
      facts,
      [],
    );
    const body = outcomeOf(results!, 'backend.token-response-body');
    expect(body).toMatchObject({ outcome: 'fail', deviations: [] });
    expect(body?.message).toMatch(/`expires_in` is a string \("1200"\)/);
  });

  it('a deliberate probe is judged only by the checks that read a refusal; an unknown provider’s exchange by none', () => {
    const probe = tokenExchange('smart', {
      probe: 'An unknown grant_type, which must be refused',
      status: 400,
      request: { headers: [], body: 'grant_type=urn%3Aexample%3Anot-a-grant' },
      body: { error: 'unsupported_grant_type' },
    });
    const stranger = tokenExchange('nobody', { body: {} });
    const [probeResults, strangerResults] = checkExchanges([probe, stranger], facts, []);
    expect(probeResults!.map((r) => r.checkId)).toEqual(['backend.token-error-body']);
    expect(probeResults![0]?.outcome).toBe('pass');
    expect(strangerResults).toEqual([]);
  });
});
