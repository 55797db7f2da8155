import 'server-only';
import { importJWK, SignJWT } from 'jose';
import type { AssertionFault } from '@/lib/contract/smart';
import { mintClientAssertion, type MintedClientAssertion } from './client-assertion';
import type { StoredClientKey } from './client-keys';

/**
 * Deliberately broken client assertions, one per way servers reject them, so an integrator can see each rejection
 * and its explanation once, on purpose, before meeting it by accident. Signed with the real key: only the named
 * fault is wrong.
 */
export interface FaultyAssertionInput {
  key: StoredClientKey;
  clientId: string;
  tokenUrl: string;
  /** `replayed_jti`: the jti of the last assertion sent for this provider. */
  previousJti?: string;
}

export async function mintFaultyAssertion(fault: AssertionFault, input: FaultyAssertionInput): Promise<MintedClientAssertion> {
  const base = { key: input.key, clientId: input.clientId, tokenUrl: input.tokenUrl };
  switch (fault) {
    case 'wrong_aud':
      return mintClientAssertion({ ...base, tokenUrl: new URL(input.tokenUrl).origin + '/' });
    case 'unknown_kid':
      return mintClientAssertion({ ...base, key: { ...input.key, kid: `not-in-jwks-${input.key.kid.slice(0, 8)}` } });
    case 'expired':
      return mintClientAssertion({ ...base, now: new Date(Date.now() - 10 * 60_000) });
    case 'replayed_jti':
      if (!input.previousJti) throw new RangeError('There is no earlier assertion to replay: get a token first.');
      return mintClientAssertion({ ...base, jti: input.previousJti });
    case 'iss_not_sub': {
      const minted = await mintClientAssertion(base);
      const claims = { ...minted.claims, iss: `${input.clientId}-not-the-subject` };
      const assertion = await new SignJWT({ ...claims }).setProtectedHeader({ ...minted.header }).sign(await importJWK(input.key.privateJwk, input.key.alg));
      return { assertion, header: minted.header, claims };
    }
  }
}
