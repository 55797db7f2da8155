import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { ATH_SHOWN, CONSOLE_DPOP_ALGS, type DpopAlg, type DpopProofDto } from '@/lib/contract/dpop';
import { getHeader } from '@/lib/contract/headers';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { HttpError } from '@/lib/http/errors';
import type { SessionVault, StoredDpopKey } from '@/lib/session/vault';

/**
 * DPoP (RFC 9449) on the console's side: one key per session and provider, held in the vault and never sent to the
 * browser; a fresh proof for every request (§4.2); the server's nonce answered once (§8, §9).
 */


/**
 * The algorithm for a server that advertises `algs` (`dpop_signing_alg_values_supported`, §5.1): the first the
 * console prefers among them; ES256 when the server advertises none. Throws when they share none.
 */
export function chooseDpopAlg(algs: readonly string[] | undefined, serverName: string): DpopAlg {
  if (!algs || algs.length === 0) return 'ES256';
  const alg = CONSOLE_DPOP_ALGS.find((candidate) => algs.includes(candidate));
  if (!alg) {
    throw new HttpError(400, 'bad_request', `${serverName} takes DPoP proofs signed with ${algs.join(', ')}; the console signs with ${CONSOLE_DPOP_ALGS.join(', ')}.`, {
      hint: 'Turn DPoP off for this provider, or ask the provider for one of the console’s algorithms.',
    });
  }
  return alg;
}

export interface DpopKeyContext {
  vault: SessionVault;
  sid: string;
}

/** The session's key for a provider, made on first use; a key of another algorithm than `alg` is replaced. */
export async function dpopKeyFor(ctx: DpopKeyContext, providerId: string, alg: DpopAlg): Promise<StoredDpopKey> {
  const existing = await ctx.vault.getDpopKey(ctx.sid, providerId);
  if (existing && existing.alg === alg) return existing;
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'PS256' || alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const publicJwk = await exportJWK(publicKey);
  const key: StoredDpopKey = {
    alg,
    privateJwk: { ...(await exportJWK(privateKey)) },
    publicJwk: { ...publicJwk },
    jkt: await calculateJwkThumbprint(publicJwk, 'sha256'),
    createdAt: Date.now(),
    nonces: {},
  };
  await ctx.vault.putDpopKey(ctx.sid, providerId, key);
  return key;
}

/** `htu` (§4.2): the request's URI without its query and fragment. */
export function htuOf(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** `ath` (§4.2): BASE64URL(SHA-256(ASCII(access token))). */
export function athOf(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

export interface ProofInput {
  method: string;
  url: string | URL;
  /** The server's nonce, when it gave one for this origin. */
  nonce?: string;
  /** Resource requests: the token the proof goes with (its hash becomes `ath`). */
  accessToken?: string;
  now?: number;
  answersNonceChallenge?: boolean;
}

/** A signed proof for one request, and the same proof decoded for the timeline (with `ath` described, not shown). */
export async function createDpopProof(key: StoredDpopKey, input: ProofInput): Promise<{ proof: string; decoded: DpopProofDto }> {
  const header = { typ: 'dpop+jwt', alg: key.alg, jwk: publicJwkOf(key) };
  const claims: Record<string, unknown> = {
    jti: randomBytes(16).toString('base64url'),
    htm: input.method.toUpperCase(),
    htu: htuOf(input.url),
    iat: Math.floor((input.now ?? Date.now()) / 1000),
    ...(input.nonce ? { nonce: input.nonce } : {}),
    ...(input.accessToken ? { ath: athOf(input.accessToken) } : {}),
  };
  const privateKey = await importJWK(key.privateJwk as JWK, key.alg);
  const proof = await new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
  const shownClaims = input.accessToken ? { ...claims, ath: ATH_SHOWN } : claims;
  return { proof, decoded: { header, claims: shownClaims, jkt: key.jkt, answersNonceChallenge: input.answersNonceChallenge ?? false } };
}

/** The exchange with the DPoP proof it carried, decoded; unchanged without one. */
export function withDpopProof(exchange: ExchangeDto, proof: DpopProofDto | undefined): ExchangeDto {
  return proof ? { ...exchange, dpop: proof } : exchange;
}

/** The public members only, whatever else the stored JWK carries. */
function publicJwkOf(key: StoredDpopKey): JWK {
  const { kty, crv, x, y, n, e } = key.publicJwk as JWK;
  return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined)) as JWK;
}

interface AnswerHead {
  status: number;
  headers: readonly (readonly [string, string])[];
  text?: string;
}

/**
 * The nonce a server asks for (§8 at an authorization server: 400 `use_dpop_nonce`; §9 at a resource server: 401 with
 * a DPoP challenge `error="use_dpop_nonce"`), both with the nonce in `DPoP-Nonce`; null for any other answer.
 */
export function nonceChallengeOf(answer: AnswerHead): string | null {
  const nonce = getHeader(answer.headers, 'dpop-nonce');
  if (!nonce) return null;
  if (answer.status === 400) {
    try {
      return (JSON.parse(answer.text ?? '') as { error?: unknown }).error === 'use_dpop_nonce' ? nonce : null;
    } catch {
      return null;
    }
  }
  if (answer.status === 401) {
    const challenge = getHeader(answer.headers, 'www-authenticate') ?? '';
    return /(^|,)\s*dpop\b[^]*error\s*=\s*"?use_dpop_nonce"?/i.test(challenge) ? nonce : null;
  }
  return null;
}

/**
 * Which server gave a nonce: an authorization server's (token and PAR endpoints, §8) and a resource server's (§9) are
 * different and each is accepted only by the server that issued it, even on one origin.
 */
export type NonceIssuer = 'authorization' | 'resource';

function nonceSlot(url: string | URL, issuer: NonceIssuer): string {
  return `${issuer} ${new URL(url).origin}`;
}

/**
 * Keeps the nonce a server gave (§8.2: on any answer, a challenge or not) for the next proof to that server.
 * Returns the key as stored.
 */
export async function rememberNonce(
  ctx: DpopKeyContext,
  providerId: string,
  key: StoredDpopKey,
  url: string | URL,
  answer: AnswerHead,
  issuer: NonceIssuer,
): Promise<StoredDpopKey> {
  const nonce = getHeader(answer.headers, 'dpop-nonce');
  const slot = nonceSlot(url, issuer);
  if (!nonce || key.nonces[slot] === nonce) return key;
  const updated = { ...key, nonces: { ...key.nonces, [slot]: nonce } };
  await ctx.vault.putDpopKey(ctx.sid, providerId, updated);
  return updated;
}

/** The nonce that server last gave, if any. */
export function nonceFor(key: StoredDpopKey, url: string | URL, issuer: NonceIssuer): string | undefined {
  return key.nonces[nonceSlot(url, issuer)];
}

/** What a resource request needs to carry a DPoP token: the session's vault, and the token's binding. */
export interface DpopResourceContext extends DpopKeyContext {
  providerId: string;
}

interface ResourceAttempt {
  /** The DPoP proof header to add, and the proof decoded for the exchange. */
  headers: [string, string][];
  proof?: DpopProofDto;
  /** The signed proof, to redact wherever it might appear. */
  proofJwt?: string;
}

/**
 * Sends a resource request with a DPoP token (RFC 9449 §7): `Authorization: DPoP` (set by the caller) and a fresh
 * proof with `ath`, answered once more with a new proof when the resource server asks for its nonce (§9). A token that
 * is not DPoP-bound is sent once, untouched. `onChallenged` records the first answer before the retry.
 */
export async function sendWithDpop<R>(
  ctx: DpopResourceContext | undefined,
  token: { accessToken: string; dpop?: { jkt: string } } | null,
  method: string,
  url: URL,
  send: (attempt: ResourceAttempt) => Promise<R>,
  answerOf: (result: R) => AnswerHead | null,
  onChallenged: (result: R, attempt: ResourceAttempt) => Promise<void>,
): Promise<{ result: R; attempt: ResourceAttempt }> {
  if (!token?.dpop) {
    const attempt = { headers: [] };
    return { result: await send(attempt), attempt };
  }
  if (!ctx) throw new Error('a DPoP token needs the session to sign its proof');
  let key = await ctx.vault.getDpopKey(ctx.sid, ctx.providerId);
  if (!key || key.jkt !== token.dpop.jkt) {
    throw new HttpError(409, 'reauth_required', 'This DPoP token is bound to a key the session no longer holds.', {
      hint: 'A DPoP token works only with the key it was issued for (RFC 9449 §6). Get a new token.',
    });
  }
  const attemptWith = async (nonce: string | undefined, answersNonceChallenge: boolean): Promise<ResourceAttempt> => {
    const { proof, decoded } = await createDpopProof(key!, { method, url, nonce, accessToken: token.accessToken, answersNonceChallenge });
    return { headers: [['DPoP', proof]], proof: decoded, proofJwt: proof };
  };
  let attempt = await attemptWith(nonceFor(key, url, 'resource'), false);
  let result = await send(attempt);
  const first = answerOf(result);
  const challenge = first ? nonceChallengeOf(first) : null;
  if (first && challenge) {
    await onChallenged(result, attempt);
    key = await rememberNonce(ctx, ctx.providerId, key, url, first, 'resource');
    attempt = await attemptWith(challenge, true);
    result = await send(attempt);
  }
  const last = answerOf(result);
  if (last) await rememberNonce(ctx, ctx.providerId, key, url, last, 'resource');
  return { result, attempt };
}
