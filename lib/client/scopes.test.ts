import { describe, expect, it } from 'vitest';
import { diffScopes, parseScope } from './scopes';

describe('parseScope', () => {
  it('splits on any whitespace and drops repeats', () => {
    expect(parseScope('openid  patient/Patient.rs\tprofile openid')).toEqual(['openid', 'patient/Patient.rs', 'profile']);
  });
  it('is empty for an absent or blank scope', () => {
    expect(parseScope(undefined)).toEqual([]);
    expect(parseScope('   ')).toEqual([]);
  });
});

describe('diffScopes', () => {
  const requested = ['openid', 'profile', 'patient/Patient.rs', 'patient/ExplanationOfBenefit.rs', 'patient/Coverage.rs'];

  it('finds what Blue Button withheld when demographics were refused', () => {
    const diff = diffScopes(requested, parseScope('openid patient/ExplanationOfBenefit.rs patient/Coverage.rs'));
    expect(diff.missing).toEqual(['profile', 'patient/Patient.rs']);
    expect(diff.extra).toEqual([]);
    expect(diff.granted).toEqual(['openid', 'patient/ExplanationOfBenefit.rs', 'patient/Coverage.rs']);
  });
  it('reports nothing missing when everything was granted, in any order', () => {
    expect(diffScopes(requested, [...requested].reverse()).missing).toEqual([]);
  });
  it('reports granted scopes nobody asked for', () => {
    expect(diffScopes(['partner_api_v2'], ['partner_api_v2', 'offline_access']).extra).toEqual(['offline_access']);
  });
  it('compares case-sensitively (RFC 6749 §3.3)', () => {
    expect(diffScopes(['Patient/*.read'], ['patient/*.read']).missing).toEqual(['Patient/*.read']);
  });
});
