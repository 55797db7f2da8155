import 'server-only';
import type { BcdaAccount } from './credentials';
import { parseRfc3339 } from './go-format';
import { operationOutcomeResponse } from './operation-outcome';
import type { BcdaResourceType } from './synthetic-data';

/**
 * Validation of a bulk `$export` kick-off, in the order and with the diagnostics of BCDA's middleware
 * (`bcda/web/middleware/validation.go`: ValidateRequestURL, then ValidateRequestHeaders) and handler
 * (`bcda/api/requests.go`: group id, then resource types). Only the first value of a repeated parameter counts,
 * as with Go's `r.URL.Query()[name][0]`.
 */

/** API versions the sandbox serves. v1 (STU3) is not emulated. */
export const supportedApiVersions = ['v1', 'v2', 'v3'] as const;
export type ApiVersion = (typeof supportedApiVersions)[number];

/** v1 is BCDA's FHIR STU3 API; v2 and v3 serve R4 (../shared/PROVIDERS.md, "Hosts and versions"). */
export function fhirVersionOf(version: ApiVersion): 'R4' | 'STU3' {
  return version === 'v1' ? 'STU3' : 'R4';
}

// Fixed orders: Go prints these from maps, so the real order varies between runs.
const outputFormats = ['ndjson', 'application/fhir+ndjson', 'application/ndjson'];
const resourceTypesByVersion: Record<ApiVersion, readonly BcdaResourceType[]> = {
  v1: ['Patient', 'Coverage', 'ExplanationOfBenefit', 'Observation'],
  v2: ['Patient', 'Coverage', 'ExplanationOfBenefit', 'Claim', 'ClaimResponse'],
  v3: ['Patient', 'Coverage', 'ExplanationOfBenefit'],
};
const partiallyAdjudicatedTypes: readonly string[] = ['Claim', 'ClaimResponse'];

/** The query parameters of a kick-off that passed URL validation. */
export interface ExportQuery {
  /** `_type` as given (split on commas, no duplicates); undefined when absent. */
  requestedTypes?: string[];
  sinceMs?: number;
}

function invalid(diagnostics: string): Response {
  return operationOutcomeResponse(400, diagnostics);
}

function validateSince(value: string | null, nowMs: number): number | Response | undefined {
  if (value === null) return undefined;
  const sinceMs = parseRfc3339(value);
  if (sinceMs === undefined) return invalid('Invalid date format supplied in _since parameter.  Date must be in FHIR Instant format.');
  if (sinceMs > nowMs) return invalid('Invalid date format supplied in _since parameter. Date must be a date that has already passed');
  return sinceMs;
}

function validateTypes(value: string | null): string[] | Response | undefined {
  if (value === null) return undefined;
  const types = value.split(',');
  const seen = new Set<string>();
  for (const type of types) {
    if (seen.has(type)) return invalid(`Repeated resource type ${type}`);
    seen.add(type);
  }
  return types;
}

/** ValidateRequestURL: `_outputFormat`, `_elements`, `?`-prefixed keys, `_since`, `_type`. */
export function validateExportQuery(params: URLSearchParams, nowMs: number): ExportQuery | Response {
  const outputFormat = params.get('_outputFormat');
  if (outputFormat !== null && !outputFormats.includes(outputFormat)) {
    return invalid(`_outputFormat parameter must be one of [${outputFormats.join(' ')}]`);
  }
  if (params.has('_elements')) return invalid('Invalid parameter: this server does not support the _elements parameter.');
  for (const name of params.keys()) {
    if (name.startsWith('?')) return invalid('Invalid parameter: query parameters cannot start with ?');
  }
  const sinceMs = validateSince(params.get('_since'), nowMs);
  if (sinceMs instanceof Response) return sinceMs;
  const requestedTypes = validateTypes(params.get('_type'));
  if (requestedTypes instanceof Response) return requestedTypes;
  return { requestedTypes, sinceMs };
}

/** ValidateRequestHeaders: `Accept: application/fhir+json` and `Prefer: respond-async`, both exact. */
export function validateBulkHeaders(headers: Headers): Response | undefined {
  const accept = headers.get('accept');
  if (!accept) return invalid('Accept header is required');
  if (accept !== 'application/fhir+json') return invalid('application/fhir+json is the only supported response format');
  const prefer = headers.get('prefer');
  if (!prefer) return invalid('Prefer header is required');
  if (prefer !== 'respond-async') return invalid('Only asynchronous responses are supported');
  return undefined;
}

/** The resource types exported when `_type` is absent (`getResourceTypes`). */
export function getDefaultResourceTypes(version: ApiVersion, account: BcdaAccount): BcdaResourceType[] {
  const types: BcdaResourceType[] = ['Patient', 'ExplanationOfBenefit', 'Coverage'];
  if (account.partiallyAdjudicated && version === 'v2') types.push('Claim', 'ClaimResponse');
  return types;
}

/**
 * `validateResources`: each type must be supported by the API version, and Claim/ClaimResponse need a
 * partially adjudicated (REACH) model entity.
 */
export function resolveResourceTypes(
  requested: string[] | undefined,
  version: ApiVersion,
  account: BcdaAccount,
): BcdaResourceType[] | Response {
  if (!requested) return getDefaultResourceTypes(version, account);
  const supported = resourceTypesByVersion[version];
  const resolved: BcdaResourceType[] = [];
  for (const type of requested) {
    const known = supported.find((candidate) => candidate === type);
    if (!known) return invalid(`invalid resource type ${type}. Supported types [${supported.join(' ')}]`);
    if (partiallyAdjudicatedTypes.includes(known) && !account.partiallyAdjudicated) {
      return invalid(`unauthorized resource type ${type}`);
    }
    resolved.push(known);
  }
  return resolved;
}
