/** Names and limits the OAuth and SMART specifications fix, which the console and the built-in sandboxes both use. */

/** RFC 7523 §2.2: the client assertion type for JWT client authentication. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** SMART Backend Services: a client assertion's `exp` no more than five minutes in the future. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/**
 * The redirect URI of the programs Export as code writes (a loopback listener, RFC 8252 §7.3): the built-in
 * sandboxes' demo apps register it beside the console's own callback; at a real provider the user registers it.
 */
export const PROGRAM_REDIRECT_URI = 'http://127.0.0.1:8765/callback';
