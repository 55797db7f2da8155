import { describe, expect, it } from 'vitest';
import { getRequestHistory } from './request-history';
import type { ExchangeDto } from '@/lib/contract/schemas';

const root = 'http://127.0.0.1:3000/sandbox/bluebutton';
const target = { environmentId: 'builtin', endpoints: { tokenUrl: `${root}/v2/o/token`, fhirBaseUrl: `${root}/v2/fhir`, allowedPathPrefixes: ['/v2/'] } };

let clock = 1_700_000_000_000;
function exchange(overrides: Partial<ExchangeDto> & { url: string }): ExchangeDto {
  clock += 1000;
  return {
    id: `x-${clock}`,
    startedAt: clock,
    kind: 'fhir',
    providerId: 'bluebutton',
    environmentId: 'builtin',
    method: 'GET',
    status: 200,
    durationMs: 42,
    request: {
      headers: [
        ['Accept', 'application/json'],
        ['Authorization', 'Bearer [redacted]'],
        ['X-Console-Simulate', 'server_error'],
      ],
      body: null,
    },
    response: { headers: [], body: '{}', bodyTruncated: false, size: 2 },
    ...overrides,
  };
}

describe('getRequestHistory', () => {
  it('lists this provider’s FHIR requests newest first, environment-relative, with only user-settable headers', () => {
    const eob = exchange({ url: `${root}/v2/fhir/ExplanationOfBenefit?_count=5` });
    const token = exchange({ kind: 'token', method: 'POST', url: `${root}/v2/o/token` });
    const next = exchange({ url: `${root}/v2/fhir/ExplanationOfBenefit?_count=5&startIndex=5`, status: 200, durationMs: 7 });
    const history = getRequestHistory([eob, token, next], 'bluebutton', target);
    expect(history.map((entry) => entry.path)).toEqual(['/v2/fhir/ExplanationOfBenefit?_count=5&startIndex=5', '/v2/fhir/ExplanationOfBenefit?_count=5']);
    expect(history[0]).toEqual({
      exchangeId: next.id,
      method: 'GET',
      path: '/v2/fhir/ExplanationOfBenefit?_count=5&startIndex=5',
      headers: { Accept: 'application/json' },
      body: undefined,
      status: 200,
      error: undefined,
      startedAt: next.startedAt,
      durationMs: 7,
      repeats: 1,
    });
  });

  it('never carries Authorization or the BFF’s own headers', () => {
    const history = getRequestHistory([exchange({ url: `${root}/v2/fhir/Patient` })], 'bluebutton', target);
    expect(Object.keys(history[0]?.headers ?? {}).map((h) => h.toLowerCase())).toEqual(['accept']);
  });

  it('leaves out other providers, other environments and URLs off the target’s endpoints', () => {
    const history = getRequestHistory(
      [
        exchange({ url: 'http://127.0.0.1:3000/sandbox/bcda/api/v2/metadata', providerId: 'bcda' }),
        exchange({ url: 'https://sandbox.bluebutton.cms.gov/v2/fhir/Patient', environmentId: 'sandbox' }),
        exchange({ url: 'http://127.0.0.1:3000/elsewhere' }),
        exchange({ url: `${root}/v2/fhir/metadata` }),
      ],
      'bluebutton',
      target,
    );
    expect(history.map((entry) => entry.path)).toEqual(['/v2/fhir/metadata']);
  });

  it('folds the same request sent in a row (a status poll) into one line with a count', () => {
    const poll = () => exchange({ url: `${root}/v2/fhir/Coverage`, status: 202 });
    const history = getRequestHistory([poll(), poll(), poll(), exchange({ url: `${root}/v2/fhir/Patient` }), poll()], 'bluebutton', target);
    expect(history.map((entry) => [entry.path, entry.repeats])).toEqual([
      ['/v2/fhir/Coverage', 1],
      ['/v2/fhir/Patient', 1],
      ['/v2/fhir/Coverage', 3],
    ]);
  });

  it('keeps POST bodies apart and as recorded', () => {
    const post = (body: string) => exchange({ url: `${root}/v2/fhir/Patient`, method: 'POST', request: { headers: [['Content-Type', 'application/json']], body } });
    const history = getRequestHistory([post('{"a":1}'), post('{"a":2}')], 'bluebutton', target);
    expect(history.map((entry) => entry.body)).toEqual(['{"a":2}', '{"a":1}']);
    expect(history[0]?.headers).toEqual({ 'Content-Type': 'application/json' });
  });

  it('shows a network failure and skips methods the proxy cannot send', () => {
    const history = getRequestHistory(
      [exchange({ url: `${root}/v2/fhir/Patient`, status: null, error: 'upstream_timeout' }), exchange({ url: `${root}/v2/fhir/Patient`, method: 'PATCH' })],
      'bluebutton',
      target,
    );
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ status: null, error: 'upstream_timeout' });
  });

  it('stops at the limit', () => {
    const many = Array.from({ length: 8 }, (_, i) => exchange({ url: `${root}/v2/fhir/Patient?i=${i}` }));
    expect(getRequestHistory(many, 'bluebutton', target, 3).map((entry) => entry.path)).toEqual([
      '/v2/fhir/Patient?i=7',
      '/v2/fhir/Patient?i=6',
      '/v2/fhir/Patient?i=5',
    ]);
  });
});
