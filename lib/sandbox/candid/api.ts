import 'server-only';
import { getBaseUrl, type CandidContext } from './context';
import type { CandidAccount } from './credentials';
import { paginate, readPageQuery } from './paging';
import { entityNotFound, jsonResponse, validationErrors, type RequestValidationError } from './responses';
import { claimStatuses, findEncounter, listEncounters, payers, type ClaimStatus } from './synthetic-data';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isClaimStatus(value: string): value is ClaimStatus {
  return claimStatuses.some((status) => status === value);
}

function invalidUuid(fieldName: string): Response {
  return validationErrors([{ fieldName, humanReadableMessage: `${fieldName} must be a UUID.` }]);
}

/**
 * `GET /api/encounters/v4`: the organisation's encounters, newest first, as an `EncounterPage`. Takes `limit`,
 * `page_token`, `claim_status` and `patient_external_id`; other filters of the real API are ignored.
 */
export function handleEncounterList(context: CandidContext, request: Request, account: CandidAccount): Response {
  const query = new URL(request.url).searchParams;
  const page = readPageQuery(query);
  const errors: RequestValidationError[] = 'errors' in page ? [...page.errors] : [];
  const claimStatus = query.get('claim_status');
  if (claimStatus !== null && !isClaimStatus(claimStatus)) {
    errors.push({ fieldName: 'claim_status', humanReadableMessage: `claim_status must be one of ${claimStatuses.join(', ')}.` });
  }
  if (errors.length > 0 || 'errors' in page) return validationErrors(errors);

  const patientExternalId = query.get('patient_external_id');
  const matching = listEncounters(account, getBaseUrl(context, request)).filter(
    (encounter) =>
      (claimStatus === null || encounter.claims.some((claim) => claim.status === claimStatus)) &&
      (patientExternalId === null || encounter.patient.external_id === patientExternalId),
  );
  return jsonResponse(paginate(matching, page.limit, page.offset));
}

/** `GET /api/encounters/v4/{encounter_id}`: one of the organisation's encounters, or 404 `EntityNotFoundError`. */
export function handleEncounterRead(context: CandidContext, request: Request, account: CandidAccount, encounterId: string): Response {
  if (!uuidPattern.test(encounterId)) return invalidUuid('encounter_id');
  const encounter = findEncounter(account, encounterId.toLowerCase(), getBaseUrl(context, request));
  return encounter ? jsonResponse(encounter) : entityNotFound(encounterId);
}

/** `GET /api/payers/v3`: the payer directory as a `PayerPage`, filtered by `search_term` on name or payer ID. */
export function handlePayerList(request: Request): Response {
  const query = new URL(request.url).searchParams;
  const page = readPageQuery(query);
  if ('errors' in page) return validationErrors(page.errors);
  const term = query.get('search_term')?.trim().toLowerCase() ?? '';
  const matching = term
    ? payers.filter((payer) => payer.payer_name.toLowerCase().includes(term) || payer.payer_id.toLowerCase().includes(term))
    : payers;
  return jsonResponse(paginate(matching, page.limit, page.offset));
}

/** `GET /api/payers/v3/{payer_uuid}`: one payer, or 404 `EntityNotFoundError`. */
export function handlePayerRead(payerUuid: string): Response {
  if (!uuidPattern.test(payerUuid)) return invalidUuid('payer_uuid');
  const payer = payers.find((candidate) => candidate.payer_uuid === payerUuid.toLowerCase());
  return payer ? jsonResponse(payer) : entityNotFound(payerUuid);
}
