import { describe, expect, it } from 'vitest';
import { getDownloadEffect, initialDownloadState, reduceDownload, type FileDownloadState } from '@/lib/client/bulk/download-machine';
import { ApiClientError } from './api-client-error';
import { DownloadAbortedError, DownloadInterruptedError, downloadBulkFile, MAX_KEPT_BYTES, PROGRESS_INTERVAL_MS } from './bulk-download';
import { toDownloadErrorEvent, toDownloadEvent } from './bulk-events';
import { DOWNLOAD_EXCHANGE_HEADER, DOWNLOAD_KIND_HEADER, DOWNLOAD_UPSTREAM_STATUS_HEADER, type FhirProxyResponse } from '@/lib/contract/schemas';

const encoder = new TextEncoder();
const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ resourceType: 'Patient', id: `p${i}` }));
const file = encoder.encode(lines.map((line) => `${line}\n`).join(''));

function streamOf(chunks: Uint8Array[], failAfter?: Error): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else if (failAfter) controller.error(failAfter);
      else controller.close();
    },
  });
}

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.byteLength; i += size) chunks.push(bytes.slice(i, i + size));
  return chunks;
}

function streamResponse(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'application/fhir+ndjson',
      [DOWNLOAD_KIND_HEADER]: 'stream',
      [DOWNLOAD_EXCHANGE_HEADER]: 'ex-1',
      [DOWNLOAD_UPSTREAM_STATUS_HEADER]: '200',
      ...headers,
    },
  });
}

function upstreamAnswer(status: number, json: unknown): Response {
  const described: FhirProxyResponse = {
    status,
    statusText: status === 401 ? 'Unauthorized' : 'Gone',
    headers: [['content-type', 'application/fhir+json']],
    durationMs: 3,
    url: 'http://127.0.0.1/sandbox/bcda/data/1/a.ndjson',
    contentType: 'application/fhir+json',
    bodyKind: 'json',
    json,
    exchangeId: 'ex-2',
    size: 120,
  };
  return Response.json(described, { headers: { [DOWNLOAD_KIND_HEADER]: 'response', [DOWNLOAD_UPSTREAM_STATUS_HEADER]: String(status) } });
}

const request = { environmentId: 'builtin', presetId: 'extra-small', path: '/data/1/a.ndjson' };

describe('downloadBulkFile', () => {
  it('POSTs the path with the CSRF header, counts the stream and keeps the first lines and the bytes', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const result = await downloadBulkFile('bcda', request, {
      previewLines: 20,
      fetchImpl: (url, init) => {
        calls.push({ url: String(url), init });
        return Promise.resolve(streamResponse(streamOf(chunked(file, 37))));
      },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/api/fhir/bcda/download');
    expect(calls[0]?.init?.method).toBe('POST');
    expect(calls[0]?.init?.headers).toMatchObject({ 'x-console-request': '1', 'content-type': 'application/json' });
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual(request);

    expect(result.kind).toBe('file');
    if (result.kind !== 'file') return;
    expect(result.tally.bytes).toBe(file.byteLength);
    expect(result.tally.resources).toBe(25);
    expect(result.tally.preview).toHaveLength(20);
    expect(result.tally.preview[19]).toEqual({ resourceType: 'Patient', id: 'p19' });
    expect(result.totalBytes).toBeNull();
    expect(result.exchangeId).toBe('ex-1');
    expect(new Uint8Array(await result.blob!.arrayBuffer())).toEqual(file);
  });

  it('reports progress at most every PROGRESS_INTERVAL_MS and announces Content-Length', async () => {
    let clock = 0;
    const reports: number[] = [];
    let announced: number | null | undefined;
    await downloadBulkFile('bcda', request, {
      previewLines: 1,
      now: () => (clock += 30),
      onStreaming: (total) => (announced = total),
      onProgress: ({ bytes }) => reports.push(bytes),
      fetchImpl: () => Promise.resolve(streamResponse(streamOf(chunked(file, 10)), { 'content-length': String(file.byteLength) })),
    });
    expect(announced).toBe(file.byteLength);
    const chunks = Math.ceil(file.byteLength / 10);
    // One report per PROGRESS_INTERVAL_MS of fake time, not one per chunk.
    expect(reports.length).toBeLessThanOrEqual(Math.ceil((chunks * 30) / PROGRESS_INTERVAL_MS) + 1);
    expect(reports.length).toBeGreaterThan(1);
    expect(reports).toEqual([...reports].sort((a, b) => a - b));
  });

  it('returns the provider’s non-2xx answer as described by the BFF', async () => {
    const result = await downloadBulkFile('bcda', request, {
      previewLines: 5,
      fetchImpl: () => Promise.resolve(upstreamAnswer(410, { resourceType: 'OperationOutcome', issue: [] })),
    });
    expect(result).toMatchObject({ kind: 'answer', response: { status: 410, exchangeId: 'ex-2' } });
  });

  it('throws the BFF’s own error as an ApiClientError', async () => {
    const error = await downloadBulkFile('bcda', request, {
      previewLines: 5,
      fetchImpl: () =>
        Promise.resolve(Response.json({ error: { code: 'path_not_allowed', message: 'Refused path "/x".' } }, { status: 400 })),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect((error as ApiClientError).code).toBe('path_not_allowed');
  });

  it('refuses an empty path before sending anything', async () => {
    let called = false;
    const error = await downloadBulkFile('bcda', { path: '' }, {
      previewLines: 5,
      fetchImpl: () => {
        called = true;
        return Promise.resolve(new Response());
      },
    }).catch((e: unknown) => e);
    expect(called).toBe(false);
    expect((error as ApiClientError).code).toBe('invalid_request');
  });

  it('detects a stream that breaks off mid-body and says how far it got', async () => {
    const chunks = chunked(file, 100).slice(0, 3);
    const error = await downloadBulkFile('bcda', request, {
      previewLines: 5,
      fetchImpl: () => Promise.resolve(streamResponse(streamOf(chunks, new TypeError('network error')))),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadInterruptedError);
    expect((error as DownloadInterruptedError).progress.bytes).toBe(300);
    expect((error as DownloadInterruptedError).message).toBe('Interrupted after 300 bytes: the connection closed before the file ended (network error).');
  });

  it('stops on abort and reports what it had', async () => {
    const controller = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        sent += 1;
        if (sent === 3) controller.abort();
        c.enqueue(file.slice(0, 50));
      },
    });
    const error = await downloadBulkFile('bcda', request, {
      previewLines: 5,
      signal: controller.signal,
      fetchImpl: (_url, init) => {
        // Like fetch: aborting the signal errors the body stream.
        init?.signal?.addEventListener('abort', () => void body.cancel().catch(() => undefined));
        return Promise.resolve(streamResponse(body.pipeThrough(abortable(init?.signal))));
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadAbortedError);
    expect((error as DownloadAbortedError).progress.bytes).toBeGreaterThan(0);
  });

  it('does not keep a file bigger than MAX_KEPT_BYTES for Save', async () => {
    const result = await downloadBulkFile('bcda', request, {
      previewLines: 1,
      fetchImpl: () => Promise.resolve(streamResponse(streamOf([file]), { 'content-length': String(MAX_KEPT_BYTES + 1) })),
    });
    expect(result.kind === 'file' && result.blob).toBeNull();
  });
});

/** A pass-through that errors with an AbortError when `signal` aborts, as fetch's body does. */
function abortable(signal: AbortSignal | null | undefined): TransformStream<Uint8Array, Uint8Array> {
  let onAbort: (() => void) | undefined;
  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      onAbort = () => controller.error(new DOMException('aborted', 'AbortError'));
      signal?.addEventListener('abort', onAbort);
    },
    transform(chunk, controller) {
      controller.enqueue(chunk);
    },
  });
}

describe('expired token mid-download, end to end through the client and the state machine', () => {
  /**
   * A fake BFF over one BCDA job: its file answers 401 (as the BFF passes it on) while the session's token is
   * expired, and streams once the token is new. The job's files do not depend on the token, only on its ACO.
   */
  function fakeBff() {
    const state = { token: 'token-1', expired: new Set<string>(), calls: [] as string[] };
    const fetchImpl: typeof fetch = () => {
      state.calls.push(state.token);
      if (state.expired.has(state.token)) {
        return Promise.resolve(
          upstreamAnswer(401, {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'exception', diagnostics: 'Expired Token' }],
          }),
        );
      }
      return Promise.resolve(streamResponse(streamOf(chunked(file, 64))));
    };
    const renew = () => {
      state.token = `token-${Number(state.token.slice(6)) + 1}`;
      return Promise.resolve();
    };
    return { state, fetchImpl, renew };
  }

  /** Runs the machine's effects the way useBulkFileDownload does, until it rests. */
  async function run(bff: ReturnType<typeof fakeBff>, renew: () => Promise<void>): Promise<FileDownloadState> {
    let state = reduceDownload(initialDownloadState, { type: 'start', now: 0 });
    for (let step = 0; step < 10; step++) {
      const effect = getDownloadEffect(state);
      if (effect.kind === 'download') {
        try {
          const outcome = await downloadBulkFile('bcda', request, { previewLines: 3, fetchImpl: bff.fetchImpl });
          state = reduceDownload(state, toDownloadEvent(outcome, step));
        } catch (error) {
          state = reduceDownload(state, toDownloadErrorEvent(error, step));
        }
      } else if (effect.kind === 'renew') {
        try {
          await renew();
          state = reduceDownload(state, { type: 'token-renewed', now: step });
        } catch (error) {
          state = reduceDownload(state, { type: 'renew-failed', message: (error as Error).message });
        }
      } else {
        return state;
      }
    }
    throw new Error('the download did not come to rest');
  }

  it('401 on the file after the token expired → renew → the same file downloads with the new token', async () => {
    const bff = fakeBff();
    bff.state.expired.add('token-1');
    const state = await run(bff, bff.renew);
    expect(bff.state.calls).toEqual(['token-1', 'token-2']);
    expect(state).toMatchObject({ phase: 'done', renewed: true, attempt: 2, bytes: file.byteLength, resources: 25 });
  });

  it('stops after one renewal when the new token is refused too', async () => {
    const bff = fakeBff();
    bff.state.expired.add('token-1');
    bff.state.expired.add('token-2');
    const state = await run(bff, bff.renew);
    expect(bff.state.calls).toEqual(['token-1', 'token-2']);
    expect(state).toMatchObject({ phase: 'token-expired', answer: { status: 401 } });
  });

  it('waits for the user when the token cannot be renewed here', async () => {
    const bff = fakeBff();
    bff.state.expired.add('token-1');
    const state = await run(bff, () => Promise.reject(new Error('Authorize again above, then try again.')));
    expect(bff.state.calls).toEqual(['token-1']);
    expect(state).toMatchObject({ phase: 'token-expired', message: 'Authorize again above, then try again.' });
  });
});
