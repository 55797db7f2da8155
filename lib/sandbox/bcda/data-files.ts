import 'server-only';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createGzip } from 'node:zlib';
import { acceptsGzip } from '@/lib/contract/headers';
import type { BcdaAccount } from './credentials';
import type { BcdaContext } from './context';
import { fhirVersionOf } from './export-request';
import { getJobStatus } from './job-store';
import { requireOwnedJob } from './job-handlers';
import { createNdjsonStream } from './ndjson-stream';
import { operationOutcomeResponse } from './operation-outcome';
import { goTextError } from './responses';
import { createLineSource } from './synthetic-data';

/** Gzip as the file streams, at zlib's default level, as Go's `gzip.NewWriter` (BCDA's) compresses. */
function gzipped(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
  const gzip = createGzip();
  source.once('error', (error) => gzip.destroy(error));
  return Readable.toWeb(source.pipe(gzip)) as ReadableStream<Uint8Array>;
}

/**
 * `GET /data/{jobId}/{fileName}`: streams one output file of a completed job owned by the token's ACO, gzip-encoded
 * when the request accepts it, as BCDA does (../shared/PROVIDERS.md). Unknown or not-yet-written files are
 * `http.Error` 404s; files of a job past its 24 hours are 410.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#file-request
 */
export async function handleDataFile(
  context: BcdaContext,
  request: Request,
  jobIdText: string,
  fileName: string,
  account: BcdaAccount,
): Promise<Response> {
  const owned = await requireOwnedJob(context, jobIdText, account);
  if ('response' in owned) return owned.response;
  const { job } = owned;
  const status = getJobStatus(job, context.now());
  if (status === 'Expired') return operationOutcomeResponse(410);
  const file = status === 'Completed' ? job.files.find((candidate) => candidate.name === fileName) : undefined;
  if (!file) return goTextError(404);
  const source = createLineSource({ acoId: job.acoId, enrollees: job.enrollees }, file.type, job.sinceMs, fhirVersionOf(job.version));
  const body = createNdjsonStream(source);
  if (!acceptsGzip(request.headers.get('accept-encoding'))) {
    return new Response(body, { status: 200, headers: { 'Content-Type': 'application/fhir+ndjson' } });
  }
  return new Response(gzipped(body), {
    status: 200,
    headers: { 'Content-Type': 'application/fhir+ndjson', 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' },
  });
}
