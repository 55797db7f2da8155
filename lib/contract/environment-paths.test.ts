import { describe, expect, it } from 'vitest';
import { checkEnvironmentPath, joinEnvironmentUrl } from './environment-paths';

const prefixes = ['/api/', '/data/', '/auth/welcome'];

describe('checkEnvironmentPath', () => {
  it.each([
    '/api/v2/metadata',
    '/api/v2/Patient/$export?_type=Patient,Coverage&_since=2024-01-01T00:00:00Z',
    '/data/12/3f1c2a9e-0000-4000-8000-000000000001.ndjson',
    '/auth/welcome',
    '/api/fhir/ExplanationOfBenefit?_format=application%2Fjson%2Bfhir&startIndex=10&_count=10&patient=-20140000000001',
    '/api/contacts?email=agent@demo-agency.test',
  ])('accepts %s', (path) => {
    expect(checkEnvironmentPath(path, prefixes).ok).toBe(true);
  });

  it.each([
    ['https://evil.test/api/v2/metadata', 'absolute'],
    ['//evil.test/api/', '"//"'],
    ['api/v2/metadata', 'start with'],
    ['/api/../admin', '".."'],
    ['/api/%2e%2e/admin', 'encoded'],
    ['/api/%2E%2E/admin', 'encoded'],
    ['/api\\..\\admin', 'backslash'],
    ['/api/v2@evil.test/', '"@"'],
    ['/api//v2', '"//"'],
    ['/admin/secrets', 'one of'],
    ['/api/v2/metadata#x', 'fragments'],
    ['/api/v2/meta data', 'whitespace'],
    ['/api/v2/%00', 'encoded'],
    ['/api/v2/metadata?x=%00', 'NUL'],
    ['/api/v2/%2e%2e?x=1', 'encoded'],
    ['/auth/token', 'one of'],
  ])('refuses %s', (path, reason) => {
    const result = checkEnvironmentPath(path, prefixes);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe('joinEnvironmentUrl', () => {
  it('keeps a mount prefix', () => {
    expect(joinEnvironmentUrl('http://127.0.0.1:3000/sandbox/bcda', '/api/v2/metadata', '')?.toString()).toBe(
      'http://127.0.0.1:3000/sandbox/bcda/api/v2/metadata',
    );
  });
  it('works on a bare origin', () => {
    expect(joinEnvironmentUrl('https://sandbox.bcda.cms.gov', '/api/v2/jobs/1', '?x=1')?.toString()).toBe(
      'https://sandbox.bcda.cms.gov/api/v2/jobs/1?x=1',
    );
  });
});
