import { describe, expect, it } from 'vitest';
import { readErrorBody } from './error-body';

describe('readErrorBody', () => {
  it('reads the shapes providers answer errors in', () => {
    expect(readErrorBody('{"error":"invalid_client","error_description":"Bad secret"}')).toEqual({ error: 'invalid_client', description: 'Bad secret' });
    expect(readErrorBody('{"error":{"code":"unauthorized","message":"Token revoked"}}')).toEqual({ error: 'unauthorized', description: 'Token revoked' });
    expect(readErrorBody('{"errorName":"AuthError","content":{"message":"No agent"}}')).toEqual({ error: 'AuthError', description: 'No agent' });
    expect(readErrorBody('{"detail":"Authentication credentials were not provided."}')).toEqual({ description: 'Authentication credentials were not provided.' });
    expect(readErrorBody('{"resourceType":"OperationOutcome","issue":[{"code":"forbidden","diagnostics":"Expired Token"}]}')).toEqual({ error: 'forbidden', description: 'Expired Token' });
    expect(readErrorBody('{"message":"Too many requests"}')).toEqual({ description: 'Too many requests' });
    expect(readErrorBody('Unauthorized\n')).toEqual({ description: 'Unauthorized' });
  });

  it('quotes nothing from an HTML page, an empty body or JSON without words', () => {
    expect(readErrorBody('<html><body>502 Bad Gateway</body></html>')).toEqual({});
    expect(readErrorBody('')).toEqual({});
    expect(readErrorBody('null')).toEqual({});
    expect(readErrorBody('{"error_description":"   "}').description).toBeUndefined();
  });
});
