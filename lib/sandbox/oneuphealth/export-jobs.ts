import 'server-only';
import { createNdjsonStream } from '../bcda/ndjson-stream';
import type { SandboxState } from '../shared/state';
import type { KeycloakClient } from './clients';
import type { OneUpContext } from './context';
import { emptyResponse, jsonResponse, operationOutcome } from './responses';
import {
  countResources,
  createLineSource,
  findGroup,
  getGroupMembers,
  isOneUpResourceType,
  oneUpResourceTypes,
  type Dataset,
  type OneUpResourceType,
} from './synthetic-data';

/**
 * Bulk `$export` on the bison FHIR base, per the Bulk Data IG v2 with 1up's documented differences: a
 * date-only `_since` is accepted, and POST or DELETE on the export endpoints (so also cancelling a job) is 403.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html
 */

/** Output files are kept this long after a job completes. */
export const exportRetentionMs = 24 * 60 * 60 * 1000;

/** A bulk export job. Its progress is a function of time: nothing runs in the background. */
export interface ExportJob {
  id: string;
  clientId: string;
  groupId: string;
  /** The kick-off URL as received, reported back as the manifest's `request`. */
  requestUrl: string;
  types: OneUpResourceType[];
  sinceMs?: number;
  createdAtMs: number;
  durationMs: number;
}

/** The sandbox's job table, shared by every instance that shares its state. */
export interface ExportJobStore {
  add(job: ExportJob): Promise<void>;
  get(id: string): Promise<ExportJob | undefined>;
}

/** How long a job's record is kept after it completes: its files' 24 hours, then a day of answering "expired". */
const jobRecordRetentionMs = 2 * exportRetentionMs;

/** Jobs in `state` as `job:<id>`, each kept its duration plus two days (a job is never listed, so needs no index). */
export function createExportJobStore(state: SandboxState): ExportJobStore {
  return {
    add: (job) => state.set(`job:${job.id}`, job, job.durationMs + jobRecordRetentionMs),
    get: (id) => state.get<ExportJob>(`job:${id}`),
  };
}

/** The default export duration: 1.5 s plus 1 s per 20,000 members, at most 6 s. */
export function defaultJobDurationMs(members: number): number {
  return Math.min(6000, 1500 + (members / 20_000) * 1000);
}

const outputFormats = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];
const unsupportedParameters = ['_elements', '_typeFilter', 'patient', 'includeAssociatedData'];
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** `_since` as epoch ms: a FHIR instant (the IG) or a bare date at midnight UTC (1up's documented form). */
export function parseSince(value: string): number | undefined {
  const date = datePattern.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const ms = Date.UTC(year, month - 1, day);
    return new Date(ms).getUTCDate() === day && month >= 1 && month <= 12 ? ms : undefined;
  }
  if (!instantPattern.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function isLenient(request: Request): boolean {
  return /(^|[\s,;])handling=lenient\b/i.test(request.headers.get('prefer') ?? '');
}

/** Which kick-off was called. */
export interface KickoffRoute {
  dataset: Dataset;
  fhirBaseUrl: string;
  /** Set for `Group/{id}/$export`, absent for the system-level (client-id) export. */
  groupId?: string;
}

/**
 * `GET [base]/$export` and `GET [base]/Group/{id}/$export`: validates `_outputFormat`, `_since`, `_type`,
 * starts a job over the client's member group, and answers 202 with `Content-Location`.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-kick-off-request
 */
export async function handleExportKickoff(
  context: OneUpContext,
  request: Request,
  route: KickoffRoute,
  client: KeycloakClient,
): Promise<Response> {
  const url = new URL(request.url);
  const params = url.searchParams;
  const outputFormat = params.get('_outputFormat');
  if (outputFormat !== null && !outputFormats.includes(outputFormat)) {
    return operationOutcome(400, 'not-supported', `_outputFormat "${outputFormat}" is not supported; use application/fhir+ndjson`);
  }
  if (!isLenient(request)) {
    const unsupported = unsupportedParameters.find((name) => params.has(name));
    if (unsupported) return operationOutcome(400, 'not-supported', `The ${unsupported} parameter is not supported`);
  }
  const now = context.now();
  let sinceMs: number | undefined;
  const since = params.get('_since');
  if (since !== null) {
    sinceMs = parseSince(since);
    if (sinceMs === undefined) return operationOutcome(400, 'invalid', `Invalid _since "${since}": use YYYY-MM-DD or a FHIR instant`);
    if (sinceMs > now) return operationOutcome(400, 'invalid', `_since "${since}" is in the future`);
  }
  let types: OneUpResourceType[] = [...oneUpResourceTypes];
  const typeParam = params.getAll('_type').join(',');
  if (typeParam !== '') {
    const requested = [...new Set(typeParam.split(',').map((type) => type.trim()))];
    const unknown = requested.find((type) => !isOneUpResourceType(type));
    if (unknown !== undefined) {
      return operationOutcome(400, 'not-supported', `Resource type "${unknown}" cannot be exported; supported: ${oneUpResourceTypes.join(', ')}`);
    }
    types = requested.filter(isOneUpResourceType);
  }
  if (route.groupId !== undefined && route.groupId !== client.groupId) {
    return operationOutcome(404, 'not-found', `Group/${route.groupId} is not known`);
  }
  const group = findGroup(client.groupId);
  if (!group) return operationOutcome(404, 'not-found', `Group/${client.groupId} is not known`);

  const job: ExportJob = {
    id: crypto.randomUUID(),
    clientId: client.clientId,
    groupId: group.id,
    requestUrl: `${route.fhirBaseUrl}${route.groupId === undefined ? '' : `/Group/${route.groupId}`}/$export${url.search}`,
    types,
    sinceMs,
    createdAtMs: now,
    durationMs: context.jobDurationMs(getGroupMembers(route.dataset, group).length),
  };
  await context.jobs.add(job);
  return emptyResponse(202, { 'Content-Location': `${route.fhirBaseUrl}/$export/${job.id}` });
}

/** The job if it exists and belongs to the token's client; another client's job is as unknown as a missing one. */
export async function findOwnedJob(context: OneUpContext, jobId: string, client: KeycloakClient): Promise<ExportJob | undefined> {
  const job = await context.jobs.get(jobId);
  return job && job.clientId === client.clientId ? job : undefined;
}

function completedAtMs(job: ExportJob): number {
  return job.createdAtMs + job.durationMs;
}

function isExpired(job: ExportJob, nowMs: number): boolean {
  return nowMs > completedAtMs(job) + exportRetentionMs;
}

function fileName(type: OneUpResourceType): string {
  return `${type}.ndjson`;
}

/**
 * `GET [base]/$export/{jobId}`: 202 with `X-Progress` and `Retry-After: 1` while running, then 200 with the
 * manifest (files with a `count`, empty types left out) and an HTTP-date `Expires`; 404 once expired.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-status-request
 */
export function handleExportStatus(context: OneUpContext, job: ExportJob, dataset: Dataset, fhirBaseUrl: string): Response {
  const now = context.now();
  if (isExpired(job, now)) return operationOutcome(404, 'expired', `Export job ${job.id} has expired`);
  if (now < completedAtMs(job)) {
    const percent = Math.max(0, Math.min(99, Math.floor(((now - job.createdAtMs) / job.durationMs) * 100)));
    return emptyResponse(202, { 'X-Progress': `${percent}% complete`, 'Retry-After': '1' });
  }
  const group = findGroup(job.groupId);
  const members = group ? getGroupMembers(dataset, group) : [];
  const output = job.types
    .map((type) => ({ type, url: `${fhirBaseUrl}/$export/${job.id}/${fileName(type)}`, count: countResources(dataset, members, type, job.sinceMs) }))
    .filter((file) => file.count > 0);
  return jsonResponse(
    {
      transactionTime: new Date(job.createdAtMs).toISOString(),
      request: job.requestUrl,
      requiresAccessToken: true,
      output,
      error: [],
    },
    200,
    { Expires: new Date(completedAtMs(job) + exportRetentionMs).toUTCString() },
  );
}

/** `DELETE [base]/$export/{jobId}` (and POST/DELETE on the kick-off): 1up documents 403, so there is no cancel. */
export function exportMethodForbidden(method: string): Response {
  return operationOutcome(403, 'forbidden', `${method} is not allowed on the bulk export endpoints; a started export cannot be cancelled`);
}

/**
 * `GET [base]/$export/{jobId}/{Type}.ndjson`: streams one output file, member by member, never built whole.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#file-request
 */
export function handleExportFile(context: OneUpContext, job: ExportJob, dataset: Dataset, name: string): Response {
  const now = context.now();
  if (isExpired(job, now)) return operationOutcome(404, 'expired', `Export job ${job.id} has expired`);
  const type = now >= completedAtMs(job) ? job.types.find((candidate) => fileName(candidate) === name) : undefined;
  const group = findGroup(job.groupId);
  if (!type || !group) return operationOutcome(404, 'not-found', `File ${name} is not part of export ${job.id}`);
  const source = createLineSource(dataset, getGroupMembers(dataset, group), type, job.sinceMs);
  return new Response(createNdjsonStream(source), { status: 200, headers: { 'Content-Type': 'application/fhir+ndjson' } });
}
