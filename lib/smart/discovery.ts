import 'server-only';
import { z } from 'zod';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { BOOLEAN_FIELDS, ENDPOINT_FIELDS, LIST_FIELDS, type BooleanField, type DiscoveredServerDto, type DocumentKind, type EndpointField, type ListField } from '@/lib/contract/smart';
import { sendOutbound, type OutboundResult } from '@/lib/http/outbound';
import { checkOutboundUrl, type UrlPolicyOptions } from './url-policy';
import { getHeader } from '@/lib/contract/headers';

/**
 * Discovery for a custom provider (issue #8): read the SMART configuration and the OIDC / OAuth metadata of a
 * server a user typed, record what each document says (and what it lacks), and merge them into one view.
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html (SMART App Launch 2.x, §Using well-known)
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 * @see https://www.rfc-editor.org/rfc/rfc8414 (OAuth 2.0 Authorization Server Metadata)
 */

export type { DocumentKind };

/** One document's fields, each parsed on its own so one bad field does not hide the rest. */
export type ParsedDocument = { issuer?: string } & Partial<Record<EndpointField, string>> & Partial<Record<ListField, string[]>> & Partial<Record<BooleanField, boolean>>;

export interface FieldProblem {
  field: string;
  problem: 'missing' | 'malformed';
  detail: string;
}

const stringField = z.string().min(1).max(2048);
const listField = z.array(z.string().min(1).max(512)).max(500);
/** The document must be a JSON object; its fields are judged one by one below. */
const documentShape = z.record(z.string(), z.unknown());

/** Fields each document SHALL carry (SMART 2.x conformance; OIDC Discovery §3 for those a client uses). */
const REQUIRED: Record<DocumentKind, readonly string[]> = {
  'smart-configuration': ['token_endpoint', 'capabilities', 'code_challenge_methods_supported', 'grant_types_supported'],
  'openid-configuration': ['issuer', 'authorization_endpoint', 'jwks_uri', 'response_types_supported'],
};

/**
 * Parses one discovery document leniently: never throws; fields that are absent or of the wrong shape are listed.
 * `null` when the body is not a JSON object at all.
 */
export function parseDiscoveryDocument(
  kind: DocumentKind,
  body: string,
): { document: ParsedDocument; problems: FieldProblem[] } | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const shape = documentShape.safeParse(json);
  if (!shape.success || Array.isArray(json)) return null;
  const raw = shape.data;
  const document: ParsedDocument = {};
  const problems: FieldProblem[] = [];
  for (const field of ['issuer', ...ENDPOINT_FIELDS] as const) {
    if (raw[field] === undefined) continue;
    const parsed = stringField.safeParse(raw[field]);
    if (parsed.success) document[field] = parsed.data;
    else problems.push({ field, problem: 'malformed', detail: `${field} should be a URL string; got ${describe(raw[field])}.` });
  }
  for (const field of LIST_FIELDS) {
    if (raw[field] === undefined) continue;
    const parsed = listField.safeParse(raw[field]);
    if (parsed.success) document[field] = parsed.data;
    else problems.push({ field, problem: 'malformed', detail: `${field} should be an array of strings; got ${describe(raw[field])}.` });
  }
  for (const field of BOOLEAN_FIELDS) {
    if (raw[field] === undefined) continue;
    if (typeof raw[field] === 'boolean') document[field] = raw[field];
    else problems.push({ field, problem: 'malformed', detail: `${field} should be true or false; got ${describe(raw[field])}.` });
  }
  for (const field of REQUIRED[kind]) {
    if (raw[field] === undefined) problems.push({ field, problem: 'missing', detail: `${kind} has no ${field}.` });
  }
  return { document, problems };
}

export type DocumentStatus = 'ok' | 'not_found' | 'http_error' | 'redirect' | 'not_json' | 'timeout' | 'unreachable' | 'refused';

export interface DocumentReport {
  kind: DocumentKind;
  url: string;
  status: DocumentStatus;
  httpStatus?: number;
  /** A 3xx's Location, shown and never followed (rule 9). */
  location?: string;
  message?: string;
  document?: ParsedDocument;
  problems: FieldProblem[];
  exchange?: ExchangeDto;
}

export type DiscoveryFindingCode =
  | 'document_unavailable'
  | 'document_redirect'
  | 'document_not_json'
  | 'field_missing'
  | 'field_malformed'
  | 'issuer_mismatch'
  | 'documents_disagree'
  | 'endpoint_refused'
  | 'endpoint_other_host'
  | 'no_documents';

export interface DiscoveryFinding {
  severity: 'error' | 'warning' | 'info';
  code: DiscoveryFindingCode;
  message: string;
  field?: string;
  source?: DocumentKind;
}

/** The merged view; snake_case keys as in the metadata documents. */
/** The merged view: one definition, in the contract (the BFF stores it, the page shows it). */
export type DiscoveredServer = DiscoveredServerDto;

export interface Disagreement {
  field: keyof ParsedDocument;
  values: { source: DocumentKind; value: string | string[] | boolean }[];
}

export interface DiscoveryResult {
  ok: boolean;
  /** The base the documents were read under (input without trailing slash). */
  base?: string;
  refused?: { code: string; message: string };
  documents: DocumentReport[];
  server: DiscoveredServer | null;
  disagreements: Disagreement[];
  findings: DiscoveryFinding[];
}

export interface DiscoveryOptions extends UrlPolicyOptions {
  timeoutMs?: number;
  /** For the recorded exchanges (timeline). */
  providerId?: string;
  environmentId?: string;
}

const DEFAULT_DISCOVERY_TIMEOUT_MS = 8_000;
const MAX_DOCUMENT_BYTES = 512 * 1024;

/**
 * Discovers a server from an issuer or FHIR base URL typed by a user. The URL is validated first (rule 9); each
 * document is fetched on that URL's own origin through `sendOutbound` (no redirects, timeout, size cap); the
 * OIDC document is also tried under the SMART `issuer` when it differs (that issuer validated the same way).
 */
export async function discoverServer(input: string, options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const checked = checkOutboundUrl(input.trim(), options);
  if (!checked.ok) {
    return { ok: false, refused: { code: checked.code, message: checked.message }, documents: [], server: null, disagreements: [], findings: [] };
  }
  const base = stripSlash(checked.url.toString());
  const [smart, oidc] = await Promise.all([
    fetchDocument('smart-configuration', `${base}/.well-known/smart-configuration`, options),
    fetchDocument('openid-configuration', `${base}/.well-known/openid-configuration`, options),
  ]);
  const documents = [smart, oidc];
  const findings: DiscoveryFinding[] = [];

  const smartIssuer = smart.document?.issuer;
  if (smartIssuer && stripSlash(smartIssuer) !== base) {
    const issuerCheck = checkOutboundUrl(smartIssuer, options);
    if (issuerCheck.ok) {
      documents.push(
        await fetchDocument('openid-configuration', `${stripSlash(issuerCheck.url.toString())}/.well-known/openid-configuration`, options),
      );
    } else {
      findings.push({
        severity: 'error',
        code: 'endpoint_refused',
        field: 'issuer',
        source: 'smart-configuration',
        message: `The SMART issuer ${smartIssuer} was not contacted: ${issuerCheck.message}`,
      });
    }
  }

  for (const doc of documents) findings.push(...documentFindings(doc));
  const usable = documents.filter((d): d is DocumentReport & { document: ParsedDocument } => d.document !== undefined);
  if (usable.length === 0) {
    findings.push({ severity: 'error', code: 'no_documents', message: `Neither discovery document could be read under ${base}.` });
    return { ok: false, base, documents, server: null, disagreements: [], findings };
  }

  // OpenID Connect Discovery §4.3: the issuer in the document must be the URL it was fetched under (mix-up, rule 6).
  for (const doc of usable) {
    const expected = doc.url.replace(/\/\.well-known\/[^/]+$/, '');
    if (doc.kind === 'openid-configuration' && doc.document.issuer && stripSlash(doc.document.issuer) !== expected) {
      findings.push({
        severity: 'error',
        code: 'issuer_mismatch',
        field: 'issuer',
        source: doc.kind,
        message: `The OpenID configuration at ${doc.url} names issuer ${doc.document.issuer}, not ${expected}. A client must reject it (mix-up defence).`,
      });
    }
  }

  const { server, disagreements } = mergeDocuments(usable);
  for (const d of disagreements) {
    findings.push({
      severity: d.field === 'issuer' || d.field === 'token_endpoint' ? 'error' : 'warning',
      code: 'documents_disagree',
      field: d.field,
      message: `The documents disagree on ${d.field}: ${d.values.map((v) => `${v.source} says ${JSON.stringify(v.value)}`).join('; ')}. The SMART configuration's value is used.`,
    });
  }
  findings.push(...checkEndpoints(server, checked.url, options));
  return { ok: true, base, documents, server, disagreements, findings };
}

/** Merges parsed documents, SMART first; lists compare as sets. Pure. */
export function mergeDocuments(docs: { kind: DocumentKind; document: ParsedDocument }[]): {
  server: DiscoveredServer;
  disagreements: Disagreement[];
} {
  const ordered = [...docs].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'smart-configuration' ? -1 : 1));
  const server: DiscoveredServer = { smart_versions: [], sources: {} };
  const disagreements: Disagreement[] = [];
  const fields = ['issuer', ...ENDPOINT_FIELDS, ...LIST_FIELDS, ...BOOLEAN_FIELDS] as const;
  for (const field of fields) {
    const seen = ordered.flatMap((d) => (d.document[field] === undefined ? [] : [{ source: d.kind, value: d.document[field] }]));
    const first = seen[0];
    if (!first) continue;
    (server as Record<string, unknown>)[field] = first.value;
    server.sources[field] = [...new Set(seen.map((s) => s.source))];
    const distinct = new Set(seen.map((s) => canonical(s.value)));
    if (distinct.size > 1) disagreements.push({ field, values: seen });
  }
  const caps = server.capabilities ?? [];
  if (caps.includes('permission-v1')) server.smart_versions.push('v1');
  if (caps.includes('permission-v2')) server.smart_versions.push('v2');
  return { server, disagreements };
}

/**
 * Endpoints named by the documents are URLs we may call later: each must pass the same policy as the input.
 * A refused endpoint is removed from the merged server so nothing downstream calls it.
 */
function checkEndpoints(server: DiscoveredServer, input: URL, options: UrlPolicyOptions): DiscoveryFinding[] {
  const findings: DiscoveryFinding[] = [];
  for (const field of ENDPOINT_FIELDS) {
    const value = server[field];
    if (value === undefined) continue;
    const checked = checkOutboundUrl(value, { ...options, refuseQuery: false });
    if (!checked.ok) {
      delete server[field];
      findings.push({ severity: 'error', code: 'endpoint_refused', field, message: `${field} ${value} will not be called: ${checked.message}` });
    } else if (checked.url.origin !== input.origin) {
      findings.push({
        severity: 'info',
        code: 'endpoint_other_host',
        field,
        message: `${field} is on ${checked.url.host}, not ${input.host}. Allowed (https, public address); that origin will be added to this provider's allowlist.`,
      });
    }
  }
  return findings;
}

function documentFindings(doc: DocumentReport): DiscoveryFinding[] {
  const out: DiscoveryFinding[] = [];
  const source = doc.kind;
  if (doc.status === 'redirect') {
    out.push({ severity: 'warning', code: 'document_redirect', source, message: `${doc.url} answered ${doc.httpStatus} to ${doc.location ?? '(no Location)'}; redirects are shown, not followed. Enter the final URL if you trust it.` });
  } else if (doc.status === 'not_json') {
    out.push({ severity: 'error', code: 'document_not_json', source, message: `${doc.url} did not return a JSON object.` });
  } else if (doc.status !== 'ok') {
    out.push({ severity: doc.kind === 'smart-configuration' ? 'warning' : 'info', code: 'document_unavailable', source, message: `${doc.url}: ${doc.message ?? doc.status}` });
  }
  for (const p of doc.problems) {
    out.push({
      severity: p.problem === 'malformed' ? 'warning' : 'info',
      code: p.problem === 'malformed' ? 'field_malformed' : 'field_missing',
      field: p.field,
      source,
      message: p.detail,
    });
  }
  return out;
}

async function fetchDocument(kind: DocumentKind, href: string, options: DiscoveryOptions): Promise<DocumentReport> {
  const url = new URL(href);
  let result: OutboundResult;
  try {
    result = await sendOutbound(
      { method: 'GET', url, headers: [['accept', 'application/json']], allowedOrigin: url.origin, timeoutMs: options.timeoutMs ?? DEFAULT_DISCOVERY_TIMEOUT_MS, publicAddressesOnly: !options.allowLoopback },
      { kind: 'text', maxBytes: MAX_DOCUMENT_BYTES },
      { kind: 'other', providerId: options.providerId ?? 'custom', environmentId: options.environmentId ?? 'discovery', secrets: [] },
    );
  } catch (error) {
    return { kind, url: href, status: 'refused', message: error instanceof Error ? error.message : String(error), problems: [] };
  }
  if (!result.ok) {
    return { kind, url: href, status: result.failure.code === 'upstream_timeout' ? 'timeout' : 'unreachable', message: result.failure.message, problems: [], exchange: result.exchange };
  }
  const { response, exchange } = result;
  const base = { kind, url: href, httpStatus: response.status, exchange, problems: [] as FieldProblem[] };
  if (response.status >= 300 && response.status < 400) {
    const location = getHeader(response.headers, 'location');
    return { ...base, status: 'redirect', location, message: `redirect ${response.status}, not followed` };
  }
  if (response.status === 404) return { ...base, status: 'not_found', message: 'not found (404)' };
  if (response.status !== 200) return { ...base, status: 'http_error', message: `HTTP ${response.status}` };
  const parsed = response.truncated ? null : parseDiscoveryDocument(kind, response.text);
  if (!parsed) return { ...base, status: 'not_json', message: response.truncated ? 'larger than the size cap' : 'not a JSON object' };
  return { ...base, status: 'ok', document: parsed.document, problems: parsed.problems };
}

function stripSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

function canonical(v: string | string[] | boolean): string {
  if (typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? JSON.stringify([...new Set(v)].sort()) : stripSlash(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array with non-string items';
  return `a ${typeof v}`;
}
