import { base64url, decodeJwt, exportJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateClientKey, publicJwks } from '@/lib/smart/client-keys';
import { basicAuthorization, simulating } from '../shared/test-helpers';
import type { SmartSandbox } from './index';
import {
  backendTokenRequest,
  bearer,
  codeTokenRequest,
  createDpopKey,
  createProof,
  createTestSandbox,
  dpopAuthorized,
  expectOAuthError,
  fhirBase,
  formPost,
  getPreset,
  jsonPost,
  refreshRequest,
  registerBackendClient,
  runAuthorization,
  send,
  tokenUrl,
  withHeaders,
  type DpopTestKey,
  type ProofClaims,
  type UserTokenBody,
} from './test-helpers';

const confidential = getPreset('confidential-app');
const patientUrl = `${fhirBase}/Patient/smart-1`;

/** A sandbox with a Backend Services client: the shortest way to a token request that can carry a proof. */
async function backendSetup() {
  const { sandbox, clock } = createTestSandbox();
  const client = await registerBackendClient(sandbox);
  const key = await createDpopKey();
  const tokenRequest = async (proof?: string, failures?: string) => {
    const init = await backendTokenRequest(client.clientId, client.key, { now: clock.now() });
    const withProof = proof === undefined ? init : withHeaders(init, { DPoP: proof });
    return send(sandbox, '/auth/token', failures ? simulating(failures, withProof) : withProof);
  };
  return { sandbox, clock, client, key, tokenRequest };
}

async function expectProofRefused(response: Response, description: RegExp): Promise<void> {
  await expectOAuthError(response, 400, 'invalid_dpop_proof', description);
}

/** A proof with `alg: none`: no client library makes one, so it is put together by hand. */
function unsignedProof(key: DpopTestKey, now: number): string {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk })}.${encode({ jti: 'x', htm: 'POST', htu: tokenUrl, iat: Math.floor(now / 1000) })}.`;
}

describe('DPoP proofs at the token endpoint (RFC 9449 §4.3, §5)', () => {
  it('binds the access token to the proof key: token_type DPoP and cnf.jkt = the RFC 7638 thumbprint', async () => {
    const { clock, key, tokenRequest } = await backendSetup();
    const response = await tokenRequest(await createProof(key, { now: clock.now() }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it('keeps Bearer tokens for requests without a proof', async () => {
    const { tokenRequest } = await backendSetup();
    const response = await tokenRequest();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('bearer');
    expect(decodeJwt(body.access_token).cnf).toBeUndefined();
  });

  it('accepts a loopback alias of the host in htu, on the same port', async () => {
    const { clock, key, tokenRequest } = await backendSetup();
    const htu = tokenUrl.replace('localhost', '127.0.0.1');
    expect((await tokenRequest(await createProof(key, { now: clock.now(), htu }))).status).toBe(200);
  });

  it.each<[string, (key: DpopTestKey, now: number) => Promise<string> | string, RegExp]>([
    ['typ', (key, now) => createProof(key, { now }, { typ: 'JWT' }), /^typ is "JWT"; a DPoP proof has typ "dpop\+jwt"/],
    ['alg none', (key, now) => unsignedProof(key, now), /^alg is "none"; a DPoP proof is signed with an asymmetric algorithm/],
    [
      'alg HS256',
      async (key, now) =>
        new SignJWT({ jti: 'x', htm: 'POST', htu: tokenUrl, iat: Math.floor(now / 1000) })
          .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: key.publicJwk })
          .sign(new Uint8Array(32)),
      /^alg HS256 is a symmetric MAC/,
    ],
    ['an unsupported alg', async (key, now) => createProof(await createDpopKey('ES512'), { now }), /^alg ES512 is not supported here; use one of ES256, ES384, RS256, PS256/],
    ['a private jwk', async (key, now) => createProof(key, { now }, { jwk: await exportJWK(key.privateKey) }), /^The jwk header contains private key material \(d\)/],
    ['a signature by another key', async (key, now) => createProof({ ...key, privateKey: (await createDpopKey()).privateKey }, { now }), /^The signature does not verify with the proof's jwk/],
    ['htm', (key, now) => createProof(key, { now, htm: 'GET' }), /^htm is GET but the request is POST\.$/],
    [
      'htu',
      (key, now) => createProof(key, { now, htu: 'http://localhost:3000/sandbox/smart/auth/par' }),
      /^htu http:\/\/localhost:3000\/sandbox\/smart\/auth\/par is not this endpoint \(http:\/\/localhost:3000\/sandbox\/smart\/auth\/token\)\.$/,
    ],
    ['htu on another port', (key, now) => createProof(key, { now, htu: tokenUrl.replace('localhost:3000', '127.0.0.1:3001') }), /is not this endpoint/],
    ['iat in the past', (key, now) => createProof(key, { now, iat: Math.floor(now / 1000) - 312 }), /^iat is 312 s in the past; proofs older than 60 s are refused\.$/],
    ['iat in the future', (key, now) => createProof(key, { now, iat: Math.floor(now / 1000) + 30 }), /^iat is 30 s in the future; more than 5 s of clock skew is refused\.$/],
    ['no jti', (key, now) => createProof(key, { now, jti: null }), /^The proof has no jti/],
    ['no iat', (key, now) => createProof(key, { now, iat: null }), /^The proof has no iat/],
    ['not a JWT', () => 'not-a-jwt', /^The DPoP header is not a JWT/],
  ])('refuses a proof with %s, naming the check', async (_name, makeProof, description) => {
    const { clock, key, tokenRequest } = await backendSetup();
    await expectProofRefused(await tokenRequest(await makeProof(key, clock.now())), description);
  });

  it('refuses two DPoP headers', async () => {
    const { sandbox, clock, client, key } = await backendSetup();
    const init = await backendTokenRequest(client.clientId, client.key, { now: clock.now() });
    const headers = new Headers(init.headers);
    headers.append('DPoP', await createProof(key, { now: clock.now() }));
    headers.append('DPoP', await createProof(key, { now: clock.now() }));
    await expectProofRefused(await send(sandbox, '/auth/token', { ...init, headers }), /more than one DPoP header/);
  });

  it('refuses a replayed jti from the same key, and accepts the same jti from another key', async () => {
    const { clock, key, tokenRequest } = await backendSetup();
    const proof = await createProof(key, { now: clock.now(), jti: 'jti-1' });
    expect((await tokenRequest(proof)).status).toBe(200);
    await expectProofRefused(await tokenRequest(proof), /^the jti was already used by a proof from this key/);
    expect((await tokenRequest(await createProof(await createDpopKey(), { now: clock.now(), jti: 'jti-1' }))).status).toBe(200);
  });

  it('refuses a client registered with dpop_bound_access_tokens that sends no proof', async () => {
    const { sandbox, clock } = createTestSandbox();
    const clientKey = await generateClientKey('ES384');
    const registration = await send(
      sandbox,
      '/auth/register',
      jsonPost({ token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], scope: 'system/*.rs', jwks: publicJwks([clientKey]), dpop_bound_access_tokens: true }),
    );
    const { client_id: clientId } = (await registration.json()) as { client_id: string };
    const refused = await send(sandbox, '/auth/token', await backendTokenRequest(clientId, clientKey, { now: clock.now() }));
    await expectProofRefused(refused, /^This client is registered with dpop_bound_access_tokens: every token request must carry a DPoP proof \(RFC 9449 §5\.2\)$/);
    const init = withHeaders(await backendTokenRequest(clientId, clientKey, { now: clock.now() }), { DPoP: await createProof(await createDpopKey(), { now: clock.now() }) });
    expect((await send(sandbox, '/auth/token', init)).status).toBe(200);
  });

  it('shows cnf.jkt and token_type DPoP at introspection (RFC 9449 §6.2)', async () => {
    const { sandbox, clock, client, key, tokenRequest } = await backendSetup();
    const { access_token: token } = (await (await tokenRequest(await createProof(key, { now: clock.now() }))).json()) as { access_token: string };
    const { client_assertion: assertion } = Object.fromEntries(
      new URLSearchParams(String((await backendTokenRequest(client.clientId, client.key, { now: clock.now() })).body)),
    );
    const response = await send(
      sandbox,
      '/auth/introspect',
      formPost({ token, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
    );
    expect(await response.json()).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: key.jkt } });
  });
});

/** A confidential app's code exchanged with a proof from `key`. */
async function dpopUserTokens(sandbox: SmartSandbox, key: DpopTestKey, now: number): Promise<UserTokenBody> {
  const { code, verifier } = await runAuthorization(sandbox);
  const response = await send(sandbox, '/auth/token', withHeaders(codeTokenRequest(confidential, code, verifier), { DPoP: await createProof(key, { now }) }));
  expect(response.status).toBe(200);
  return (await response.json()) as UserTokenBody;
}

describe('DPoP-bound refresh tokens (RFC 9449 §5)', () => {
  it('refreshes only with a proof from the same key, and the new tokens stay bound', async () => {
    const { sandbox, clock } = createTestSandbox();
    const key = await createDpopKey();
    const tokens = await dpopUserTokens(sandbox, key, clock.now());
    expect(tokens.token_type).toBe('DPoP');
    const other = await createDpopKey('RS256');
    const withOther = await send(sandbox, '/auth/token', withHeaders(refreshRequest(confidential, tokens.refresh_token!), { DPoP: await createProof(other, { now: clock.now() }) }));
    await expectProofRefused(
      withOther,
      new RegExp(`^The refresh token is bound to the DPoP key with thumbprint ${key.jkt.slice(0, 8)}…, but the proof's key has thumbprint ${other.jkt.slice(0, 8)}…\\.$`),
    );
    await expectProofRefused(await send(sandbox, '/auth/token', refreshRequest(confidential, tokens.refresh_token!)), /carries no DPoP proof/);
    const same = await send(sandbox, '/auth/token', withHeaders(refreshRequest(confidential, tokens.refresh_token!), { DPoP: await createProof(key, { now: clock.now() }) }));
    expect(same.status).toBe(200);
    const refreshed = (await same.json()) as UserTokenBody;
    expect(refreshed.token_type).toBe('DPoP');
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it('binds the code to the authorize request dpop_jkt (RFC 9449 §10)', async () => {
    const { sandbox, clock } = createTestSandbox();
    const key = await createDpopKey();
    const { code, verifier } = await runAuthorization(sandbox, { overrides: { dpop_jkt: key.jkt } });
    const withOther = await send(sandbox, '/auth/token', withHeaders(codeTokenRequest(confidential, code, verifier), { DPoP: await createProof(await createDpopKey(), { now: clock.now() }) }));
    await expectProofRefused(withOther, /^The authorization code \(dpop_jkt of the authorization request\) is bound to the DPoP key with thumbprint/);
    const withKey = await send(sandbox, '/auth/token', withHeaders(codeTokenRequest(confidential, code, verifier), { DPoP: await createProof(key, { now: clock.now() }) }));
    expect(withKey.status).toBe(200);
  });
});

describe('DPoP at the FHIR API (RFC 9449 §7)', () => {
  async function fhirSetup() {
    const { sandbox, clock } = createTestSandbox();
    const key = await createDpopKey();
    const tokens = await dpopUserTokens(sandbox, key, clock.now());
    const read = (proof: string, scheme = 'DPoP', extra: Record<string, string> = {}) =>
      send(sandbox, patientUrl, { headers: { Authorization: `${scheme} ${tokens.access_token}`, DPoP: proof, Accept: 'application/fhir+json', ...extra } });
    const proofFor = (claims: ProofClaims = {}, withKey = key) => createProof(withKey, { now: clock.now(), htm: 'GET', htu: patientUrl, accessToken: tokens.access_token, ...claims });
    return { sandbox, clock, key, tokens, read, proofFor };
  }

  async function expectDpopChallenge(response: Response, error: string, description: RegExp) {
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(new RegExp(`^DPoP error="${error}", error_description="[^"]*", algs="ES256 ES384 RS256 PS256"$`));
    const body = (await response.json()) as { issue: Array<{ diagnostics: string }> };
    expect(body.issue[0]?.diagnostics).toMatch(description);
  }

  it('serves a DPoP-bound token with a valid proof (htm, htu without the query, ath)', async () => {
    const { sandbox, clock, key, tokens, read, proofFor } = await fhirSetup();
    expect((await read(await proofFor())).status).toBe(200);
    const search = `${fhirBase}/Observation?patient=smart-1`;
    const proof = await createProof(key, { now: clock.now(), htm: 'GET', htu: `${fhirBase}/Observation`, accessToken: tokens.access_token });
    expect((await send(sandbox, search, dpopAuthorized(tokens.access_token, proof))).status).toBe(200);
  });

  it('refuses the bound token sent as Bearer', async () => {
    const { sandbox, tokens } = await fhirSetup();
    const response = await send(sandbox, patientUrl, bearer(tokens.access_token));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="SMART sandbox", error="invalid_token"/);
    const body = (await response.json()) as { issue: Array<{ diagnostics: string }> };
    expect(body.issue[0]?.diagnostics).toBe('This access token is DPoP-bound (cnf.jkt): send it as Authorization: DPoP with a DPoP proof (RFC 9449 §7.1).');
  });

  it('refuses a wrong or missing ath', async () => {
    const { read, proofFor } = await fhirSetup();
    await expectDpopChallenge(await read(await proofFor({ accessToken: 'another-token' })), 'invalid_dpop_proof', /^ath does not match the access token \(BASE64URL\(SHA-256\(access_token\)\)\)\.$/);
    await expectDpopChallenge(await read(await proofFor({ ath: undefined, accessToken: undefined })), 'invalid_dpop_proof', /^The proof has no ath/);
  });

  it("refuses a proof from a key other than the token's cnf.jkt", async () => {
    const { read, proofFor } = await fhirSetup();
    await expectDpopChallenge(await read(await proofFor({}, await createDpopKey())), 'invalid_dpop_proof', /is not the key the access token is bound to \(cnf\.jkt/);
  });

  it('refuses htm and htu that are not this request', async () => {
    const { read, proofFor } = await fhirSetup();
    await expectDpopChallenge(await read(await proofFor({ htm: 'POST' })), 'invalid_dpop_proof', /^htm is POST but the request is GET\.$/);
    await expectDpopChallenge(await read(await proofFor({ htu: `${fhirBase}/Patient/smart-2` })), 'invalid_dpop_proof', /^htu .*Patient\/smart-2 is not this endpoint/);
  });

  it('refuses the DPoP scheme without a proof, and a Bearer token under the DPoP scheme', async () => {
    const { sandbox, clock, tokens } = await fhirSetup();
    const noProof = await send(sandbox, patientUrl, { headers: { Authorization: `DPoP ${tokens.access_token}` } });
    await expectDpopChallenge(noProof, 'invalid_dpop_proof', /carries no DPoP header/);
    const { access_token: bearerToken } = (await (await send(sandbox, '/auth/token', codeTokenRequest(confidential, ...(await codeAndVerifier(sandbox))))).json()) as UserTokenBody;
    const proof = await createProof(await createDpopKey(), { now: clock.now(), htm: 'GET', htu: patientUrl, accessToken: bearerToken });
    await expectDpopChallenge(await send(sandbox, patientUrl, dpopAuthorized(bearerToken, proof)), 'invalid_token', /is a Bearer token \(it has no cnf\.jkt\)/);
    expect((await send(sandbox, patientUrl, bearer(bearerToken))).status).toBe(200);
  });
});

async function codeAndVerifier(sandbox: SmartSandbox): Promise<[string, string]> {
  const { code, verifier } = await runAuthorization(sandbox);
  return [code, verifier];
}

describe('DPoP nonces (RFC 9449 §8, §9) under the simulated dpop_nonce_required', () => {
  it('token endpoint: use_dpop_nonce with a DPoP-Nonce, then success with that nonce, and a stale nonce is refused', async () => {
    const { clock, key, tokenRequest } = await backendSetup();
    const challenge = await tokenRequest(await createProof(key, { now: clock.now() }), 'dpop_nonce_required');
    const nonce = challenge.headers.get('dpop-nonce') ?? '';
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expectOAuthError(challenge, 400, 'use_dpop_nonce', /requires a DPoP nonce/);
    const answered = await tokenRequest(await createProof(key, { now: clock.now(), nonce }), 'dpop_nonce_required');
    expect(answered.status).toBe(200);
    expect(answered.headers.get('dpop-nonce')).toBe(nonce);
    await expectOAuthError(await tokenRequest(await createProof(key, { now: clock.now(), nonce: 'made-up' }), 'dpop_nonce_required'), 400, 'use_dpop_nonce', /not current/);
    clock.advance(11 * 60_000);
    const stale = await tokenRequest(await createProof(key, { now: clock.now(), nonce }), 'dpop_nonce_required');
    expect(stale.headers.get('dpop-nonce')).not.toBe(nonce);
    await expectOAuthError(stale, 400, 'use_dpop_nonce', /not current/);
  });

  it('leaves requests without a proof alone', async () => {
    const { tokenRequest } = await backendSetup();
    expect((await tokenRequest(undefined, 'dpop_nonce_required')).status).toBe(200);
  });

  it('FHIR API: 401 with a use_dpop_nonce challenge and a DPoP-Nonce, then success with the nonce', async () => {
    const { sandbox, clock } = createTestSandbox();
    const key = await createDpopKey();
    const tokens = await dpopUserTokens(sandbox, key, clock.now());
    const proof = (nonce?: string) => createProof(key, { now: clock.now(), htm: 'GET', htu: patientUrl, accessToken: tokens.access_token, ...(nonce ? { nonce } : {}) });
    const challenge = await send(sandbox, patientUrl, simulating('dpop_nonce_required', dpopAuthorized(tokens.access_token, await proof())));
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toMatch(/^DPoP error="use_dpop_nonce", error_description="[^"]+", algs="ES256 ES384 RS256 PS256"$/);
    const nonce = challenge.headers.get('dpop-nonce') ?? '';
    expect(nonce).not.toBe('');
    const answered = await send(sandbox, patientUrl, simulating('dpop_nonce_required', dpopAuthorized(tokens.access_token, await proof(nonce))));
    expect(answered.status).toBe(200);
    expect(answered.headers.get('dpop-nonce')).toBe(nonce);
  });
});

describe('the simulated DPoP failures at the token endpoint', () => {
  it('dpop_invalid_proof refuses a good proof, and leaves a request without a proof alone', async () => {
    const { clock, key, tokenRequest } = await backendSetup();
    await expectProofRefused(await tokenRequest(await createProof(key, { now: clock.now() }), 'dpop_invalid_proof'), /\(simulated failure\)\.$/);
    expect((await tokenRequest(undefined, 'dpop_invalid_proof')).status).toBe(200);
  });

  it('dpop_replayed_jti answers as for a used jti, naming it', async () => {
    const { clock, key, tokenRequest } = await backendSetup();
    const response = await tokenRequest(await createProof(key, { now: clock.now(), jti: 'jti-simulated' }), 'dpop_replayed_jti');
    await expectProofRefused(response, /^The proof's jti jti-simulated was already used \(simulated failure\)\.$/);
    expect((await tokenRequest(undefined, 'dpop_replayed_jti')).status).toBe(200);
  });

  it('keeps the existing simulations working with a proof', async () => {
    const { clock, key, tokenRequest } = await backendSetup();
    expect((await tokenRequest(await createProof(key, { now: clock.now() }), 'invalid_client')).status).toBe(401);
  });
});

describe('an app using Basic authentication with DPoP', () => {
  it('exchanges a code with a proof when the client authenticates with client_secret_basic', async () => {
    const { sandbox, clock } = createTestSandbox();
    const key = await createDpopKey('PS256');
    const { code, verifier } = await runAuthorization(sandbox);
    const init = formPost(
      { grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:3000/api/oauth/smart/callback', code_verifier: verifier },
      { Authorization: basicAuthorization(confidential.clientId, confidential.clientSecret), DPoP: await createProof(key, { now: clock.now() }) },
    );
    const response = await send(sandbox, '/auth/token', init);
    expect(response.status).toBe(200);
    expect(decodeJwt(((await response.json()) as UserTokenBody).access_token).cnf).toEqual({ jkt: key.jkt });
  });
});
