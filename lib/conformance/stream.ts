import 'server-only';
import { CONFORMANCE_CONTENT_TYPE, type ConformanceEvent } from '@/lib/contract/conformance';
import { log } from '@/lib/log';

/**
 * A run's events as an NDJSON response, one line each as it happens. A failure mid-run ends the stream with an
 * `error` event in words (the status line was sent long before); a client that goes away stops the run.
 */
export function conformanceResponse(events: AsyncGenerator<ConformanceEvent>, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  const line = (event: ConformanceEvent) => encoder.encode(`${JSON.stringify(event)}\n`);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await events.next();
        if (next.done) controller.close();
        else controller.enqueue(line(next.value));
      } catch (error) {
        log.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'conformance run failed');
        controller.enqueue(line({ type: 'error', message: 'The run stopped on an unexpected error; the exchanges so far are in the timeline.' }));
        controller.close();
      }
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  signal.addEventListener('abort', () => void events.return(undefined), { once: true });
  return new Response(body, { headers: { 'Content-Type': `${CONFORMANCE_CONTENT_TYPE}; charset=utf-8`, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } });
}
