import { describe, expect, it } from 'vitest';
import { resourceRefusalReason } from './token-refusal';

describe('resourceRefusalReason', () => {
  it('reads the Bearer challenge first (RFC 6750 §3), since the body may not be about the token', () => {
    const headers = [['WWW-Authenticate', 'Bearer realm="api",error="invalid_token",error_description="The access token is invalid."']] as const;
    expect(resourceRefusalReason(401, headers, '{"detail": "Authentication credentials were not provided."}')).toBe('The access token is invalid.');
    expect(resourceRefusalReason(401, [['www-authenticate', 'Bearer error=invalid_token']], '')).toBe('invalid_token');
    expect(resourceRefusalReason(401, [['WWW-Authenticate', 'Bearer error_description="say \\"no\\"", error="invalid_token"']], '')).toBe('say "no"');
  });

  it('falls back to the words of the body, then to the status', () => {
    expect(resourceRefusalReason(401, [['WWW-Authenticate', 'Bearer realm="api"']], '{"detail": "Authentication credentials were not provided."}')).toBe('Authentication credentials were not provided.');
    expect(resourceRefusalReason(401, [], '{"resourceType":"OperationOutcome","issue":[{"code":"security","diagnostics":"Expired Token"}]}')).toBe('Expired Token');
    expect(resourceRefusalReason(401, [], '{"error":{"code":"unauthorized","message":"Token revoked"}}')).toBe('Token revoked');
    expect(resourceRefusalReason(401, [], 'Unauthorized\n')).toBe('Unauthorized');
    expect(resourceRefusalReason(401, [], '<html>big page</html>')).toBe('The server answered 401 Unauthorized.');
    expect(resourceRefusalReason(401, [['WWW-Authenticate', 'Basic realm="x"']], '')).toBe('The server answered 401 Unauthorized.');
  });

  it('is nothing for any answer but 401 (a 403 is about scope, not the token)', () => {
    expect(resourceRefusalReason(200, [], '')).toBeNull();
    expect(resourceRefusalReason(403, [['WWW-Authenticate', 'Bearer error="insufficient_scope"']], '')).toBeNull();
  });
});
