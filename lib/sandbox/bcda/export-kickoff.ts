import 'server-only';
import type { BcdaAccount } from './credentials';
import { getBaseUrl, type BcdaContext } from './context';
import { resolveResourceTypes, validateBulkHeaders, validateExportQuery, type ApiVersion } from './export-request';
import { operationOutcomeResponse } from './operation-outcome';
import { emptyResponse } from './responses';

const exportGroups = ['all', 'runout'];

/** Which kick-off endpoint was called. */
export interface ExportRoute {
  version: ApiVersion;
  /** Set for `Group/{id}/$export`, absent for `Patient/$export`. */
  groupId?: string;
  /** The decoded sandbox path, e.g. `/api/v2/Patient/$export`. */
  path: string;
}

/**
 * `GET /api/{v}/Patient/$export` and `/api/{v}/Group/{all|runout}/$export` for an authenticated account:
 * validates, creates a job, and answers 202 with `Content-Location` pointing at the job's status URL.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-kick-off-request
 */
export async function handleExportKickoff(
  context: BcdaContext,
  request: Request,
  route: ExportRoute,
  account: BcdaAccount,
): Promise<Response> {
  const now = context.now();
  const url = new URL(request.url);
  const query = validateExportQuery(url.searchParams, now);
  if (query instanceof Response) return query;
  const headerError = validateBulkHeaders(request.headers);
  if (headerError) return headerError;
  if (route.groupId !== undefined && !exportGroups.includes(route.groupId)) return operationOutcomeResponse(400, 'Invalid group ID');
  const resourceTypes = resolveResourceTypes(query.requestedTypes, route.version, account);
  if (resourceTypes instanceof Response) return resourceTypes;

  const base = getBaseUrl(context, request);
  const job = await context.jobs.create({
    acoId: account.acoId,
    enrollees: account.enrollees,
    version: route.version,
    requestUrl: `${base}${route.path}${url.search}`,
    resourceTypes,
    sinceMs: query.sinceMs,
    createdAtMs: now,
    durationMs: context.jobDurationMs(account.enrollees),
  });
  return emptyResponse(202, { 'Content-Location': `${base}/api/${route.version}/jobs/${job.id}` });
}
