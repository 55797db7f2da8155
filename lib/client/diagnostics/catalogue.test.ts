import { describe, expect, it } from 'vitest';
import type { ExchangeDto, ProviderDto, TokenDto } from '@/lib/contract/schemas';
import { toProviderDto } from '@/lib/providers/dto';
import { bcda } from '@/lib/providers/bcda';
import { bluebutton } from '@/lib/providers/bluebutton';
import { diagnoseExchange, diagnoseToken } from './catalogue';

const bcdaDto: ProviderDto = toProviderDto(bcda, true, 'http://localhost:3000');
const bbDto: ProviderDto = toProviderDto(bluebutton, true, 'http://localhost:3000');

function exchange(over: Partial<ExchangeDto> & { body?: string; responseHeaders?: [string, string][] }): ExchangeDto {
  const { body = '', responseHeaders = [], ...rest } = over;
  return {
    id: 'e1',
    startedAt: 1_000_000,
    kind: 'token',
    providerId: 'bcda',
    environmentId: 'builtin',
    method: 'POST',
    url: 'http://127.0.0.1:3000/sandbox/bcda/auth/token',
    status: 200,
    durationMs: 5,
    request: { headers: [['Authorization', 'Basic [redacted]']], body: '' },
    response: { headers: responseHeaders, body, bodyTruncated: false, size: body.length },
    ...rest,
  };
}

function token(over: Partial<TokenDto> = {}): TokenDto {
  return {
    providerId: 'bcda', environmentId: 'builtin', grantType: 'client_credentials', responseFacts: {},
    credentialLabel: 'XS', clientId: bcda.presets[0]!.clientId, tokenType: 'bearer', maskedToken: 'eyJ…', fingerprint: { hmacPrefix: 'ab', length: 700 },
    format: 'jwt', verification: { status: 'verified', reason: '' }, expiresInRaw: '1200', issuedAt: 0, expiresAt: 1_200_000, deviations: [], reused: false,
    reuses: [],
    ...over,
  };
}

const ids = (list: { id: string }[]) => list.map((d) => d.id);

describe('diagnoseExchange', () => {
  it('names sandbox credentials sent to production', () => {
    const found = diagnoseExchange(exchange({ environmentId: 'production', status: 401, body: 'Unauthorized\n' }), { provider: bcdaDto, token: token({ environmentId: 'production' }) });
    expect(ids(found)).toEqual(['sandbox_credentials_on_production', 'invalid_client', 'credentials_rotation']);
  });

  it('suspects production credentials on the sandbox', () => {
    const found = diagnoseExchange(exchange({ environmentId: 'sandbox', status: 401, body: 'Unauthorized\n' }), { provider: bcdaDto, token: token({ clientId: 'my-prod-client' }) });
    expect(ids(found)).toEqual(['production_credentials_on_sandbox', 'invalid_client']);
  });

  it('explains invalid_client with the provider’s own words', () => {
    const [d] = diagnoseExchange(exchange({ status: 401, body: '{"error":"invalid_client","error_description":"Invalid client or Invalid client credentials"}' }), { provider: undefined, token: undefined });
    expect(d?.explanation).toContain('invalid_client: Invalid client or Invalid client credentials');
  });

  it('tells a missing bearer from an expired one', () => {
    const missing = diagnoseExchange(exchange({ kind: 'fhir', status: 401, request: { headers: [], body: null }, body: '{"resourceType":"OperationOutcome","issue":[{"code":"forbidden","diagnostics":"Invalid Token"}]}' }), { provider: bcdaDto, token: undefined });
    expect(ids(missing)).toEqual(['missing_bearer']);
    const expired = diagnoseExchange(
      exchange({ kind: 'fhir', status: 401, startedAt: 2_000_000, request: { headers: [['Authorization', 'Bearer [redacted]']], body: null }, body: '{"resourceType":"OperationOutcome","issue":[{"code":"forbidden","diagnostics":"Expired Token"}]}' }),
      { provider: bcdaDto, token: token() },
    );
    expect(ids(expired)).toEqual(['expired_token']);
    expect(expired[0]?.fix).toContain('minted again');
  });

  it('says the provider refused a live token, in the challenge’s words the BFF recorded and the provider file’s cause', () => {
    const sent = { headers: [['Authorization', 'Bearer [redacted]']] as [string, string][], body: null };
    const refusedAt = exchange({ id: 'e9', kind: 'fhir', providerId: 'bluebutton', status: 401, startedAt: 100_000, request: sent, body: '{"detail": "Authentication credentials were not provided."}' });
    const live = token({ providerId: 'bluebutton', grantType: 'authorization_code', refusal: { at: 100_001, source: 'resource', reason: 'The access token is invalid.', exchangeId: 'e9' } });
    const [d, ...rest] = diagnoseExchange(refusedAt, { provider: bbDto, token: live });
    expect(rest).toEqual([]);
    expect(d?.id).toBe('token_refused');
    expect(d?.explanation).toContain('“The access token is invalid.”');
    expect(d?.explanation).toContain(bluebutton.diagnosticNotes.tokenRefused);
    expect(d?.fix).toBe('Authorize again for a new token.');
    // Without a recorded refusal it quotes the body and names no provider-specific cause.
    const [plain] = diagnoseExchange({ ...refusedAt, providerId: 'bcda' }, { provider: bcdaDto, token: token() });
    expect(plain?.id).toBe('token_refused');
    expect(plain?.explanation).toContain('“Authentication credentials were not provided.”');
    expect(plain?.fix).toContain('never reused');
  });

  it('flags a lower-case bearer scheme, in the provider file’s words where it has them', () => {
    const lowerCase = exchange({ kind: 'fhir', status: 401, request: { headers: [['Authorization', 'bearer [redacted]']], body: null } });
    const found = diagnoseExchange(lowerCase, { provider: bcdaDto, token: undefined });
    expect(ids(found)).toEqual(['lowercase_bearer']);
    expect(found[0]?.explanation).toContain(bcda.diagnosticNotes.bearerCase);
    const elsewhere = diagnoseExchange({ ...lowerCase, providerId: 'bluebutton' }, { provider: bbDto, token: undefined });
    expect(elsewhere[0]?.explanation).toContain('CMS Blue Button 2.0 may require “Bearer”');
  });

  it('reads provider rules from the provider file only: the same failures elsewhere get the generic diagnosis', () => {
    const productionRefusal = exchange({ environmentId: 'production', status: 401, body: 'Unauthorized' });
    const noNotes = { ...bcdaDto, diagnosticNotes: {} };
    expect(ids(diagnoseExchange(productionRefusal, { provider: bcdaDto, token: undefined }))).toContain('credentials_rotation');
    expect(ids(diagnoseExchange(productionRefusal, { provider: noNotes, token: undefined }))).not.toContain('credentials_rotation');
    const gone = exchange({ kind: 'fhir', status: 410, url: 'http://x/sandbox/bcda/data/3/a.ndjson' });
    expect(diagnoseExchange(gone, { provider: bcdaDto, token: undefined })[0]?.explanation).toBe(bcda.diagnosticNotes.exportRetention);
    expect(diagnoseExchange(gone, { provider: noNotes, token: undefined })[0]?.explanation).toContain('410 Gone');
    const ended = exchange({ status: 400, request: { headers: [], body: 'grant_type=refresh_token' }, body: '{"error": "invalid_grant", "error_description": "The authorization for accessing user data has expired."}' });
    expect(ids(diagnoseExchange(ended, { provider: bbDto, token: undefined }))).toEqual(['grant_expired']);
    expect(ids(diagnoseExchange(ended, { provider: { ...bbDto, diagnosticNotes: {} }, token: undefined }))).toEqual(['refresh_token_dead']);
  });

  it('links a 403 to the scope the beneficiary refused', () => {
    const found = diagnoseExchange(exchange({ providerId: 'bluebutton', kind: 'fhir', status: 403, body: '{"detail":"You do not have permission to perform this action."}' }), {
      provider: bbDto,
      token: token({ providerId: 'bluebutton', presetId: 'demo-demographic', scope: 'openid patient/ExplanationOfBenefit.rs patient/Coverage.rs' }),
    });
    expect(found[0]?.id).toBe('refused_scope');
    expect(found[0]?.explanation).toContain('patient/Patient.rs');
  });

  it('passes on Retry-After for a 429', () => {
    const [d] = diagnoseExchange(exchange({ status: 429, body: 'SBXBD001 exceeded the rate limit', responseHeaders: [['retry-after', '300']] }), { provider: bcdaDto, token: undefined });
    expect(d).toMatchObject({ id: 'rate_limited' });
    expect(d?.explanation).toContain('300 seconds');
    // The fix says what is true: no token is held here, so there is nothing to reuse yet.
    expect(d?.fix).toContain('No live token is held');
    const [held] = diagnoseExchange(exchange({ status: 429, startedAt: 1_000, responseHeaders: [['retry-after', '300']] }), { provider: bcdaDto, token: token() });
    expect(held?.fix).toContain('A live token is still held');
    const [refused] = diagnoseExchange(exchange({ status: 429, startedAt: 1_000 }), { provider: bcdaDto, token: token({ refusal: { at: 500, source: 'resource', reason: 'Expired Token' } }) });
    expect(refused?.fix).toContain('No live token is held');
  });

  it('sorts invalid_grant into code, redirect, refresh and ended-grant cases', () => {
    const code = exchange({ status: 400, request: { headers: [], body: 'grant_type=authorization_code&code=%5Bredacted%5D' }, body: '{"error":"invalid_grant"}' });
    expect(ids(diagnoseExchange(code, { provider: bbDto, token: undefined }))).toEqual(['invalid_grant_code']);
    const redirect = { ...code, response: { ...code.response!, body: '{"error":"invalid_grant","error_description":"does not match the redirection URI"}' } };
    expect(ids(diagnoseExchange(redirect, { provider: bbDto, token: undefined }))).toEqual(['redirect_uri_mismatch']);
    const refresh = exchange({ status: 400, request: { headers: [], body: 'grant_type=refresh_token' }, body: '{"error": "invalid_grant"}' });
    expect(ids(diagnoseExchange(refresh, { provider: bbDto, token: undefined }))).toEqual(['refresh_token_dead']);
    const ended = exchange({ status: 400, request: { headers: [], body: 'grant_type=refresh_token' }, body: '{"status_code": 400, "error": "invalid_grant", "error_description": "The authorization for accessing user data has expired. To refresh Medicare data, the end user must re-authenticate and consent to data sharing."}' });
    expect(ids(diagnoseExchange(ended, { provider: bbDto, token: undefined }))).toEqual(['grant_expired']);
  });

  it('recognises expired BCDA export files, provider failures and network failures', () => {
    expect(ids(diagnoseExchange(exchange({ kind: 'fhir', status: 410, url: 'http://x/sandbox/bcda/data/3/a.ndjson' }), { provider: bcdaDto, token: undefined }))).toEqual(['export_file_expired']);
    expect(ids(diagnoseExchange(exchange({ status: 503, body: 'Service Unavailable', responseHeaders: [['Retry-After', '1']] }), { provider: bcdaDto, token: undefined }))).toEqual(['server_error']);
    expect(ids(diagnoseExchange(exchange({ status: null, response: null, error: 'Could not resolve sandbox.bcda.cms.gov (ENOTFOUND).' }), { provider: bcdaDto, token: undefined }))).toEqual(['network_failure']);
  });

  it('finds nothing wrong with a successful exchange', () => {
    expect(diagnoseExchange(exchange({}), { provider: bcdaDto, token: token() })).toEqual([]);
  });
});

describe('diagnoseToken', () => {
  it('spots clock skew in both directions', () => {
    const future = token({ issuedAt: 1_000_000, jwt: { header: {}, claims: { iat: 1_000 + 600, exp: 1_000 + 1800 } } });
    expect(diagnoseToken(future).map((d) => d.title)).toEqual(['Clock skew: the token was issued in the future']);
    const stale = token({ issuedAt: 10_000_000, jwt: { header: {}, claims: { iat: 1, exp: 2 } } });
    expect(diagnoseToken(stale).map((d) => d.title)).toEqual(['Clock skew: the token was already expired on arrival']);
    expect(diagnoseToken(token({ issuedAt: 1_000_000, jwt: { header: {}, claims: { iat: 1_000, exp: 2_200 } } }))).toEqual([]);
  });
});

describe('DPoP (RFC 9449)', () => {
  const proof = { header: { typ: 'dpop+jwt', alg: 'ES256' }, claims: { htm: 'POST' }, jkt: 'k', answersNonceChallenge: false };

  it('calls a nonce challenge a step the console answers, not a failure', () => {
    const challenged = exchange({ status: 400, dpop: proof, body: '{"error":"use_dpop_nonce","error_description":"nonce is required"}', responseHeaders: [['DPoP-Nonce', 'n1']] });
    const found = diagnoseExchange(challenged, { provider: bcdaDto, token: undefined });
    expect(found.map((d) => [d.id, d.severity])).toEqual([['dpop_nonce_challenge', 'info']]);
    const atApi = exchange({ kind: 'fhir', status: 401, dpop: proof, responseHeaders: [['WWW-Authenticate', 'DPoP error="use_dpop_nonce"'], ['DPoP-Nonce', 'n1']] });
    expect(ids(diagnoseExchange(atApi, { provider: bcdaDto, token: undefined }))).toEqual(['dpop_nonce_challenge']);
  });

  it('names the check a refused proof failed, at the token endpoint and at the API', () => {
    const atToken = exchange({ status: 400, dpop: proof, body: '{"error":"invalid_dpop_proof","error_description":"DPoP proof htu mismatch"}' });
    const [tokenSide] = diagnoseExchange(atToken, { provider: bcdaDto, token: undefined });
    expect(tokenSide).toMatchObject({ id: 'dpop_refused', severity: 'error' });
    expect(tokenSide!.fix).toContain('htu must be the exact URL');
    const atApi = exchange({ kind: 'fhir', status: 401, dpop: proof, responseHeaders: [['WWW-Authenticate', 'DPoP error="invalid_dpop_proof", error_description="ath does not match the access token", algs="ES256"']] });
    const found = diagnoseExchange(atApi, { provider: bcdaDto, token: token() });
    expect(ids(found)).toEqual(['dpop_refused']);
    expect(found[0]!.fix).toContain('ath must be');
  });

  it('says so when a DPoP-bound token went as Bearer', () => {
    const asBearer = exchange({ kind: 'fhir', status: 401, request: { headers: [['Authorization', 'Bearer [redacted]']], body: null }, responseHeaders: [['WWW-Authenticate', 'Bearer error="invalid_token"']] });
    const bound = token({ dpop: { alg: 'ES256', jkt: 'k', tokenJkt: 'k' }, expiresAt: 9_999_999_999 });
    const found = diagnoseExchange(asBearer, { provider: bcdaDto, token: bound });
    expect(found.map((d) => d.title)).toEqual(['A DPoP-bound token was sent as a bearer token']);
  });
});
