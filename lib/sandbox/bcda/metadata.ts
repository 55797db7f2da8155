import 'server-only';
import { formatRfc3339Seconds } from './go-format';

/** The build string the sandbox reports in `/_version`, `/_auth` and the CapabilityStatement. */
export const sandboxVersion = 'builtin-sandbox';

/**
 * BCDA's CapabilityStatement for `/api/{v}/metadata`, as built in `bcda/web/v2` (`r4.CapabilityStatement`), with
 * `date` and `releaseDate` set to now. `baseUrl` is the sandbox root, so the token URI is `{base}/auth/token`. v1
 * serves FHIR STU3 (../shared/PROVIDERS.md), whose CapabilityStatement has the same fields here but for
 * `fhirVersion` and the security-service code system's STU3 URL.
 */
export function createCapabilityStatement(baseUrl: string, nowMs: number, fhir: 'R4' | 'STU3' = 'R4'): Record<string, unknown> {
  const now = formatRfc3339Seconds(nowMs);
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now,
    publisher: 'Centers for Medicare & Medicaid Services',
    kind: 'instance',
    instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
    software: { name: 'Beneficiary Claims Data API', version: sandboxVersion, releaseDate: now },
    implementation: {
      description:
        'The Beneficiary Claims Data API (BCDA) enables Accountable Care Organizations (ACOs) participating in the Shared Savings Program to retrieve Medicare Part A, Part B, and Part D claims data for their prospectively assigned or assignable beneficiaries.',
      url: baseUrl,
    },
    fhirVersion: fhir === 'STU3' ? '3.0.2' : '4.0.1',
    format: ['application/json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [
            {
              coding: [
                {
                  system: fhir === 'STU3' ? 'http://hl7.org/fhir/restful-security-service' : 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'OAuth',
                  display: 'OAuth',
                },
              ],
              text: 'OAuth',
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [{ url: 'token', valueUri: `${baseUrl}/auth/token` }],
            },
          ],
        },
        interaction: [{ code: 'batch' }, { code: 'search-system' }],
        resource: [
          {
            type: 'Patient',
            operation: [{ name: 'patient-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' }],
          },
          {
            type: 'Group',
            operation: [{ name: 'group-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export' }],
          },
        ],
      },
    ],
  };
}
