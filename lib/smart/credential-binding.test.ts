import { describe, expect, it } from 'vitest';
import { bindingChanges, credentialBindingOf, describeServers } from './credential-binding';

describe('credential binding', () => {
  const saved = credentialBindingOf({ discoveryUrl: 'https://ehr.example/fhir/R4', tokenEndpoint: 'https://auth.ehr.example/oauth2/token', fhirBaseUrl: 'https://ehr.example/fhir/R4' });

  it('binds to origins, not paths', () => {
    expect(saved).toEqual({ discovery: 'https://ehr.example', token: 'https://auth.ehr.example', fhir: 'https://ehr.example' });
    expect(bindingChanges(saved, credentialBindingOf({ discoveryUrl: 'https://ehr.example/other', tokenEndpoint: 'https://auth.ehr.example/t', fhirBaseUrl: 'https://ehr.example/' }))).toEqual([]);
  });

  it('lists the changed origins token endpoint first, and words them grouped by origin', () => {
    const changes = bindingChanges(saved, credentialBindingOf({ discoveryUrl: 'https://evil.example/fhir', tokenEndpoint: 'https://evil.example/token', fhirBaseUrl: 'https://evil.example/fhir' }));
    expect(changes.map((c) => c.role)).toEqual(['token', 'discovery', 'fhir']);
    expect(describeServers(changes)).toEqual({
      was: 'https://auth.ehr.example (token endpoint), https://ehr.example (discovery URL and FHIR base URL)',
      now: 'https://evil.example (token endpoint, discovery URL and FHIR base URL)',
    });
  });

  it('compares only the roles given, and never takes an unparseable URL for an origin', () => {
    expect(bindingChanges(saved, { fhir: 'https://evil.example' })).toEqual([{ role: 'fhir', was: 'https://ehr.example', now: 'https://evil.example' }]);
    expect(credentialBindingOf({ discoveryUrl: 'not a url', tokenEndpoint: '', fhirBaseUrl: 'file:///x' })).toEqual({ discovery: 'not a url', token: '', fhir: 'file:///x' });
  });
});
