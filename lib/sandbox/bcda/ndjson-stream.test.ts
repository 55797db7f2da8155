import { describe, expect, it } from 'vitest';
import { createNdjsonStream } from './ndjson-stream';
import { createLineSource, type LineSource } from './synthetic-data';

const extraLarge = { acoId: 'SBXBD002', enrollees: 30_000 };

function countingSource(source: LineSource): LineSource & { calls: () => number } {
  let calls = 0;
  return {
    count: source.count,
    linesAt(index) {
      calls += 1;
      return source.linesAt(index);
    },
    calls: () => calls,
  };
}

describe('NDJSON streaming', () => {
  it('generates only what is read: a few chunks of the 30,000 set, then cancel', async () => {
    const source = countingSource(createLineSource(extraLarge, 'ExplanationOfBenefit'));
    const reader = createNdjsonStream(source).getReader();
    for (let i = 0; i < 3; i++) {
      const { value } = await reader.read();
      expect(value?.byteLength).toBeGreaterThan(60 * 1024);
      expect(value?.byteLength).toBeLessThan(128 * 1024);
    }
    const generated = source.calls();
    expect(generated).toBeGreaterThan(0);
    expect(generated).toBeLessThan(200);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(source.calls()).toBe(generated);
  });

  it('drains the whole 30,000-enrollee EOB file without holding it in memory', async () => {
    const reader = createNdjsonStream(createLineSource(extraLarge, 'ExplanationOfBenefit')).getReader();
    const before = process.memoryUsage();
    let bytes = 0;
    let peakGrowth = 0;
    let lines = 0;
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      // Chunks end on line boundaries, so each one parses on its own.
      expect(value[value.byteLength - 1]).toBe(10);
      if (lines < 1000) {
        for (const line of decoder.decode(value).split('\n').slice(0, -1)) {
          JSON.parse(line);
          lines += 1;
        }
      }
      const now = process.memoryUsage();
      peakGrowth = Math.max(peakGrowth, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }
    expect(lines).toBeGreaterThanOrEqual(1000);
    expect(bytes).toBeGreaterThan(100_000_000);
    expect(peakGrowth).toBeLessThan(Math.min(100_000_000, bytes / 3));
  });

  it('streams exactly the lines of the source', async () => {
    const source = createLineSource({ acoId: 'SBXBD001', enrollees: 50 }, 'Patient');
    const text = await new Response(createNdjsonStream(source, 1024)).text();
    let expected = '';
    for (let index = 0; index < source.count; index++) expected += source.linesAt(index);
    expect(text).toBe(expected);
  });
});
