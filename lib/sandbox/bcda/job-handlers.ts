import 'server-only';
import type { BcdaAccount } from './credentials';
import { deterministicUuid } from '../shared/hash';
import { getBaseUrl, type BcdaContext } from './context';
import { validateBulkHeaders } from './export-request';
import { formatGoTimeString, formatRfc3339Nano, formatRfc3339Seconds } from './go-format';
import {
  archiveThresholdMs,
  getCompletedAtMs,
  getJobStatus,
  getProgressPercent,
  type ExportJob,
  type JobStatus,
} from './job-store';
import { operationOutcomeResponse } from './operation-outcome';
import { emptyResponse, jsonResponse } from './responses';

/**
 * RequireTokenJobMatch: the job id must be numeric and the job must exist and belong to the token's ACO.
 */
export async function requireOwnedJob(
  context: BcdaContext,
  jobIdText: string,
  account: BcdaAccount,
): Promise<{ job: ExportJob } | { response: Response }> {
  const jobId = /^\d{1,15}$/.test(jobIdText) ? Number(jobIdText) : Number.NaN;
  if (Number.isNaN(jobId)) return { response: operationOutcomeResponse(400, 'could not parse job id') };
  const job = await context.jobs.get(jobId);
  if (!job) return { response: operationOutcomeResponse(404, 'Job not found.') };
  // BCDA answers 401 with no diagnostics when another ACO's token asks for the job.
  if (job.acoId !== account.acoId) return { response: operationOutcomeResponse(401) };
  return { job };
}

function expiresHeader(job: ExportJob): string {
  return formatGoTimeString(getCompletedAtMs(job) + archiveThresholdMs);
}

/** The completed-job manifest, field order and the PascalCase `JobID` as BCDA's `BulkResponseBody` marshals. */
export function createManifest(job: ExportJob, baseUrl: string): Record<string, unknown> {
  return {
    transactionTime: formatRfc3339Nano(job.createdAtMs),
    request: job.requestUrl,
    requiresAccessToken: true,
    output: job.files.map((file) => ({ type: file.type, url: `${baseUrl}/data/${job.id}/${file.name}` })),
    error: [],
    JobID: job.id,
  };
}

/**
 * `GET /api/{v}/jobs/{id}`: 202 with `X-Progress` while running, 200 with the manifest and a Go-format
 * `Expires` when done, 410 once 24 hours have passed, 404 when cancelled.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-status-request
 */
export function handleJobStatus(context: BcdaContext, request: Request, job: ExportJob): Response {
  const now = context.now();
  const status = getJobStatus(job, now);
  switch (status) {
    case 'Pending':
      return emptyResponse(202, { 'X-Progress': 'Pending' });
    case 'In Progress':
      return emptyResponse(202, { 'X-Progress': `In Progress (${getProgressPercent(job, now)}%)` });
    case 'Completed':
      return jsonResponse(createManifest(job, getBaseUrl(context, request)), 200, { Expires: expiresHeader(job) });
    case 'Expired':
      return operationOutcomeResponse(410, '', { Expires: expiresHeader(job) });
    case 'Cancelled':
      return operationOutcomeResponse(404, 'Job has been cancelled.');
  }
}

/** `DELETE /api/{v}/jobs/{id}`: 202 when a running job is cancelled, 410 otherwise. */
export async function handleJobCancel(context: BcdaContext, job: ExportJob): Promise<Response> {
  if (await context.jobs.cancel(job, context.now())) return emptyResponse(202);
  return operationOutcomeResponse(410, 'job was not cancelled because it is not Pending or In Progress');
}

const allJobStatuses = [
  'Pending', 'In Progress', 'Completed', 'Archived', 'Expired', 'Failed', 'FailedExpired', 'Cancelled', 'CancelledExpired',
];

const taskStatusByJobStatus: Record<JobStatus, string> = {
  Pending: 'accepted',
  'In Progress': 'in-progress',
  Completed: 'completed',
  Expired: 'completed',
  Cancelled: 'cancelled',
};

function parseStatusFilter(value: string | null): string[] | Response {
  if (value === null) return allJobStatuses;
  const statuses: string[] = [];
  for (const status of value.split(',')) {
    if (statuses.includes(status)) return operationOutcomeResponse(400, `Repeated status type ${status}`);
    statuses.push(status);
  }
  const unknown = statuses.find((status) => !allJobStatuses.includes(status));
  if (unknown !== undefined) {
    // Go prints the supported set as a map, whose keys fmt sorts.
    const printed = [...allJobStatuses].sort().map((status) => `${status}:{}`).join(' ');
    return operationOutcomeResponse(400, `invalid status type ${unknown}. Supported types map[${printed}]`);
  }
  return statuses;
}

function toTask(job: ExportJob, status: JobStatus, baseUrl: string): Record<string, unknown> {
  const endMs = job.cancelledAtMs ?? (status === 'Completed' || status === 'Expired' ? getCompletedAtMs(job) : job.createdAtMs);
  return {
    resourceType: 'Task',
    // BCDA writes the v2 path here whatever version was called.
    identifier: [{ use: 'official', system: `${baseUrl}/api/v2/jobs`, value: String(job.id) }],
    status: taskStatusByJobStatus[status],
    intent: 'order',
    input: [{ type: { text: 'BULK FHIR Export' }, valueString: `GET ${job.requestUrl}` }],
    executionPeriod: { start: formatRfc3339Seconds(job.createdAtMs), end: formatRfc3339Seconds(endMs) },
  };
}

/** `GET /api/{v}/jobs?_status=…`: the ACO's jobs as a searchset Bundle of Task resources. */
export async function handleJobList(context: BcdaContext, request: Request, account: BcdaAccount): Promise<Response> {
  const headerError = validateBulkHeaders(request.headers);
  if (headerError) return headerError;
  const statuses = parseStatusFilter(new URL(request.url).searchParams.get('_status'));
  if (statuses instanceof Response) return statuses;
  const now = context.now();
  const baseUrl = getBaseUrl(context, request);
  const jobs = (await context.jobs.listForAco(account.acoId))
    .map((job) => ({ job, status: getJobStatus(job, now) }))
    .filter(({ status }) => statuses.includes(status));
  if (jobs.length === 0) {
    const acoUuid = deterministicUuid(account.acoId);
    return operationOutcomeResponse(404, `no Jobs found for acoID ${acoUuid} with job statuses [${statuses.join(' ')}]`);
  }
  return jsonResponse({
    resourceType: 'Bundle',
    type: 'searchset',
    total: jobs.length,
    entry: jobs.map(({ job, status }) => ({ resource: toTask(job, status, baseUrl) })),
  });
}
