import 'server-only';
import type { CodeBindingDto } from '@/lib/contract/schemas';
import type { GrantRecipe } from './schema';

/**
 * What an authorization code is bound to, so that a code issued to one browser's run cannot be redeemed through
 * another session (SECURITY.md rule 14, RFC 9700 §2.1.1 and §4.5): PKCE S256 on every request unless the provider
 * file states that the server refuses it; then an OpenID Connect `nonce` where there is an ID token; otherwise
 * nothing, and the page names the risk.
 */

/** The risk the page names when nothing binds the code. */
export const unboundCodeRisk =
  'Nothing binds the authorization code to this browser: a code that leaks (a log, a Referer header, a browser ' +
  'extension) or is injected into another session is redeemed there, and that session gets the account’s tokens ' +
  '(RFC 9700 §2.1.1, §4.5).';

/**
 * How runs of this grant bind their code. For a client-credentials grant the answer is PKCE's, unused.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
export function codeBindingOf(grant: GrantRecipe): CodeBindingDto {
  if (grant.pkce === 'S256') return { method: 'pkce_s256' };
  if (grant.pkce.codeBinding === 'oidc_nonce') return { method: 'oidc_nonce', pkceRefusal: grant.pkce.reason };
  return { method: 'none', pkceRefusal: grant.pkce.reason, risk: unboundCodeRisk };
}
