import 'server-only';
import type { ServerUrls } from './context';

/**
 * The CapabilityStatement at `/fhir/metadata`, public, with SMART's `oauth-uris` security extension pointing at
 * this server's endpoints.
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html#declaring-support-for-oauth2-endpoints
 */
export function createCapabilityStatement(urls: Pick<ServerUrls, 'fhirBase' | 'authorize' | 'token' | 'register' | 'introspect'>): Record<string, unknown> {
  const readAndSearch = [{ code: 'read' }, { code: 'search-type' }];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    software: { name: 'Health OAuth Console SMART reference server' },
    implementation: { description: 'Built-in SMART on FHIR sandbox', url: urls.fhirBase },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'application/json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }], text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)' }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: urls.authorize },
                { url: 'token', valueUri: urls.token },
                { url: 'register', valueUri: urls.register },
                { url: 'introspect', valueUri: urls.introspect },
              ],
            },
          ],
        },
        resource: [
          {
            type: 'Patient',
            interaction: readAndSearch,
            searchParam: [
              { name: '_id', type: 'token' },
              { name: 'name', type: 'string' },
            ],
          },
          {
            type: 'Observation',
            interaction: readAndSearch,
            searchParam: [
              { name: 'patient', type: 'reference' },
              { name: 'subject', type: 'reference' },
            ],
          },
        ],
      },
    ],
  };
}
