import { describe, expect, it } from 'vitest';
import { assertionRejectionCatalogue, assertionRejectionCodes, explainAssertionRejection, type AssertionRejectionCode } from '@/lib/contract/assertion-rejections';

// Phrasings modelled on real token endpoints; the oidc-provider ones are its exact strings (lib/shared/jwt_client_auth.js).
const samples: { name: string; body: unknown; codes: AssertionRejectionCode[] }[] = [
  { name: 'oidc-provider aud', body: { error: 'invalid_client', error_detail: 'audience (aud) must equal the endpoint url, issuer identifier or token endpoint url' }, codes: ['wrong_aud'] },
  { name: 'oidc-provider jti missing', body: { error: 'invalid_client', error_description: 'unique jti (JWT ID) must be provided in the client_assertion JWT' }, codes: ['missing_jti'] },
  { name: 'oidc-provider replay', body: '{"error":"invalid_client","error_description":"client assertion tokens must only be used once"}', codes: ['replayed_jti'] },
  { name: 'oidc-provider iss', body: { error: 'invalid_client', error_description: 'iss (JWT issuer) must be the client_id' }, codes: ['iss_not_client_id'] },
  { name: 'oidc-provider expired', body: { error: 'invalid_client', error_description: 'jwt expired' }, codes: ['expired'] },
  { name: 'Keycloak audience', body: { error: 'invalid_client', error_description: "Token audience doesn't match domain. Expected audience is: https://kc/realms/r/protocol/openid-connect/token" }, codes: ['wrong_aud'] },
  { name: 'Keycloak reuse', body: { error: 'invalid_client', error_description: 'Token reuse detected' }, codes: ['replayed_jti'] },
  { name: 'Keycloak not active', body: { error: 'invalid_client', error_description: 'Token is not active' }, codes: ['expired'] },
  { name: 'Keycloak signature', body: { error: 'invalid_client', error_description: 'Client authentication with signed JWT failed: Signature on JWT token by client: c1 failed validation' }, codes: ['bad_signature'] },
  { name: 'kid unknown', body: { error: 'invalid_client', error_description: 'Unable to find a public key with kid abc in the registered JWKS' }, codes: ['unknown_kid'] },
  { name: 'iss sub', body: { error: 'invalid_client', error_description: 'The iss and sub claims must be identical' }, codes: ['iss_not_sub'] },
  { name: 'exp too far', body: { error: 'invalid_client', error_description: 'exp is too far in the future (max 5 minutes)' }, codes: ['exp_too_far'] },
  { name: 'alg', body: { error: 'invalid_client', error_description: 'Unsupported signing algorithm RS256' }, codes: ['wrong_alg'] },
  { name: 'assertion type', body: { error: 'invalid_request', error_description: 'client_assertion_type is invalid' }, codes: ['wrong_assertion_type'] },
  { name: 'plain text', body: 'Invalid audience in client assertion', codes: ['wrong_aud'] },
  { name: 'Epic-style bare invalid_client', body: { error: 'invalid_client', error_description: null }, codes: ['unexplained'] },
  { name: 'empty body', body: '', codes: ['unexplained'] },
];

describe('explainAssertionRejection', () => {
  it.each(samples)('$name → $codes', ({ body, codes }) => {
    const explained = explainAssertionRejection(body);
    expect(explained.reasons.map((r) => r.code)).toEqual(codes);
    for (const reason of explained.reasons) {
      expect(reason.message.length).toBeGreaterThan(20);
      expect(reason.fix.length).toBeGreaterThan(10);
    }
  });

  it('quotes what the server said, and says whether it is about client authentication', () => {
    const explained = explainAssertionRejection({ error: 'invalid_client', error_description: 'Token reuse detected' });
    expect(explained).toMatchObject({ error: 'invalid_client', description: 'Token reuse detected', aboutClientAuthentication: true });
    expect(explained.reasons[0]?.message).toContain('"Token reuse detected"');
    expect(explainAssertionRejection({ error: 'invalid_scope' }).aboutClientAuthentication).toBe(false);
  });

  it('the bare invalid_client answer lists every usual cause', () => {
    const [reason] = explainAssertionRejection({ error: 'invalid_client' }).reasons;
    for (const word of ['aud', 'kid', 'iss = sub', 'exp', 'jti', 'RS384']) expect(reason?.fix).toContain(word);
  });

  it('has plain words for every code', () => {
    for (const code of assertionRejectionCodes) expect(assertionRejectionCatalogue[code].message).toMatch(/\.$/);
  });
});
