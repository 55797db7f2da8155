import { describe, expect, it } from 'vitest';
import {
  findResourceTypeSegment,
  getDeclaredResourceTypes,
  getFhirBasePaths,
  getResourceTypeHint,
  shouldLookUpResourceTypes,
  suggestResourceTypes,
} from './resource-type-hint';

const bcda = { tokenUrl: 'http://127.0.0.1:3000/sandbox/bcda/auth/token', fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/bcda/api/v2' };
const blueButton = { tokenUrl: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/o/token/', fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir/' };
const blueButtonTypes = ['Coverage', 'ExplanationOfBenefit', 'Patient'];

describe('getDeclaredResourceTypes', () => {
  it('reads rest[].resource[].type from every rest entry, each type once', () => {
    const statement = {
      resourceType: 'CapabilityStatement',
      rest: [
        { mode: 'server', resource: [{ type: 'Patient' }, { type: 'Group', operation: [] }] },
        { mode: 'client', resource: [{ type: 'Patient' }, { type: 'Observation' }] },
      ],
    };
    expect(getDeclaredResourceTypes(statement)).toEqual(['Patient', 'Group', 'Observation']);
  });

  it('skips odd entries and keeps the rest', () => {
    const statement = { resourceType: 'CapabilityStatement', rest: [null, { resource: 'x' }, { resource: [{ type: 7 }, null, { type: 'Coverage' }] }] };
    expect(getDeclaredResourceTypes(statement)).toEqual(['Coverage']);
  });

  it('gives an empty list for a statement without resources, null for anything else', () => {
    expect(getDeclaredResourceTypes({ resourceType: 'CapabilityStatement' })).toEqual([]);
    expect(getDeclaredResourceTypes({ resourceType: 'CapabilityStatement', rest: 'nope' })).toEqual([]);
    expect(getDeclaredResourceTypes({ resourceType: 'OperationOutcome', issue: [] })).toBeNull();
    expect(getDeclaredResourceTypes('404 page not found\n')).toBeNull();
    expect(getDeclaredResourceTypes(undefined)).toBeNull();
  });
});

describe('getFhirBasePaths', () => {
  it('puts the flow’s base and the other declared bases relative to the environment, longest first', () => {
    expect(getFhirBasePaths(bcda, ['/api/v2', '/api/v3/'])).toEqual(['/api/v2', '/api/v3']);
    expect(getFhirBasePaths(blueButton)).toEqual(['/v2/fhir']);
  });
});

describe('findResourceTypeSegment', () => {
  it('takes the first segment after the base and keeps what follows', () => {
    expect(findResourceTypeSegment('/api/v2/Patinet', ['/api/v2'])).toEqual({ base: '/api/v2', typed: 'Patinet', rest: '' });
    expect(findResourceTypeSegment(' /v2/fhir/Patinet/-20140000008325/_history?_count=5#x ', ['/v2/fhir'])).toEqual({
      base: '/v2/fhir',
      typed: 'Patinet',
      rest: '/-20140000008325/_history?_count=5#x',
    });
    expect(findResourceTypeSegment('/api/v3/Grup/all/$export', ['/api/v2', '/api/v3'])?.typed).toBe('Grup');
    expect(findResourceTypeSegment('/Patinet?name=x', [''])).toEqual({ base: '', typed: 'Patinet', rest: '?name=x' });
  });

  it.each([
    ['/api/v2/metadata'],
    ['/api/v2/$export'],
    ['/api/v2/%24export'],
    ['/api/v2/_search'],
    ['/api/v2/_history'],
    ['/api/v2/attribution_status'],
    ['/api/v2/'],
    ['/api/v2'],
    ['/api/v2x/Patient'],
    ['/auth/welcome'],
    ['/api/v2/%E0%A4%A'],
    ['/api/v2/Pat%20ient'],
  ])('%s has no resource-type segment', (path) => {
    expect(findResourceTypeSegment(path, ['/api/v2'])).toBeNull();
  });
});

describe('suggestResourceTypes', () => {
  it('finds a swap, a missing letter and a wrong letter', () => {
    expect(suggestResourceTypes('Patinet', blueButtonTypes)).toEqual(['Patient']);
    expect(suggestResourceTypes('Patent', blueButtonTypes)).toEqual(['Patient']);
    expect(suggestResourceTypes('Coverade', blueButtonTypes)).toEqual(['Coverage']);
    expect(suggestResourceTypes('ExplanationOfBenefits', blueButtonTypes)).toEqual(['ExplanationOfBenefit']);
  });

  it('is case-insensitive', () => {
    expect(suggestResourceTypes('patient', blueButtonTypes)).toEqual(['Patient']);
    expect(suggestResourceTypes('EXPLANATIONOFBENEFIT', blueButtonTypes)).toEqual(['ExplanationOfBenefit']);
  });

  it('offers only the nearest, at most three, same case first', () => {
    expect(suggestResourceTypes('Claims', ['Claim', 'ClaimResponse', 'Flag'])).toEqual(['Claim']);
    expect(suggestResourceTypes('Bsis', ['Basis', 'Bias', 'Bis', 'Bsi', 'Isis'])).toEqual(['Basis', 'Bis', 'Bsi']);
    expect(suggestResourceTypes('group', ['GROUP', 'Group'])).toEqual(['Group', 'GROUP']);
  });

  it('suggests nothing far away, or from nothing', () => {
    expect(suggestResourceTypes('jobs', ['Patient', 'Group'])).toEqual([]);
    expect(suggestResourceTypes('Observation', blueButtonTypes)).toEqual([]);
    expect(suggestResourceTypes('Patinet', [])).toEqual([]);
  });
});

describe('getResourceTypeHint', () => {
  it('rewrites the path to each suggestion, id and query kept', () => {
    expect(getResourceTypeHint('/v2/fhir/Patinet/-20140000008325?_format=json', ['/v2/fhir'], blueButtonTypes)).toEqual({
      typed: 'Patinet',
      caseOnly: false,
      suggestions: [{ type: 'Patient', path: '/v2/fhir/Patient/-20140000008325?_format=json' }],
    });
  });

  it('says when only the case is wrong', () => {
    expect(getResourceTypeHint('/api/v2/patient/$export', ['/api/v2'], ['Patient', 'Group'])).toEqual({
      typed: 'patient',
      caseOnly: true,
      suggestions: [{ type: 'Patient', path: '/api/v2/Patient/$export' }],
    });
  });

  it('says nothing for a declared type, an operation, a far name or no declared types', () => {
    expect(getResourceTypeHint('/v2/fhir/Patient/123', ['/v2/fhir'], blueButtonTypes)).toBeNull();
    expect(getResourceTypeHint('/api/v2/$export', ['/api/v2'], ['Patient'])).toBeNull();
    expect(getResourceTypeHint('/api/v2/jobs', ['/api/v2'], ['Patient', 'Group'])).toBeNull();
    expect(getResourceTypeHint('/api/v2/Patinet', ['/api/v2'], [])).toBeNull();
  });
});

describe('shouldLookUpResourceTypes', () => {
  it('looks after a FHIR API’s 404 or 400 on a type-shaped segment only', () => {
    expect(shouldLookUpResourceTypes('fhir', 404, '/api/v2/Patinet', ['/api/v2'])).toBe(true);
    expect(shouldLookUpResourceTypes('fhir', 400, '/v2/fhir/patient', ['/v2/fhir'])).toBe(true);
    expect(shouldLookUpResourceTypes('fhir', 200, '/api/v2/Patinet', ['/api/v2'])).toBe(false);
    expect(shouldLookUpResourceTypes('fhir', 401, '/api/v2/Patinet', ['/api/v2'])).toBe(false);
    expect(shouldLookUpResourceTypes('fhir', 404, '/api/v2/$export', ['/api/v2'])).toBe(false);
    expect(shouldLookUpResourceTypes('fhir', 404, '/api/v2/metadata', ['/api/v2'])).toBe(false);
    // Candid and HealthSherpa are JSON APIs: no CapabilityStatement to ask.
    expect(shouldLookUpResourceTypes('json', 404, '/api/v2/Patinet', ['/api/v2'])).toBe(false);
  });
});
