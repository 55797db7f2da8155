import 'server-only';
import type { LineSource } from './synthetic-data';

/** About 64 KiB per chunk: large enough to amortise encoding, small enough to keep memory flat. */
export const defaultChunkBytes = 64 * 1024;

/**
 * Streams a line source as UTF-8 NDJSON. Lines are produced only when the consumer pulls (one chunk per
 * `pull()`, so backpressure holds generation back), and cancelling stops generation at once.
 */
export function createNdjsonStream(source: LineSource, chunkBytes = defaultChunkBytes): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let batch = '';
        while (cursor < source.count && batch.length < chunkBytes) batch += source.linesAt(cursor++);
        if (batch.length > 0) controller.enqueue(encoder.encode(batch));
        if (cursor >= source.count) controller.close();
      },
      cancel() {
        cursor = source.count;
      },
    },
    { highWaterMark: 1 },
  );
}
