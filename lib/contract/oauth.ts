/** Names and limits the OAuth and SMART specifications fix, which the console and the built-in sandboxes both use. */

/** RFC 7523 §2.2: the client assertion type for JWT client authentication. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** SMART Backend Services: a client assertion's `exp` no more than five minutes in the future. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
