import 'server-only';
import { goJsonStringify } from './responses';

/**
 * FHIR OperationOutcome bodies in the shape of BCDA's v2 response writer (`bcda/responseutils/v2/writer.go`).
 * @see ../shared/PROVIDERS.md (relative to the repository root) "Error body shape (v2 and v3)"
 */

const issueCodeByStatus: Record<number, string> = {
  400: 'structure',
  401: 'forbidden',
  403: 'forbidden',
  404: 'not-found',
  410: 'not-found',
  500: 'exception',
};

// BCDA hard-codes this constant as the coding code whatever the error is.
const detailsCode = 'Request Error';
const detailsSystem = 'http://hl7.org/fhir/ValueSet/operation-outcome';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: Array<{
    severity: 'error';
    code: string;
    diagnostics?: string;
    details: { coding: Array<{ system: string; code: string; display?: string }>; text?: string };
  }>;
}

/**
 * Builds the OperationOutcome BCDA sends with `status`. Empty diagnostics are left out, as Go's
 * `omitempty` does, so a bare 410 or 401 carries only the coding.
 */
export function createOperationOutcome(status: number, diagnostics = ''): OperationOutcome {
  const coding: { system: string; code: string; display?: string } = { system: detailsSystem, code: detailsCode };
  if (diagnostics) coding.display = diagnostics;
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: issueCodeByStatus[status] ?? 'exception',
        ...(diagnostics ? { diagnostics } : {}),
        details: { coding: [coding], ...(diagnostics ? { text: diagnostics } : {}) },
      },
    ],
  };
}

/** An OperationOutcome response, `Content-Type: application/fhir+json`. */
export function operationOutcomeResponse(status: number, diagnostics = '', headers: HeadersInit = {}): Response {
  const response = new Response(goJsonStringify(createOperationOutcome(status, diagnostics)), { status, headers });
  response.headers.set('Content-Type', 'application/fhir+json');
  return response;
}
