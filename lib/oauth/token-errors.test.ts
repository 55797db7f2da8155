import { describe, expect, it } from 'vitest';
import { explainTokenError, type TokenErrorInput } from './token-errors';

const base: TokenErrorInput = {
  status: 401,
  contentType: 'text/plain; charset=utf-8',
  body: 'Unauthorized\n',
  retryAfter: null,
  providerName: 'CMS BCDA',
  clientAuth: 'basic',
  environmentKind: 'builtin',
};

describe('explainTokenError', () => {
  it("explains BCDA's plain-text 401 as rejected credentials in the Basic header", () => {
    const e = explainTokenError(base);
    expect(e).toMatchObject({ status: 424, code: 'upstream_rejected' });
    expect(e.message).toBe('CMS BCDA\'s token endpoint answered 401 (text/plain "Unauthorized"): the client credentials were not accepted.');
    expect(e.hint).toContain('HTTP Basic Authorization header');
  });

  it('says sandbox credentials do not work in production', () => {
    expect(explainTokenError({ ...base, environmentKind: 'production' }).hint).toContain('Sandbox credentials do not work on the production host');
  });

  it('reads an RFC 6749 JSON error', () => {
    const e = explainTokenError({ ...base, status: 400, contentType: 'application/json', body: '{"error":"invalid_client","error_description":"bad secret"}' });
    expect(e.code).toBe('upstream_rejected');
    expect(e.message).toContain('invalid_client: bad secret');
  });

  it('passes on Retry-After for a 429', () => {
    const e = explainTokenError({ ...base, status: 429, body: 'A9994 exceeded the rate limit', retryAfter: '300' });
    expect(e).toMatchObject({ status: 429, code: 'upstream_rate_limited' });
    expect(e.message).toContain('Retry after 300 seconds');
  });

  it('blames the provider for a 5xx', () => {
    expect(explainTokenError({ ...base, status: 503, body: 'Service Unavailable', retryAfter: '1' })).toMatchObject({ status: 502, code: 'upstream_error' });
  });

  it('does not follow redirects', () => {
    expect(explainTokenError({ ...base, status: 302, body: '' }).message).toContain('redirect');
  });
});

describe('explainTokenError for JSON-bodied APIs', () => {
  it('reads Fern error envelopes and explains 415 and 422', () => {
    const fern = explainTokenError({ ...base, status: 401, contentType: 'application/json', body: '{"errorName":"UnauthorizedError","content":{"message":"Invalid client credentials"}}', clientAuth: 'json' });
    expect(fern.message).toContain('UnauthorizedError: Invalid client credentials');
    expect(fern.hint).toContain('the json body');
    expect(explainTokenError({ ...base, status: 415, body: '{"errorName":"InvalidContentTypeError"}' }).message).toContain('Content-Type');
    expect(explainTokenError({ ...base, status: 422, body: '[]' }).message).toContain('missing or malformed');
  });

  it('turns invalid_grant on a refresh into reauth_required', () => {
    expect(explainTokenError({ ...base, status: 400, contentType: 'application/json', body: '{"error":"invalid_grant"}', grantType: 'refresh_token' })).toMatchObject({ status: 409, code: 'reauth_required' });
  });
});
