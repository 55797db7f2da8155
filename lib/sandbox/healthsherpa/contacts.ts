import 'server-only';
import { apiError, apiJson } from './api-responses';
import { contactSlug, normalizeBirthDate, normalizeMedicareNumber, normalizePhone, parseContactInput, type Contact } from './contact';
import { maxContactsPerAgent } from './contact-store';
import type { HealthSherpaContext } from './context';
import { readBodyText } from './params';

/** `/v2/contacts` handlers. Every one works on the contacts of the agent the token was issued to. */

const defaultPerPage = 25;
const maxPerPage = 100;

function positiveInteger(value: string | null, fallback: number): number | undefined {
  if (value === null || value === '') return fallback;
  return /^\d+$/.test(value) && Number(value) >= 1 ? Number(value) : undefined;
}

function sameText(a: string | null, b: string): boolean {
  return a !== null && a.localeCompare(b, 'en', { sensitivity: 'base' }) === 0;
}

/**
 * `GET /v2/contacts`: the agent's contacts, oldest first, `page` / `per_page` (25, at most 100), filtered by
 * `last_name` (case-insensitive), `medicare_number` or `external_id` when given.
 */
export async function handleListContacts(context: HealthSherpaContext, request: Request, agentId: string): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const page = positiveInteger(query.get('page'), 1);
  const perPage = positiveInteger(query.get('per_page'), defaultPerPage);
  if (page === undefined) return apiError(400, 'bad_request', 'page must be a positive integer');
  if (perPage === undefined || perPage > maxPerPage) {
    return apiError(400, 'bad_request', `per_page must be an integer from 1 to ${maxPerPage}`);
  }
  const lastName = query.get('last_name')?.trim();
  const medicareNumber = query.get('medicare_number');
  const externalId = query.get('external_id');
  const wantedMbi = medicareNumber ? (normalizeMedicareNumber(medicareNumber) ?? medicareNumber.trim().toUpperCase()) : undefined;
  const matches = (await context.contacts.list(agentId))
    .filter((contact) => !lastName || sameText(contact.last_name, lastName))
    .filter((contact) => wantedMbi === undefined || contact.medicare_number === wantedMbi)
    .filter((contact) => !externalId || contact.external_id === externalId);
  const start = (page - 1) * perPage;
  return apiJson({
    data: { contacts: matches.slice(start, start + perPage) },
    meta: { page, per_page: perPage, total_count: matches.length, total_pages: Math.ceil(matches.length / perPage) },
  });
}

const searchRule = 'Search by medicare_number, or by first_name and last_name with one of birth_date, email or phone';

/**
 * `GET /v2/contacts/search`, the documented search: `medicare_number` alone, or `first_name` and `last_name`
 * with one of `birth_date`, `email` or `phone`. Every criterion given must match.
 */
export async function handleSearchContacts(context: HealthSherpaContext, request: Request, agentId: string): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const get = (key: string) => query.get(key)?.trim() || undefined;
  const medicareNumber = get('medicare_number');
  const firstName = get('first_name');
  const lastName = get('last_name');
  const birthDateText = get('birth_date');
  const email = get('email');
  const phoneText = get('phone');

  const birthDate = birthDateText === undefined ? undefined : normalizeBirthDate(birthDateText);
  if (birthDateText !== undefined && birthDate === undefined) {
    return apiError(400, 'bad_request', 'birth_date must be MM/DD/YYYY, MM-DD-YYYY, YYYY-MM-DD or YYYY/MM/DD');
  }
  const phone = phoneText === undefined ? undefined : normalizePhone(phoneText);
  if (phoneText !== undefined && phone === undefined) return apiError(400, 'bad_request', 'phone must be 10 digits');
  const byName = firstName !== undefined && lastName !== undefined && (birthDate ?? email ?? phone) !== undefined;
  if (medicareNumber === undefined && !byName) return apiError(400, 'bad_request', searchRule);

  const wantedMbi = medicareNumber === undefined ? undefined : (normalizeMedicareNumber(medicareNumber) ?? medicareNumber.toUpperCase());
  const contacts = (await context.contacts.list(agentId)).filter(
    (contact) =>
      (wantedMbi === undefined || contact.medicare_number === wantedMbi) &&
      (firstName === undefined || sameText(contact.first_name, firstName)) &&
      (lastName === undefined || sameText(contact.last_name, lastName)) &&
      (birthDate === undefined || contact.birth_date === birthDate) &&
      (email === undefined || sameText(contact.email, email)) &&
      (phone === undefined || contact.phone === phone),
  );
  return apiJson({ data: { contacts } });
}

/** `GET /v2/contacts/{id}`: one of the agent's contacts; another agent's contact is not found. */
export async function handleGetContact(context: HealthSherpaContext, agentId: string, id: string): Promise<Response> {
  const contact = await context.contacts.find(agentId, id);
  return contact ? apiJson({ data: { contact } }) : apiError(404, 'not_found', 'Contact not found');
}

/**
 * `POST /v2/contacts` with `{"contact": {…}}` as JSON: 201 and `{"data":{"contact":{…}}}`. A body that is not
 * JSON (or not sent as JSON) has no `contact` parameter, as Rails reads it.
 */
export async function handleCreateContact(context: HealthSherpaContext, request: Request, agentId: string): Promise<Response> {
  const text = await readBodyText(request);
  if (text === undefined) return apiError(400, 'bad_request', 'The request body is too large');
  let body: unknown;
  if (/^application\/(?:[\w.+-]+\+)?json\b/i.test(request.headers.get('content-type') ?? '') && text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      return apiError(400, 'bad_request', 'The request body is not valid JSON');
    }
  }
  const input = parseContactInput(body);
  if (!input.ok) return apiError(input.status, input.code, input.message);

  const id = crypto.randomUUID();
  const now = new Date(context.now()).toISOString();
  const contact: Contact = {
    id,
    slug: contactSlug(input.value.first_name, input.value.last_name, id),
    ...input.value,
    created_at: now,
    updated_at: now,
  };
  if (!(await context.contacts.add(agentId, contact))) {
    return apiError(422, 'validation_error', `Validation failed: the built-in sandbox keeps at most ${maxContactsPerAgent} contacts per agent`);
  }
  return apiJson({ data: { contact } }, 201);
}
