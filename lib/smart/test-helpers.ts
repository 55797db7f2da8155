import type { CustomProviderRecord } from './custom-provider';

/** Shared fixtures for the SMART unit tests (not a test file itself). */

/**
 * A saved custom provider: a payer's FHIR server at fhir.payer.example whose authorization server is on
 * auth.payer.example, with a client id and secret. Each test gives the grant and the discovered server it needs.
 */
export function customProviderRecord(
  fields: Pick<CustomProviderRecord, 'config' | 'server'> & Partial<CustomProviderRecord>,
): CustomProviderRecord {
  return {
    id: 'custom-abcdefghij',
    name: 'Payer sandbox',
    discoveryUrl: 'https://fhir.payer.example/r4',
    fhirBaseUrl: 'https://fhir.payer.example/r4',
    environmentKind: 'sandbox',
    clientId: 'app-1',
    clientSecret: 's3cr3t-value',
    findings: [],
    createdAt: '2026-11-23T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
    ...fields,
  };
}
