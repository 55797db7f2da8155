import 'server-only';
import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet } from 'jose';
import { decodeJwtParts } from '@/lib/contract/jwt';
import { assertionRejection, type AssertionRejection } from '@/lib/contract/assertion-rejections';
import { JWT_BEARER_ASSERTION_TYPE, MAX_ASSERTION_LIFETIME_SECONDS } from '@/lib/contract/oauth';
import type { SandboxState } from '../shared/state';
import { tableKey } from './store';

/**
 * Remembers the `jti`s of accepted assertions until they expire, so a second use is refused. `claim` must be atomic:
 * it records the key and answers true, or answers false when the key is already recorded and not yet expired.
 */
export interface JtiReplayStore {
  claim(key: string, expiresAtSeconds: number, nowSeconds: number): boolean | Promise<boolean>;
}

/** An in-process replay store (the built-in sandbox, tests); entries are pruned once past their expiry. */
export function createMemoryJtiStore(options: { maxEntries?: number } = {}): JtiReplayStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const seen = new Map<string, number>();
  return {
    claim(key, expiresAtSeconds, nowSeconds) {
      const until = seen.get(key);
      if (until !== undefined && until > nowSeconds) return false;
      if (seen.size >= maxEntries) {
        for (const [k, exp] of seen) if (exp <= nowSeconds) seen.delete(k);
        // Full of live entries: refusing is safer than forgetting a jti that could then be replayed.
        if (seen.size >= maxEntries) return false;
      }
      seen.set(key, expiresAtSeconds);
      return true;
    },
  };
}

/**
 * A replay store in the sandbox's state, shared by every instance: a `jti` used on one is refused on all. Each is
 * kept until its assertion or proof expires; `setIfAbsent` makes claiming it one step, so two instances racing with
 * the same `jti` cannot both win.
 * @param table the state table's name (one per kind of jti)
 */
export function createStateJtiStore(state: SandboxState, table: string): JtiReplayStore {
  return {
    claim: (key, expiresAtSeconds, nowSeconds) =>
      state.setIfAbsent(tableKey(table, key), expiresAtSeconds, Math.max(1000, (expiresAtSeconds - nowSeconds) * 1000)),
  };
}

export interface VerifyClientAssertionOptions {
  /** The token endpoint URL the assertion must name as `aud`, exactly. */
  expectedAudience: string;
  clientId: string;
  /** The client's registered public keys. */
  jwks: JSONWebKeySet;
  seenJtis: JtiReplayStore;
  now?: Date;
  /** Default 300 (SMART Backend Services). */
  maxLifetimeSeconds?: number;
  /** The algorithms registered for the client; default RS384 and ES384. */
  algorithms?: readonly string[];
  /** Allowed clock skew for `exp` and `iat`; default 0. */
  clockToleranceSeconds?: number;
  /** The request's `client_assertion_type`, checked when given. */
  clientAssertionType?: string;
}

export type ClientAssertionVerification =
  | { ok: true; header: Record<string, unknown>; claims: Record<string, unknown> }
  | { ok: false; reasons: AssertionRejection[]; header?: Record<string, unknown>; claims?: Record<string, unknown> };

/**
 * Checks a client assertion the way a SMART Backend Services authorization server does and lists every reason it
 * would refuse it, in plain words. The `jti` is recorded only when everything else passes, so a refused assertion
 * does not use up its `jti`.
 *
 * @see https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html#signature-verification
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export async function verifyClientAssertion(
  assertion: string,
  options: VerifyClientAssertionOptions,
): Promise<ClientAssertionVerification> {
  const reasons: AssertionRejection[] = [];
  if (options.clientAssertionType !== undefined && options.clientAssertionType !== JWT_BEARER_ASSERTION_TYPE) {
    reasons.push(
      assertionRejection('wrong_assertion_type', { expected: JWT_BEARER_ASSERTION_TYPE, got: options.clientAssertionType }),
    );
  }
  const decoded = decodeJwtParts(assertion);
  if (!decoded) return { ok: false, reasons: [...reasons, assertionRejection('malformed_assertion')] };
  const { header, claims } = decoded;

  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.clockToleranceSeconds ?? 0;
  const maxLifetime = options.maxLifetimeSeconds ?? MAX_ASSERTION_LIFETIME_SECONDS;
  const algorithms = options.algorithms ?? ['RS384', 'ES384'];

  if (header.typ !== 'JWT') {
    reasons.push(assertionRejection('wrong_typ', { expected: 'JWT', got: show(header.typ) }));
  }

  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  const kid = typeof header.kid === 'string' && header.kid ? header.kid : undefined;
  const kids = options.jwks.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string');
  const registered = kid ? options.jwks.keys.find((k) => k.kid === kid) : undefined;
  let algOk = true;
  if (!alg || alg === 'none' || !algorithms.includes(alg)) {
    algOk = false;
    reasons.push(
      assertionRejection('wrong_alg', {
        message:
          alg === 'none'
            ? 'The assertion is unsigned (alg "none"); a client assertion must be signed.'
            : `The assertion is signed with ${alg ?? 'no algorithm'}, which this client is not registered for.`,
        expected: algorithms.join(' or '),
        got: show(header.alg),
      }),
    );
  } else if (registered?.alg !== undefined && registered.alg !== alg) {
    algOk = false;
    reasons.push(
      assertionRejection('wrong_alg', {
        message: `The key "${kid}" is registered for ${registered.alg}, but the assertion is signed with ${alg}.`,
        expected: registered.alg,
        got: alg,
      }),
    );
  }

  if (!kid) {
    reasons.push(assertionRejection('missing_kid'));
  } else if (!registered) {
    reasons.push(
      assertionRejection('unknown_kid', {
        message: `No key with kid "${kid}" in the client's JWKS${kids.length ? ` (it has: ${kids.map((k) => `"${k}"`).join(', ')})` : ' (it has no keys with a kid)'}.`,
        expected: kids.join(', '),
        got: kid,
      }),
    );
  }

  if (algOk && alg && registered) {
    try {
      await compactVerify(assertion, createLocalJWKSet(options.jwks), { algorithms: [alg] });
    } catch (error) {
      reasons.push(
        error instanceof errors.JWKSNoMatchingKey
          ? assertionRejection('wrong_alg', {
              message: `The key "${kid}" is a ${String(registered.kty)} key, which cannot verify ${alg}.`,
              got: alg,
            })
          : assertionRejection('bad_signature'),
      );
    }
  }

  const iss = typeof claims.iss === 'string' ? claims.iss : undefined;
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (iss !== sub) {
    reasons.push(assertionRejection('iss_not_sub', { expected: `sub = iss (${show(claims.iss)})`, got: show(claims.sub) }));
  }
  if (iss !== options.clientId) {
    reasons.push(assertionRejection('iss_not_client_id', { expected: options.clientId, got: show(claims.iss) }));
  }

  const aud = claims.aud;
  const audOk = aud === options.expectedAudience || (Array.isArray(aud) && aud.includes(options.expectedAudience));
  if (!audOk) {
    reasons.push(
      assertionRejection('wrong_aud', {
        message: `The "aud" claim is ${show(aud)}, but this server's token endpoint is "${options.expectedAudience}".`,
        expected: options.expectedAudience,
        got: show(aud),
      }),
    );
  }

  const exp = typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp : undefined;
  if (exp === undefined) {
    reasons.push(assertionRejection('missing_exp', { got: show(claims.exp) }));
  } else if (exp <= now - tolerance) {
    reasons.push(
      assertionRejection('expired', {
        message: `The assertion expired ${now - exp} s ago (exp ${isoSeconds(exp)}, now ${isoSeconds(now)}).`,
        expected: `exp after ${isoSeconds(now)}`,
        got: isoSeconds(exp),
      }),
    );
  } else if (exp - now > maxLifetime + tolerance) {
    reasons.push(
      assertionRejection('exp_too_far', {
        message: `The assertion expires ${exp - now} s from now; at most ${maxLifetime} s is allowed.`,
        expected: `exp ≤ now + ${maxLifetime} s`,
        got: `now + ${exp - now} s`,
      }),
    );
  }
  if (typeof claims.iat === 'number' && claims.iat > now + tolerance) {
    reasons.push(assertionRejection('issued_in_future', { expected: `iat ≤ ${isoSeconds(now)}`, got: isoSeconds(claims.iat) }));
  }

  const jti = typeof claims.jti === 'string' && claims.jti ? claims.jti : undefined;
  if (!jti) reasons.push(assertionRejection('missing_jti'));

  if (reasons.length === 0 && jti && exp !== undefined) {
    // RFC 7523 §3 item 7 / SMART: a jti is unique per client until the assertion expires.
    const fresh = await options.seenJtis.claim(`${iss ?? ''}\u0000${jti}`, exp + tolerance, now);
    if (!fresh) {
      reasons.push(
        assertionRejection('replayed_jti', {
          message: `The jti "${jti}" was already used by an accepted assertion that has not expired yet: one assertion is good for one token request.`,
          got: jti,
        }),
      );
    }
  }

  return reasons.length === 0 ? { ok: true, header, claims } : { ok: false, reasons, header, claims };
}

function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

function isoSeconds(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  return Number.isNaN(date.getTime()) ? String(epochSeconds) : date.toISOString();
}
