import 'server-only';
import { readSimulatedFailures, waitUnlessAborted } from './simulation';

/**
 * Faults of the wire rather than of the protocol, for every endpoint of every built-in sandbox: no answer at all,
 * a JSON body cut short, a body that breaks off mid-stream, a connection dropped before the status line, and a
 * body that trickles. They show that the console never hangs and says what broke. Switched on like the other
 * simulated failures (`X-Console-Simulate`, sent by the BFF to built-in sandboxes only).
 */

/** Longer than every BFF timeout: the BFF gives up first, and this wait ends when it does. */
const NO_ANSWER_MS = 5 * 60_000;
/** How much of a body the faults that need to see it will read. */
const INSPECT_BYTES = 1024 * 1024;
/** `slow_body` spreads a small body over about this long, and sends a large one at this many bytes per tick. */
const SLOW_BODY_TICKS = 30;
const SLOW_BODY_TICK_MS = 200;
const SLOW_BODY_MAX_CHUNK = 64 * 1024;

export async function withTransportFaults(request: Request, handle: () => Promise<Response>): Promise<Response> {
  const failures = readSimulatedFailures(request);
  if (failures.has('no_answer')) {
    await waitUnlessAborted(NO_ANSWER_MS, request.signal);
    return new Response(null, { status: 504 });
  }
  if (failures.has('connection_reset')) return brokenResponse(new Uint8Array(0), 200, new Headers());
  const faults = ['malformed_json', 'truncated_body', 'slow_body'] as const;
  const fault = faults.find((f) => failures.has(f));
  if (!fault) return handle();

  const response = await handle();
  const { head, complete, rest } = await readHead(response);
  if (fault !== 'slow_body') await rest?.cancel();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  switch (fault) {
    case 'malformed_json': {
      // A whole HTTP message whose JSON stops mid-value, as from a proxy that cut it or a buggy serializer.
      const cut = head.slice(0, Math.max(1, Math.floor(head.length * 0.6)));
      return new Response(cut, { status: response.status, statusText: response.statusText, headers });
    }
    case 'truncated_body':
      return brokenResponse(complete ? head.slice(0, Math.floor(head.length / 2)) : head, response.status, headers);
    case 'slow_body':
      return new Response(trickle(head, rest, request.signal), {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
  }
}

/** The first bytes of a body (all of it when short), whether that was all, and a reader for the rest. */
async function readHead(
  response: Response,
): Promise<{ head: Uint8Array; complete: boolean; rest: ReadableStreamDefaultReader<Uint8Array> | null }> {
  if (!response.body) return { head: new Uint8Array(0), complete: true, rest: null };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < INSPECT_BYTES) {
    const { done, value } = await reader.read();
    if (done) return { head: concat(chunks, size), complete: true, rest: null };
    chunks.push(value);
    size += value.byteLength;
  }
  return { head: concat(chunks, size), complete: false, rest: reader };
}

/** Sends `bytes`, then breaks the connection: the client sees the body end without its proper end. */
function brokenResponse(bytes: Uint8Array, status: number, headers: Headers): Response {
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent && bytes.byteLength > 0) {
        sent = true;
        controller.enqueue(bytes);
        return;
      }
      // Mid-body, the drop comes a moment after the bytes, as on a real network, so the client has the status line.
      if (sent) await new Promise((resolve) => setTimeout(resolve, 100));
      controller.error(new Error('simulated connection drop'));
    },
  });
  return new Response(body, { status, headers });
}

/** `head`, then whatever `rest` still has, in small pieces with a pause between them. */
function trickle(head: Uint8Array, rest: ReadableStreamDefaultReader<Uint8Array> | null, signal: AbortSignal): ReadableStream<Uint8Array> {
  const chunk = Math.min(SLOW_BODY_MAX_CHUNK, Math.max(1, Math.ceil(head.byteLength / SLOW_BODY_TICKS)));
  let pending = head;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending.byteLength === 0) {
        const next = await rest?.read();
        if (!next || next.done) return controller.close();
        pending = next.value;
      }
      await waitUnlessAborted(SLOW_BODY_TICK_MS, signal);
      controller.enqueue(pending.slice(0, chunk));
      pending = pending.slice(chunk);
    },
    cancel(reason) {
      return rest?.cancel(reason);
    },
  });
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
