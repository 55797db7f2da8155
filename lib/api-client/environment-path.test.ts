import { describe, expect, it } from 'vitest';
import { getEnvironmentPrefix, getEnvironmentRoot, toEnvironmentPath } from './environment-path';

const builtin = {
  tokenUrl: 'http://127.0.0.1:3000/sandbox/bcda/auth/token',
  fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/bcda/api/v2',
};
const sandbox = {
  tokenUrl: 'https://sandbox.bcda.cms.gov/auth/token',
  fhirBaseUrl: 'https://sandbox.bcda.cms.gov/api/v2',
};

describe('getEnvironmentPrefix', () => {
  it('finds the mount prefix of the built-in sandbox', () => {
    expect(getEnvironmentPrefix(builtin)).toBe('/sandbox/bcda');
  });
  it('is empty for a provider at the root of its origin', () => {
    expect(getEnvironmentPrefix(sandbox)).toBe('');
  });
  it('works with relative URLs', () => {
    expect(getEnvironmentPrefix({ tokenUrl: '/sandbox/bcda/auth/token', fhirBaseUrl: '/sandbox/bcda/api/v2' })).toBe(
      '/sandbox/bcda',
    );
  });
  it('falls back to the FHIR base URL', () => {
    expect(getEnvironmentPrefix({ tokenUrl: 'https://x.test/oauth2/token', fhirBaseUrl: 'https://x.test/p/api/v2' })).toBe(
      '/p',
    );
  });
});

describe('toEnvironmentPath', () => {
  it('strips origin and prefix from a built-in job URL', () => {
    expect(toEnvironmentPath('http://127.0.0.1:3000/sandbox/bcda/api/v2/jobs/7', builtin)).toBe('/api/v2/jobs/7');
  });
  it('strips a manifest file URL', () => {
    expect(
      toEnvironmentPath('http://127.0.0.1:3000/sandbox/bcda/data/7/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab.ndjson', builtin),
    ).toBe('/data/7/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab.ndjson');
  });
  it('tolerates another host name for the same server', () => {
    expect(toEnvironmentPath('http://localhost:3000/sandbox/bcda/api/v2/jobs/7', builtin)).toBe('/api/v2/jobs/7');
  });
  it('handles real provider URLs without a prefix', () => {
    expect(toEnvironmentPath('https://sandbox.bcda.cms.gov/api/v2/jobs/42', sandbox)).toBe('/api/v2/jobs/42');
    expect(toEnvironmentPath('https://sandbox.bcda.cms.gov/data/42/abc.ndjson', sandbox)).toBe('/data/42/abc.ndjson');
  });
  it('keeps the query string and drops the fragment', () => {
    expect(toEnvironmentPath('https://sandbox.bcda.cms.gov/api/v2/jobs?_status=completed#x', sandbox)).toBe(
      '/api/v2/jobs?_status=completed',
    );
  });
  it('keeps $ in operation paths', () => {
    expect(toEnvironmentPath('http://127.0.0.1:3000/sandbox/bcda/api/v2/Patient/$export', builtin)).toBe(
      '/api/v2/Patient/$export',
    );
  });
  it('accepts a path that is already environment-relative', () => {
    expect(toEnvironmentPath('/api/v2/jobs/7', builtin)).toBe('/api/v2/jobs/7');
    expect(toEnvironmentPath('/sandbox/bcda/api/v2/jobs/7', builtin)).toBe('/api/v2/jobs/7');
  });
  it('refuses URLs outside the environment', () => {
    expect(toEnvironmentPath('https://evil.test/steal', sandbox)).toBeNull();
    expect(toEnvironmentPath('javascript:alert(1)', sandbox)).toBeNull();
  });
});

describe('getEnvironmentRoot', () => {
  it('joins origin and prefix', () => {
    expect(getEnvironmentRoot(builtin)).toBe('http://127.0.0.1:3000/sandbox/bcda');
    expect(getEnvironmentRoot(sandbox)).toBe('https://sandbox.bcda.cms.gov');
  });
  it('keeps a relative prefix', () => {
    expect(getEnvironmentRoot({ tokenUrl: '/sandbox/bcda/auth/token', fhirBaseUrl: '/sandbox/bcda/api/v2' })).toBe(
      '/sandbox/bcda',
    );
  });
});
