import 'server-only';
import { createSearchsetBundle, readPage } from './bundle';
import { canRead, type FhirResourceType } from './scopes';
import { drfJson, drfNotFound, fhirJson, permissionDenied } from './responses';
import type { AccessTokenRecord } from './store';
import { claimTypes, findExplanationOfBenefit, listExplanationsOfBenefit, type ClaimType } from './synthetic-claims';
import { coverageId, coverageParts, createCoverage, createPatient } from './synthetic-patient';
import type { SyntheticUser } from './users';

/**
 * The beneficiary's FHIR resources: search and read of Patient, Coverage and ExplanationOfBenefit. Searches
 * are always scoped to the token's patient, whatever `_id`, `beneficiary` or `patient` say, as at Blue Button.
 */

export interface FhirRequest {
  /** `https://…/v2/fhir` on this sandbox. */
  fhirBaseUrl: string;
  params: URLSearchParams;
  nowMs: number;
  token: AccessTokenRecord;
  user: SyntheticUser;
}

const resourceTypes: readonly FhirResourceType[] = ['Patient', 'Coverage', 'ExplanationOfBenefit'];

function isResourceType(value: string): value is FhirResourceType {
  return resourceTypes.some((type) => type === value);
}

/** What BFD answers for an id its resource type cannot parse (../shared/fixtures/bluebutton/resource_error_response.json). */
function unsupportedId(id: string): Response {
  return fhirJson(
    {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'processing',
          diagnostics: `Failed to call access method: java.lang.IllegalArgumentException: Unsupported ID pattern: ${id}`,
        },
      ],
    },
    400,
  );
}

function search(request: FhirRequest, type: FhirResourceType, resources: readonly unknown[], searchParams: Array<[string, string]>): Response {
  return fhirJson(
    createSearchsetBundle({
      searchUrl: `${request.fhirBaseUrl}/${type}`,
      searchParams,
      resources,
      page: readPage(request.params),
      nowMs: request.nowMs,
    }),
  );
}

/** `type=carrier,pde` or `type=https://bluebutton.cms.gov/resources/codesystem/eob-type|carrier`. */
function readClaimTypes(value: string | null): Set<ClaimType> | undefined {
  if (value === null) return undefined;
  const wanted = value.split(',').map((token) => (token.split('|').pop() ?? '').trim().toLowerCase());
  return new Set(claimTypes.filter((type) => wanted.includes(type)));
}

function handlePatient(request: FhirRequest, id: string | undefined): Response {
  const { user } = request;
  if (id === undefined) return search(request, 'Patient', [createPatient(user)], [['_id', user.patientId]]);
  if (!/^-?\d+$/.test(id)) return unsupportedId(id);
  return id === user.patientId ? fhirJson(createPatient(user)) : drfNotFound();
}

function handleCoverage(request: FhirRequest, id: string | undefined): Response {
  const { user } = request;
  if (id === undefined) {
    return search(request, 'Coverage', coverageParts.map((part) => createCoverage(user, part)), [['beneficiary', `Patient/${user.patientId}`]]);
  }
  if (!/^part-[a-d]--?\d+$/.test(id)) return unsupportedId(id);
  const part = coverageParts.find((candidate) => coverageId(candidate, user.patientId) === id);
  return part ? fhirJson(createCoverage(user, part)) : drfNotFound();
}

function handleExplanationOfBenefit(request: FhirRequest, id: string | undefined): Response {
  const { user } = request;
  if (id === undefined) {
    const typeParam = request.params.get('type');
    const searchParams: Array<[string, string]> = [['patient', user.patientId]];
    if (typeParam !== null) searchParams.push(['type', typeParam]);
    return search(request, 'ExplanationOfBenefit', listExplanationsOfBenefit(user, readClaimTypes(typeParam)), searchParams);
  }
  if (!/^(carrier|dme|hha|hospice|inpatient|outpatient|pde|snf)--?\d+$/.test(id)) return unsupportedId(id);
  const resource = findExplanationOfBenefit(user, id);
  return resource ? fhirJson(resource) : drfNotFound();
}

/** Answers `GET /v2/fhir/{type}[/{id}]` for an authenticated request; 403 without the type's scope. */
export function handleFhirResource(request: FhirRequest, type: string, id: string | undefined): Response {
  if (!isResourceType(type)) return drfJson({ detail: `The requested resource type, ${type}, is not supported` }, 404);
  if (!canRead(request.token.scopes, type)) return permissionDenied();
  switch (type) {
    case 'Patient':
      return handlePatient(request, id);
    case 'Coverage':
      return handleCoverage(request, id);
    case 'ExplanationOfBenefit':
      return handleExplanationOfBenefit(request, id);
  }
}
