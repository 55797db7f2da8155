import type { BcdaAccount } from './credentials';
import type { BcdaContext } from './context';
import { getJobStatus } from './job-store';
import { requireOwnedJob } from './job-handlers';
import { createNdjsonStream } from './ndjson-stream';
import { operationOutcomeResponse } from './operation-outcome';
import { goTextError } from './responses';
import { createLineSource } from './synthetic-data';

/**
 * `GET /data/{jobId}/{fileName}`: streams one output file of a completed job owned by the token's ACO.
 * Unknown or not-yet-written files are `http.Error` 404s; files of a job past its 24 hours are 410.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#file-request
 */
export function handleDataFile(context: BcdaContext, jobIdText: string, fileName: string, account: BcdaAccount): Response {
  const owned = requireOwnedJob(context, jobIdText, account);
  if ('response' in owned) return owned.response;
  const { job } = owned;
  const status = getJobStatus(job, context.now());
  if (status === 'Expired') return operationOutcomeResponse(410);
  const file = status === 'Completed' ? job.files.find((candidate) => candidate.name === fileName) : undefined;
  if (!file) return goTextError(404);
  const source = createLineSource({ acoId: job.acoId, enrollees: job.enrollees }, file.type, job.sinceMs);
  return new Response(createNdjsonStream(source), { status: 200, headers: { 'Content-Type': 'application/fhir+ndjson' } });
}
