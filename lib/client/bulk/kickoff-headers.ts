import type { BulkExportCapability } from '@/lib/contract/bulk-export';
import { parseHeaderLines } from '../headers';
import { parseQueryParams, splitRequestPath } from '../query-params';
import { KICKOFF_HEADERS, getBasesFor, type KickoffInput } from './kickoff';

/**
 * A Bulk Data kick-off typed by hand in the request editor: whether it carries the headers the IG requires, the
 * one-click fix, and what the kick-off form should start from.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-kick-off-request
 */

/** `$export` as the last path segment (`/$export`, `Patient/$export`, `Group/[id]/$export`), `%24` spelling too. */
export function isKickoffPath(path: string): boolean {
  const pathname = splitRequestPath(path.trim()).pathname.split('#')[0] ?? '';
  return /\/(\$|%24)export$/i.test(pathname);
}

export interface KickoffHeaderCheck {
  /** What is wrong, as the end of "This request …": `has no Prefer header`, `sends Accept: application/json`. */
  problems: string[];
  /** The editor's header lines with `Prefer: respond-async` and `Accept: application/fhir+json` in place. */
  fixedHeadersText: string;
  /** How many header lines the fix adds or changes (the button says "header" or "headers"). */
  changes: number;
}

/** Whether a `Prefer` value asks for `respond-async` among its preferences (RFC 7240 §2: comma-separated). */
function prefersAsync(value: string): boolean {
  return value.split(',').some((preference) => preference.split(/[;=]/)[0]?.trim().toLowerCase() === 'respond-async');
}

/** Whether an `Accept` value lists `application/fhir+json`, the one format the IG allows for the kick-off. */
function acceptsFhirJson(value: string): boolean {
  return value.split(',').some((range) => range.split(';')[0]?.trim().toLowerCase() === KICKOFF_HEADERS.Accept);
}

/**
 * For a GET or POST to a `$export` path: what its headers lack (Bulk Data IG 2.0: `Prefer: respond-async` and
 * `Accept: application/fhir+json` are required; BCDA answers 400 "Prefer header is required" without them) and the
 * fixed header lines. Null for any other request, or when nothing is missing. An absent Accept is no problem (the
 * console's server sends `application/fhir+json` then) but the fix writes it out, so the editor shows what is sent.
 */
export function checkKickoffHeaders(method: string, path: string, headersText: string): KickoffHeaderCheck | null {
  if ((method !== 'GET' && method !== 'POST') || !isKickoffPath(path)) return null;
  const headers = Object.entries(parseHeaderLines(headersText));
  const prefer = headers.filter(([name]) => name.toLowerCase() === 'prefer').map(([, value]) => value);
  const accept = headers.filter(([name]) => name.toLowerCase() === 'accept').map(([, value]) => value);

  const problems: string[] = [];
  if (prefer.length === 0) problems.push('has no Prefer header');
  else if (!prefer.some(prefersAsync)) problems.push(`sends Prefer: ${prefer.join(', ')}`);
  if (accept.length > 0 && !accept.some(acceptsFhirJson)) problems.push(`sends Accept: ${accept.join(', ')}`);
  if (problems.length === 0) return null;
  return { problems, ...withKickoffHeaders(headersText) };
}

/**
 * Header lines with `Prefer: respond-async` and `Accept: application/fhir+json`: a wrong line is replaced where it
 * stands, a missing one appended, every other line kept as typed.
 */
export function withKickoffHeaders(headersText: string): { fixedHeadersText: string; changes: number } {
  const wanted = { prefer: `Prefer: ${KICKOFF_HEADERS.Prefer}`, accept: `Accept: ${KICKOFF_HEADERS.Accept}` };
  const seen = { prefer: false, accept: false };
  let changes = 0;
  const lines: string[] = [];
  for (const line of headersText.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    if (name !== 'prefer' && name !== 'accept') {
      lines.push(line);
      continue;
    }
    const value = line.slice(colon + 1).trim();
    const fine = name === 'prefer' ? prefersAsync(value) : acceptsFhirJson(value);
    if (seen[name] && !fine) {
      // A second, wrong line of the same header would still be sent: drop it.
      changes += 1;
      continue;
    }
    seen[name] = true;
    if (fine) lines.push(line);
    else {
      lines.push(wanted[name]);
      changes += 1;
    }
  }
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  for (const name of ['accept', 'prefer'] as const) {
    if (seen[name]) continue;
    lines.push(wanted[name]);
    changes += 1;
  }
  return { fixedHeadersText: lines.join('\n'), changes };
}

/** The sentence after "Bulk Data kick-off requires …": `This request has no Prefer header, so the server will refuse it.` */
export function describeKickoffProblems(problems: readonly string[]): string {
  return `This request ${problems.join(' and ')}, so the server will refuse it.`;
}

/**
 * What the kick-off form should start from for a hand-typed `$export` path: its API base, level, Group id and
 * `_type` values, as far as the provider's bulk capability knows them. Null when the path is under none of the
 * environment's bulk bases; only the base when the level is not one the base offers.
 */
export function toKickoffPrefill(path: string, capability: BulkExportCapability, environmentId: string): Partial<KickoffInput> | null {
  const pathname = splitRequestPath(path.trim()).pathname.split('#')[0] ?? '';
  const base = getBasesFor(capability, environmentId)
    .filter((candidate) => pathname.startsWith(`${candidate.path.replace(/\/+$/, '')}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!base) return null;

  const operation = pathname.slice(base.path.replace(/\/+$/, '').length).replace(/%24/gi, '$');
  const group = /^\/Group\/([^/]+)\/\$export$/.exec(operation);
  const level = operation === '/$export' ? 'system' : operation === '/Patient/$export' ? 'patient' : group ? 'group' : null;
  if (level === null || !base.levels.includes(level)) return { baseId: base.id };

  let groupId = '';
  if (group?.[1]) {
    try {
      groupId = decodeURIComponent(group[1]);
    } catch {
      groupId = group[1];
    }
  }
  const types = parseQueryParams(path.trim())
    .filter((param) => param.key === '_type')
    .flatMap((param) => param.value.split(','))
    .map((type) => type.trim())
    .filter((type) => base.resourceTypes.includes(type));
  return { baseId: base.id, level, ...(level === 'group' ? { groupId } : {}), types: [...new Set(types)] };
}
