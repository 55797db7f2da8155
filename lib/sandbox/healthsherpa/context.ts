import 'server-only';
import type { ContactStore } from './contact-store';
import type { OAuthStore } from './oauth-store';

/**
 * How the API reports token problems. `seed` is the authentication page's `{"error":{"message","code"}}` with
 * `invalid_token` / `missing_authorization`; `oauth` is Doorkeeper's `{"error","error_description"}` with
 * `WWW-Authenticate`, as a newer doc page describes.
 */
export type ApiAuthErrorFormat = 'seed' | 'oauth';

/** The settings of one sandbox instance and its stores (shared with other instances on the same state). */
export interface HealthSherpaContext {
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now(): number;
  /** Where the sandbox is mounted on the public origin, e.g. `/sandbox/healthsherpa`. */
  mountPath: string;
  /** The redirect URIs registered for a client id, matched exactly. */
  redirectUris(clientId: string): readonly string[];
  apiAuthErrors: ApiAuthErrorFormat;
  oauth: OAuthStore;
  contacts: ContactStore;
}

