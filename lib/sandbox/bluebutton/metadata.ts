import 'server-only';
/**
 * The FHIR CapabilityStatement at `/v2/fhir/metadata`, as in ../shared/fixtures/bluebutton/fhir_meta_v2.json,
 * with its OAuth URIs pointing at this sandbox. Needs no token.
 */

const startIndexParam = { name: 'startIndex', type: 'string', documentation: 'The offset used for result pagination' };
const lastUpdatedParam = { name: '_lastUpdated', type: 'date', documentation: 'Include resources last updated in the given range' };
const readAndSearch = [{ code: 'read' }, { code: 'search-type' }];

/** The CapabilityStatement for a sandbox at `baseUrl`, dated `nowMs`. */
export function createCapabilityStatement(baseUrl: string, nowMs: number): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date(nowMs).toISOString().slice(0, 19) + '+00:00',
    publisher: 'Centers for Medicare & Medicaid Services',
    kind: 'instance',
    software: { name: 'Blue Button API: Direct', version: '1.0.0-SNAPSHOT' },
    implementation: { description: 'gov.cms.bfd:bfd-server-war', url: `${baseUrl}/v2/fhir` },
    fhirVersion: '4.0.0',
    format: ['application/json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        resource: [
          {
            type: 'Coverage',
            profile: 'http://hl7.org/fhir/StructureDefinition/Coverage',
            interaction: readAndSearch,
            searchParam: [
              { name: 'beneficiary', type: 'reference', documentation: 'The patient identifier to search for' },
              lastUpdatedParam,
              startIndexParam,
            ],
          },
          {
            type: 'ExplanationOfBenefit',
            profile: 'http://hl7.org/fhir/StructureDefinition/ExplanationOfBenefit',
            interaction: readAndSearch,
            searchParam: [
              { name: 'patient', type: 'reference', documentation: 'The patient identifier to search for' },
              lastUpdatedParam,
              { name: 'service-date', type: 'date', documentation: 'Include resources that completed in the given range' },
              startIndexParam,
              { name: 'type', type: 'token', documentation: 'A list of claim types to include' },
            ],
          },
          {
            type: 'Patient',
            profile: 'http://hl7.org/fhir/StructureDefinition/Patient',
            interaction: readAndSearch,
            searchParam: [
              { name: 'identifier', type: 'token', documentation: 'The patient identifier to search for' },
              { name: '_id', type: 'token', documentation: 'The patient identifier to search for' },
              lastUpdatedParam,
              startIndexParam,
            ],
          },
        ],
        security: {
          cors: true,
          service: [
            { text: 'OAuth', coding: [{ system: 'http://hl7.org/fhir/restful-security-service', code: 'OAuth', display: 'OAuth' }] },
            {
              text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
              coding: [{ system: 'http://hl7.org/fhir/restful-security-service', code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' }],
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                // As the real CapabilityStatement names them (../shared/fixtures/bluebutton/fhir_meta_v2.json).
                { url: 'token', valueUri: `${baseUrl}/v2/o/token/` },
                { url: 'authorize', valueUri: `${baseUrl}/v2/o/authorize/` },
              ],
            },
          ],
        },
      },
    ],
  };
}
