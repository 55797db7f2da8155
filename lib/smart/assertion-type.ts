import 'server-only';
/** RFC 7523 §2.2: the client assertion type for JWT client authentication. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
