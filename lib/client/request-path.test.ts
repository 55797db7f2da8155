import { describe, expect, it } from 'vitest';
import { checkRequestPath } from './request-path';

const env = {
  tokenUrl: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/o/token',
  fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir',
};

describe('checkRequestPath', () => {
  it('accepts paths from the root and an empty draft', () => {
    expect(checkRequestPath('/v2/fhir/Patient', env)).toEqual({ ok: true });
    expect(checkRequestPath('  ', env)).toEqual({ ok: true });
  });
  it('offers the environment path for a full URL on the environment', () => {
    expect(checkRequestPath('http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir/Coverage?startIndex=10', env)).toMatchObject({
      ok: false,
      suggestion: '/v2/fhir/Coverage?startIndex=10',
    });
  });
  it('refuses a URL elsewhere without a suggestion', () => {
    expect(checkRequestPath('https://evil.example/', env)).toMatchObject({ ok: false, suggestion: null });
    expect(checkRequestPath('https://evil.example/v2/fhir/Patient', env)).toMatchObject({ ok: false, suggestion: null });
    expect(checkRequestPath('javascript:alert(1)', env)).toMatchObject({ ok: false, suggestion: null });
  });
  it('suggests the leading slash a relative path lacks', () => {
    expect(checkRequestPath('v2/fhir/Patient', env)).toMatchObject({ ok: false, suggestion: '/v2/fhir/Patient' });
  });
});
