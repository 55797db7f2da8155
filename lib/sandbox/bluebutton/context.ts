import 'server-only';
import type { BlueButtonStore } from './store';

/** The settings of one sandbox instance and its store (shared with other instances on the same state). */
export interface BlueButtonContext {
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now(): number;
  /** How long an authorization code can be exchanged. */
  codeLifetimeMs: number;
  /** How long the login and consent pages of one authorize request stay usable. */
  pendingLifetimeMs: number;
  accessTokenLifetimeSeconds: number;
  /** Length of the beneficiary's data-access grant (THIRTEEN_MONTH apps). */
  grantLifetimeMonths: number;
  /** Where the sandbox is mounted on the public origin, e.g. `/sandbox/bluebutton`. */
  mountPath: string;
  /** The redirect URIs the demo apps registered, matched exactly. */
  redirectUris(): readonly string[];
  store: BlueButtonStore;
}

/**
 * The public base URL of the sandbox for this request, the stand-in for `https://sandbox.bluebutton.cms.gov`:
 * the browser-facing origin (Host header) plus the mount path.
 */
export function getBaseUrl(context: BlueButtonContext, request: Request): string {
  return `${new URL(request.url).origin}${context.mountPath}`;
}
