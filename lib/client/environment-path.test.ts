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

const bluebutton = {
  tokenUrl: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/o/token',
  fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir',
};
const patientAccess = {
  tokenUrl: 'http://127.0.0.1:3000/sandbox/oneuphealth/oauth2/token',
  fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/oneuphealth/r4',
};

describe('built-in sandboxes whose paths have no known marker', () => {
  it('finds the /sandbox/{id} mount', () => {
    expect(getEnvironmentPrefix(bluebutton)).toBe('/sandbox/bluebutton');
    expect(getEnvironmentPrefix(patientAccess)).toBe('/sandbox/oneuphealth');
    expect(getEnvironmentRoot(patientAccess)).toBe('http://127.0.0.1:3000/sandbox/oneuphealth');
  });
  it('turns a Bundle next link into a proxy path', () => {
    expect(
      toEnvironmentPath('http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir/ExplanationOfBenefit?_count=10&startIndex=10', bluebutton),
    ).toBe('/v2/fhir/ExplanationOfBenefit?_count=10&startIndex=10');
    expect(toEnvironmentPath('http://localhost:3000/sandbox/oneuphealth/r4/Patient?page=2', patientAccess)).toBe(
      '/r4/Patient?page=2',
    );
  });
  it('accepts paths below the environment’s own roots', () => {
    expect(toEnvironmentPath('/v2/fhir/Coverage', bluebutton)).toBe('/v2/fhir/Coverage');
    expect(toEnvironmentPath('/elsewhere/x', bluebutton)).toBeNull();
  });
  it('keeps real Blue Button URLs at the root of their origin', () => {
    const real = { tokenUrl: 'https://sandbox.bluebutton.cms.gov/v2/o/token/', fhirBaseUrl: 'https://sandbox.bluebutton.cms.gov/v2/fhir' };
    expect(getEnvironmentPrefix(real)).toBe('');
    expect(toEnvironmentPath('https://sandbox.bluebutton.cms.gov/v2/fhir/Patient?_count=1', real)).toBe('/v2/fhir/Patient?_count=1');
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
