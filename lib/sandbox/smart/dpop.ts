import 'server-only';
import { createHmac } from 'node:crypto';
import { base64url, calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, errors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { smart } from '@/lib/providers/smart';
import { readSimulatedFailures } from '../shared/simulation';
import type { SandboxState } from '../shared/state';
import type { SmartContext } from './context';
import { oauthError } from './responses';

/**
 * DPoP (RFC 9449): checking a proof the way an authorization or resource server does, and the server-issued
 * nonces of §8 and §9. Every refusal names the check that failed.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */

/** RFC 9449 §5.1 `dpop_signing_alg_values_supported`: the provider file's list for the built-in environment. */
export const dpopSigningAlgs: readonly string[] = smart.environments.find((env) => env.id === 'builtin')?.dpopSigningAlgs ?? ['ES256'];

/** RFC 9449 §11.1: how old a proof may be; the replay store keeps each `jti` at least this long. */
export const proofMaxAgeSeconds = 60;
/** Clock skew allowed for a proof `iat` in the future. */
export const proofMaxFutureSeconds = 5;

const privateJwkMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** What one request's proof is checked against. */
export interface ProofExpectations {
  /** The request's method (`htm`, §4.3 check 8). */
  method: string;
  /** The URL the request reached (`htu`, §4.3 check 9); its query and fragment are ignored. */
  url: string;
  /** The access token presented with the proof (resource requests): `ath` must be its hash (§4.3 check 11). */
  accessToken?: string;
  /** Whether the proof must carry a nonce this server issued (§8, §9). */
  nonceRequired: boolean;
}

/**
 * A verified proof's key thumbprint (RFC 7638, SHA-256); a proof that is fine but lacks a current nonce
 * (`useNonce`, answered with `use_dpop_nonce`); or the problem that refuses it (`invalid_dpop_proof`).
 */
export type ProofVerification = { jkt: string; jti: string } | { useNonce: string } | { problem: string };

/** The `DPoP` header's value, or a problem when it is sent more than once (§4.3 check 1). */
export function readProofHeader(request: Request): { proof?: string } | { problem: string } {
  const value = request.headers.get('dpop');
  if (value === null) return {};
  // Headers joins repeated fields with ", "; a compact JWT contains neither.
  if (value.includes(',')) return { problem: 'The request carries more than one DPoP header; RFC 9449 §4.3 allows exactly one.' };
  return { proof: value.trim() };
}

/** `url` without query and fragment, normalised by the URL parser (RFC 9449 §4.3: RFC 3986 §6.2.2 and §6.2.3). */
function withoutQuery(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Why `htu` does not name the request's URL, or undefined when it does. A loopback alias on the same port counts as
 * the same host: the console's server reaches the sandbox at 127.0.0.1 while the browser uses localhost.
 */
function htuProblem(htu: string, requestUrl: string): string | undefined {
  const own = new URL(requestUrl);
  const mismatch = `htu ${htu} is not this endpoint (${withoutQuery(own)})`;
  let url: URL;
  try {
    url = new URL(htu);
  } catch {
    return `htu "${htu}" is not an absolute URL; it must be this endpoint (${withoutQuery(own)})`;
  }
  const sameHost = url.host === own.host || (loopbackHosts.has(url.hostname) && loopbackHosts.has(own.hostname) && url.port === own.port);
  return sameHost && url.protocol === own.protocol && url.pathname === own.pathname ? undefined : mismatch;
}

/** BASE64URL(SHA-256(ASCII(access token))), the `ath` of RFC 9449 §4.2. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))));
}

function headerProblem(header: Record<string, unknown>): string | undefined {
  if (header.typ !== 'dpop+jwt') return `typ is ${header.typ === undefined ? 'missing' : `"${String(header.typ)}"`}; a DPoP proof has typ "dpop+jwt".`;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (alg === '' || alg === 'none') return `alg is ${alg === '' ? 'missing' : '"none"'}; a DPoP proof is signed with an asymmetric algorithm (${dpopSigningAlgs.join(', ')}).`;
  if (alg.startsWith('HS')) return `alg ${alg} is a symmetric MAC; a DPoP proof is signed with an asymmetric algorithm (${dpopSigningAlgs.join(', ')}).`;
  if (!dpopSigningAlgs.includes(alg)) return `alg ${alg} is not supported here; use one of ${dpopSigningAlgs.join(', ')}.`;
  const jwk = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return 'The header has no jwk; a DPoP proof carries its public key in the jwk header parameter.';
  const privateMembers = privateJwkMembers.filter((member) => member in jwk);
  if (privateMembers.length > 0) {
    return `The jwk header contains private key material (${privateMembers.join(', ')}); a DPoP proof carries the public key only.`;
  }
  return undefined;
}

function claimsProblem(claims: JWTPayload, expected: ProofExpectations, nowSeconds: number): string | undefined {
  if (typeof claims.jti !== 'string' || claims.jti === '') return 'The proof has no jti (a unique string per proof).';
  if (typeof claims.htm !== 'string') return `The proof has no htm; it must be the request's method (${expected.method}).`;
  if (claims.htm !== expected.method) return `htm is ${claims.htm} but the request is ${expected.method}.`;
  if (typeof claims.htu !== 'string') return `The proof has no htu; it must be this endpoint (${withoutQuery(new URL(expected.url))}).`;
  const htu = htuProblem(claims.htu, expected.url);
  if (htu) return `${htu}.`;
  if (typeof claims.iat !== 'number') return 'The proof has no iat (its creation time, in seconds since the epoch).';
  const age = Math.round(Math.floor(nowSeconds) - claims.iat);
  if (age > proofMaxAgeSeconds) return `iat is ${age} s in the past; proofs older than ${proofMaxAgeSeconds} s are refused.`;
  if (-age > proofMaxFutureSeconds) return `iat is ${-age} s in the future; more than ${proofMaxFutureSeconds} s of clock skew is refused.`;
  return undefined;
}

/**
 * Checks a DPoP proof (RFC 9449 §4.3): one header, `typ`, an asymmetric supported `alg`, a public `jwk` that
 * verifies the signature, `jti`, `htm`, `htu`, `iat`, `ath` when a token is presented, the nonce when one is
 * required, and finally that the `jti` is new for this key (recorded only when everything else passed).
 */
export async function verifyDpopProof(context: SmartContext, proof: string, expected: ProofExpectations): Promise<ProofVerification> {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof) as Record<string, unknown>;
  } catch {
    return { problem: 'The DPoP header is not a JWT (three base64url parts with a JSON header).' };
  }
  const problem = headerProblem(header);
  if (problem) return { problem };

  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(proof, EmbeddedJWK, {
      algorithms: [...dpopSigningAlgs],
      typ: 'dpop+jwt',
      currentDate: new Date(context.now()),
    }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return { problem: "The signature does not verify with the proof's jwk." };
    if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) return { problem: `A claim is refused: ${error.message}.` };
    return { problem: `The proof cannot be verified: ${error instanceof Error ? error.message : 'malformed'}.` };
  }
  const nowSeconds = context.now() / 1000;
  const claimProblem = claimsProblem(claims, expected, nowSeconds);
  if (claimProblem) return { problem: claimProblem };

  if (expected.accessToken !== undefined) {
    if (typeof claims.ath !== 'string') return { problem: 'The proof has no ath; a proof sent with an access token carries BASE64URL(SHA-256(access_token)).' };
    if (claims.ath !== (await accessTokenHash(expected.accessToken))) {
      return { problem: 'ath does not match the access token (BASE64URL(SHA-256(access_token))).' };
    }
  }
  if (expected.nonceRequired) {
    if (typeof claims.nonce !== 'string') return { useNonce: 'This server requires a DPoP nonce: send the proof again with the nonce from the DPoP-Nonce header (RFC 9449 §8).' };
    if (!(await context.dpopNonces.isCurrent(claims.nonce, context.now()))) {
      return { useNonce: "The proof's nonce is not current (nonces last about 5 minutes): use the one from this answer's DPoP-Nonce header (RFC 9449 §8)." };
    }
  }

  const jkt = await calculateJwkThumbprint(header.jwk as JWK, 'sha256');
  const jti = claims.jti as string;
  const keptUntil = Math.ceil(nowSeconds) + proofMaxAgeSeconds + proofMaxFutureSeconds;
  if (!(await context.dpopJtis.claim(`${jkt}:${jti}`, keptUntil, nowSeconds))) return { problem: 'the jti was already used by a proof from this key (RFC 9449 §11.1).' };
  return { jkt, jti };
}

/** Server-issued DPoP nonces: unguessable, changing every window, the current and the previous one accepted. */
export interface DpopNonces {
  current(nowMs: number): Promise<string>;
  isCurrent(nonce: string, nowMs: number): Promise<boolean>;
}

const nonceWindowMs = 5 * 60_000;
/** How long the nonce secret is kept: as long as the shared signing key. */
const nonceSecretLifetimeMs = 365 * 24 * 60 * 60_000;

/**
 * Nonces that are an HMAC of the 5-minute window under a random secret, so that no nonce has to be stored. The secret
 * is made once in the sandbox's state (the first instance to need it stores it, `setIfAbsent`) and read from there
 * each time, so a nonce one instance hands out is current on every other, and after a restart.
 */
export function createDpopNonces(state: SandboxState): DpopNonces {
  const key = 'dpop-nonce-secret';
  const secret = async (): Promise<Buffer> => {
    let stored = await state.get<string>(key);
    if (stored === undefined) {
      await state.setIfAbsent(key, Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'), nonceSecretLifetimeMs);
      stored = await state.get<string>(key);
    }
    if (stored === undefined) throw new Error('The DPoP nonce secret could not be kept in the sandbox state.');
    return Buffer.from(stored, 'base64url');
  };
  const nonceOf = (secretKey: Buffer, window: number) => createHmac('sha256', secretKey).update(`dpop-nonce:${window}`).digest('base64url');
  return {
    current: async (nowMs) => nonceOf(await secret(), Math.floor(nowMs / nonceWindowMs)),
    async isCurrent(nonce, nowMs) {
      const secretKey = await secret();
      const window = Math.floor(nowMs / nonceWindowMs);
      return nonce === nonceOf(secretKey, window) || nonce === nonceOf(secretKey, window - 1);
    },
  };
}

/** The first 8 characters of a thumbprint, enough to tell two keys apart in a message. */
export function shortThumbprint(jkt: string): string {
  return `${jkt.slice(0, 8)}…`;
}

/** A token or PAR request's DPoP proof: absent, verified (its key's thumbprint), or the answer that refuses it. */
export type EndpointProof = { jkt?: string; nonce?: string } | { response: Response };

/**
 * Checks the DPoP proof of a request to this authorization server's `endpointUrl` (htm POST): 400
 * `invalid_dpop_proof` for a bad proof, 400 `use_dpop_nonce` with a `DPoP-Nonce` under the simulated
 * `dpop_nonce_required` (RFC 9449 §8). At the token endpoint (`simulate`), a good proof still meets the simulated
 * `dpop_invalid_proof` and `dpop_replayed_jti`. A request without a proof is left alone: the caller decides
 * whether its client needed one.
 */
export async function checkEndpointProof(context: SmartContext, request: Request, endpointUrl: string, simulate: boolean): Promise<EndpointProof> {
  const header = readProofHeader(request);
  if ('problem' in header) return { response: oauthError('invalid_dpop_proof', header.problem) };
  if (header.proof === undefined) return {};
  const failures = readSimulatedFailures(request);
  const nonceRequired = failures.has('dpop_nonce_required');
  const nonce = nonceRequired ? await context.dpopNonces.current(context.now()) : undefined;
  const nonceHeader: Record<string, string> = nonce ? { 'DPoP-Nonce': nonce } : {};
  const verified = await verifyDpopProof(context, header.proof, { method: 'POST', url: endpointUrl, nonceRequired });
  if ('problem' in verified) return { response: oauthError('invalid_dpop_proof', verified.problem, 400, nonceHeader) };
  if ('useNonce' in verified) return { response: oauthError('use_dpop_nonce', verified.useNonce, 400, nonceHeader) };
  if (simulate && failures.has('dpop_invalid_proof')) {
    return { response: oauthError('invalid_dpop_proof', 'The DPoP proof was refused: its signature, claims or key do not satisfy this server (simulated failure).') };
  }
  if (simulate && failures.has('dpop_replayed_jti')) {
    return { response: oauthError('invalid_dpop_proof', `The proof's jti ${verified.jti} was already used (simulated failure).`) };
  }
  return { jkt: verified.jkt, ...(nonce ? { nonce } : {}) };
}
