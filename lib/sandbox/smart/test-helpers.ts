import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { expect } from 'vitest';
import { consoleHost } from '@/lib/http/console-host';
import { smart } from '@/lib/providers/smart';
import { generateClientKey, publicJwks, type StoredClientKey } from '@/lib/smart/client-keys';
import { mintClientAssertion } from '@/lib/smart/client-assertion';
import { basicAuthorization, createTestClock, testOrigin } from '../shared/test-helpers';
import { createSmartSandbox, type SmartSandbox, type SmartSandboxOptions } from './index';

/** Shared fixtures for the SMART sandbox's unit tests (not a test file itself). */

export const mountPath = '/sandbox/smart';
export const testBase = `${testOrigin}${mountPath}`;
export const fhirBase = `${testBase}/fhir`;
export const tokenUrl = `${testBase}/auth/token`;
export const redirectUri = `${testOrigin}/api/oauth/smart/callback`;
export const testState = 'state-0123456789abcdef';

export type Preset = (typeof smart.presets)[number];

export function getPreset(id: 'confidential-app' | 'public-app' | 'dpop-par-app'): Preset {
  const preset = smart.presets.find((candidate) => candidate.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  return preset;
}

/** A sandbox on a test clock whose demo apps register the test redirect URI. */
export function createTestSandbox(options: Partial<SmartSandboxOptions> = {}) {
  const clock = createTestClock();
  const sandbox = createSmartSandbox({ consoleHost, now: clock.now, redirectUris: () => [redirectUri], ...options });
  return { sandbox, clock };
}

/** Sends `pathAndQuery` (relative to the mount point, or an absolute sandbox URL) to the sandbox. */
export function send(sandbox: SmartSandbox, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(pathAndQuery.startsWith('http') ? pathAndQuery : `${testBase}${pathAndQuery}`);
  return sandbox.handle(new Request(url, init), url.pathname.slice(mountPath.length));
}

export function formPost(fields: Record<string, string | undefined>, headers: Record<string, string> = {}): RequestInit {
  const defined = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(defined).toString() };
}

export function jsonPost(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/** An RFC 6749 §5.2 error with the code and a description matching `description`. */
export async function expectOAuthError(response: Response, status: number, error: string, description?: RegExp): Promise<void> {
  const body = (await response.json()) as { error: string; error_description: string };
  expect({ status: response.status, error: body.error }).toEqual({ status, error });
  if (description) expect(body.error_description).toMatch(description);
}

/** A JWKS id of the console's shape (`/jwks/{id}`), fixed so a test can name it. */
export const testJwksId = 'AAAAAAAAAAAAAAAAAAAAAA';

/**
 * Sets environment variables for one test (`undefined` removes one) and returns the function that puts the old
 * values back. The SMART sandbox reads PORT, CONSOLE_INTERNAL_ORIGIN and CONSOLE_PUBLIC_ORIGIN per request.
 */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  return () => apply(before);
}

/** A Backend Services client registered with an ES384 key, inline or by `jwks_uri`. */
export async function registerBackendClient(sandbox: SmartSandbox, options: { jwksUri?: string; key?: StoredClientKey; scope?: string } = {}) {
  const key = options.key ?? (await generateClientKey('ES384'));
  const response = await send(
    sandbox,
    '/auth/register',
    jsonPost({
      client_name: 'Backend test',
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['client_credentials'],
      scope: options.scope ?? 'system/*.rs',
      ...(options.jwksUri ? { jwks_uri: options.jwksUri } : { jwks: publicJwks([key]) }),
    }),
  );
  expect(response.status).toBe(201);
  const body = (await response.json()) as { client_id: string };
  return { clientId: body.client_id, key };
}

/** A client_credentials request with a fresh assertion (its claims overridable). */
export async function backendTokenRequest(
  clientId: string,
  key: StoredClientKey,
  options: { now: number; scope?: string; tokenUrl?: string; jti?: string; lifetimeSeconds?: number } ,
): Promise<RequestInit> {
  const { assertion } = await mintClientAssertion({
    key,
    clientId,
    tokenUrl: options.tokenUrl ?? tokenUrl,
    now: new Date(options.now),
    ...(options.jti ? { jti: options.jti } : {}),
    ...(options.lifetimeSeconds ? { lifetimeSeconds: options.lifetimeSeconds } : {}),
  });
  return formPost({
    grant_type: 'client_credentials',
    scope: options.scope ?? 'system/*.rs',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
}

/** An RFC 7636 verifier and its S256 challenge. */
export async function createPkce(verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: Buffer.from(digest).toString('base64url') };
}

/** The authorize query for a demo app, with any parameter overridden (`undefined` drops it). */
export function authorizeQuery(preset: Preset, challenge: string, overrides: Record<string, string | undefined> = {}): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: preset.clientId,
    redirect_uri: redirectUri,
    scope: smart.grant.scopes.join(' '),
    state: testState,
    aud: fhirBase,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const defined = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return `/auth/authorize?${new URLSearchParams(defined).toString()}`;
}

function hiddenFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[match[1] ?? ''] = match[2] ?? '';
  return fields;
}

export interface AuthorizeOptions {
  preset?: Preset;
  username?: string;
  password?: string;
  deny?: boolean;
  overrides?: Record<string, string | undefined>;
}

/** Authorize → sign in and approve; the redirect back to the app, the code and the PKCE verifier. */
export async function runAuthorization(sandbox: SmartSandbox, options: AuthorizeOptions = {}) {
  const preset = options.preset ?? getPreset('confidential-app');
  const pkce = await createPkce();
  const location = await signIn(sandbox, authorizeQuery(preset, pkce.challenge, options.overrides), options);
  return { preset, location, verifier: pkce.verifier, code: location.searchParams.get('code') ?? '' };
}

/** Opens the sign-in page at `authorizePath` and approves (or denies) it; the redirect back to the app. */
export async function signIn(sandbox: SmartSandbox, authorizePath: string, options: Omit<AuthorizeOptions, 'preset' | 'overrides'> = {}): Promise<URL> {
  const page = await send(sandbox, authorizePath);
  expect(page.status).toBe(200);
  const fields = hiddenFields(await page.text());
  const decision = options.deny
    ? { ...fields, decision: 'deny' }
    : { ...fields, username: options.username ?? 'patient1', password: options.password ?? 'smart-sandbox', decision: 'approve' };
  const response = await send(sandbox, '/auth/authorize', formPost(decision));
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

/** How a demo app authenticates: Basic for the confidential app, client_id in the form for the public one. */
export function clientAuth(preset: Preset): { headers: Record<string, string>; fields: Record<string, string> } {
  return preset.clientSecret
    ? { headers: { Authorization: basicAuthorization(preset.clientId, preset.clientSecret) }, fields: {} }
    : { headers: {}, fields: { client_id: preset.clientId } };
}

export function codeTokenRequest(preset: Preset, code: string, verifier: string | undefined, overrides: Record<string, string | undefined> = {}): RequestInit {
  const auth = clientAuth(preset);
  return formPost({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, ...auth.fields, ...overrides }, auth.headers);
}

export function refreshRequest(preset: Preset, refreshToken: string): RequestInit {
  const auth = clientAuth(preset);
  return formPost({ grant_type: 'refresh_token', refresh_token: refreshToken, ...auth.fields }, auth.headers);
}

export interface UserTokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
  patient?: string;
}

/** The whole flow up to a token response, failing the test unless it is 200. */
export async function getUserTokens(sandbox: SmartSandbox, options: AuthorizeOptions = {}): Promise<UserTokenBody> {
  const { preset, code, verifier } = await runAuthorization(sandbox, options);
  const response = await send(sandbox, '/auth/token', codeTokenRequest(preset, code, verifier));
  expect(response.status).toBe(200);
  return (await response.json()) as UserTokenBody;
}

export function bearer(token: string): RequestInit {
  return { headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' } };
}

/** A DPoP key pair made the way any client would (jose), its public JWK and RFC 7638 thumbprint. */
export interface DpopTestKey {
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  jkt: string;
}

export async function createDpopKey(alg = 'ES256'): Promise<DpopTestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { alg, privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256') };
}

export interface ProofClaims {
  htm?: string;
  htu?: string;
  /** Seconds since the epoch; `null` leaves it out. */
  iat?: number | null;
  jti?: string | null;
  /** The access token whose hash becomes `ath`. */
  accessToken?: string;
  ath?: string;
  nonce?: string;
}

/** A DPoP proof (RFC 9449 §4.2) signed with `key`; `header` overrides the protected header (typ, alg, jwk). */
export async function createProof(key: DpopTestKey, claims: ProofClaims & { now: number }, header: Record<string, unknown> = {}): Promise<string> {
  const payload: Record<string, unknown> = {
    htm: claims.htm ?? 'POST',
    htu: claims.htu ?? tokenUrl,
  };
  if (claims.jti !== null) payload.jti = claims.jti ?? crypto.randomUUID();
  if (claims.iat !== null) payload.iat = claims.iat ?? Math.floor(claims.now / 1000);
  if (claims.accessToken !== undefined) {
    payload.ath = base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(claims.accessToken))));
  }
  if (claims.ath !== undefined) payload.ath = claims.ath;
  if (claims.nonce !== undefined) payload.nonce = claims.nonce;
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk, ...header }).sign(key.privateKey);
}

/** `init` with more headers. */
export function withHeaders(init: RequestInit, headers: Record<string, string>): RequestInit {
  const merged = new Headers(init.headers);
  for (const [name, value] of Object.entries(headers)) merged.append(name, value);
  return { ...init, headers: merged };
}

/** A FHIR read with a DPoP-bound token and its proof. */
export function dpopAuthorized(token: string, proof: string, extra: Record<string, string> = {}): RequestInit {
  return { headers: { Authorization: `DPoP ${token}`, DPoP: proof, Accept: 'application/fhir+json', ...extra } };
}
