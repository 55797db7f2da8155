import { createNdjsonCounter, type NdjsonTally } from '@/lib/client/bulk/ndjson-tally';
import { ApiClientError } from './api-client-error';
import {
  apiErrorSchema,
  DOWNLOAD_EXCHANGE_HEADER,
  DOWNLOAD_KIND_HEADER,
  fhirDownloadRequestSchema,
  fhirProxyResponseSchema,
  type FhirDownloadRequest,
  type FhirProxyResponse,
} from '@/lib/contract/schemas';

/**
 * Downloads one bulk file through `POST /api/fhir/{providerId}/download`, reading the stream chunk by chunk:
 * bytes and resources are counted as they arrive, the first lines are kept parsed for the preview, and the chunks
 * are kept for Save unless the file is too big to hold in the page.
 */

/** Progress reports at most this often: a fast stream delivers thousands of chunks a second. */
export const PROGRESS_INTERVAL_MS = 100;
/** Files up to this size are kept in the page for Save; bigger ones are counted and previewed only. */
export const MAX_KEPT_BYTES = 256 * 1024 * 1024;

export interface DownloadProgress {
  bytes: number;
  resources: number;
}

export interface DownloadedFile {
  kind: 'file';
  tally: NdjsonTally;
  contentType: string;
  /** Content-Length, when the server sent one. */
  totalBytes: number | null;
  exchangeId: string | null;
  /** The file's bytes for Save, or null when it was bigger than MAX_KEPT_BYTES. */
  blob: Blob | null;
}

/** The provider answered something other than 2xx; the BFF describes it like any proxied response. */
export interface DownloadAnswer {
  kind: 'answer';
  response: FhirProxyResponse;
}

/** The stream broke off after `bytes` (network, upstream idle timeout): what was counted up to then. */
export class DownloadInterruptedError extends Error {
  override readonly name = 'DownloadInterruptedError';
  constructor(
    readonly progress: DownloadProgress,
    readonly reason: string,
  ) {
    super(`Interrupted after ${progress.bytes} bytes: ${reason}`);
  }
}

/** The user cancelled: what was counted up to then. */
export class DownloadAbortedError extends Error {
  override readonly name = 'DownloadAbortedError';
  constructor(readonly progress: DownloadProgress) {
    super(`Cancelled after ${progress.bytes} bytes`);
  }
}

export interface DownloadOptions {
  previewLines: number;
  signal?: AbortSignal;
  /** Once, when the stream starts, with its Content-Length (null when unknown). */
  onStreaming?: (totalBytes: number | null) => void;
  /** Throttled to PROGRESS_INTERVAL_MS. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Injectable for tests. */
  fetchImpl?: typeof fetch;
  now?: () => number;
}

/** SECURITY.md rule 3: the BFF refuses state-changing requests without this header. */
const CSRF_HEADER = { 'x-console-request': '1' } as const;

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return (error instanceof DOMException && error.name === 'AbortError') || signal?.aborted === true;
}

export async function downloadBulkFile(
  providerId: string,
  request: FhirDownloadRequest,
  options: DownloadOptions,
): Promise<DownloadedFile | DownloadAnswer> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const now = options.now ?? Date.now;
  const body = fhirDownloadRequestSchema.safeParse(request);
  if (!body.success) {
    throw new ApiClientError(0, {
      code: 'invalid_request',
      message: 'The download request is incomplete.',
      issues: body.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    });
  }

  let response: Response;
  try {
    response = await fetchImpl(`/api/fhir/${encodeURIComponent(providerId)}/download`, {
      method: 'POST',
      headers: { ...CSRF_HEADER, 'content-type': 'application/json', accept: 'application/fhir+ndjson, application/json' },
      body: JSON.stringify(body.data),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (error) {
    if (isAbort(error, options.signal)) throw new DownloadAbortedError({ bytes: 0, resources: 0 });
    throw new ApiClientError(0, {
      code: 'network_error',
      message: 'Could not reach the console server.',
      hint: 'Check that the console is still running, then try again.',
    });
  }

  if (!response.ok) throw await readApiError(response);
  const kind = response.headers.get(DOWNLOAD_KIND_HEADER);
  if (kind === 'response') {
    const parsed = fhirProxyResponseSchema.safeParse(await readJson(response));
    if (!parsed.success) throw invalidResponse('The console server’s description of the provider’s answer did not match the expected shape.');
    return { kind: 'answer', response: parsed.data };
  }
  if (kind !== 'stream' || !response.body) throw invalidResponse('The console server did not answer with a file stream.');

  const length = response.headers.get('content-length');
  const totalBytes = length && /^\d+$/.test(length) ? Number(length) : null;
  options.onStreaming?.(totalBytes);

  const counter = createNdjsonCounter(options.previewLines);
  const parts: BlobPart[] = [];
  let keeping = totalBytes === null || totalBytes <= MAX_KEPT_BYTES;
  let received = 0;
  let lastReport = 0;
  const reader = response.body.getReader();
  const progress = () => {
    const { bytes, resources } = counter.snapshot();
    return { bytes, resources };
  };

  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch (error) {
      if (isAbort(error, options.signal)) throw new DownloadAbortedError(progress());
      // The browser says only "network error": the connection to the console closed mid-file (its instance may have
      // stopped, or the upstream closed and the console passed that on).
      throw new DownloadInterruptedError(progress(), `the connection closed before the file ended (${error instanceof Error ? error.message : 'the stream failed'}).`);
    }
    if (chunk.done) break;
    counter.push(chunk.value);
    received += chunk.value.byteLength;
    if (keeping) {
      parts.push(chunk.value);
      if (received > MAX_KEPT_BYTES) {
        keeping = false;
        parts.length = 0;
      }
    }
    const time = now();
    if (time - lastReport >= PROGRESS_INTERVAL_MS) {
      lastReport = time;
      options.onProgress?.(progress());
    }
  }

  const tally = counter.finish();
  const contentType = response.headers.get('content-type') ?? 'application/fhir+ndjson';
  return {
    kind: 'file',
    tally,
    contentType,
    totalBytes,
    exchangeId: response.headers.get(DOWNLOAD_EXCHANGE_HEADER),
    blob: keeping ? new Blob(parts, { type: contentType }) : null,
  };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

async function readApiError(response: Response): Promise<ApiClientError> {
  const parsed = apiErrorSchema.safeParse(await readJson(response));
  if (parsed.success) return new ApiClientError(response.status, parsed.data.error);
  return new ApiClientError(response.status, {
    code: 'invalid_response',
    message: `The console server answered ${response.status} ${response.statusText}`.trim() + '.',
    hint: 'The body was not the console’s error shape; see the timeline or the server log.',
  });
}

function invalidResponse(message: string): ApiClientError {
  return new ApiClientError(0, { code: 'invalid_response', message });
}

/**
 * Offers a downloaded file to the user: an object URL on a temporary `<a download>`, revoked a moment after the
 * click.
 */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The click hands the blob to the download manager; a moment later the URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
