import { describe, expect, it } from 'vitest';
import { createNdjsonCounter, isInvalidLine, MAX_PREVIEW_LINE_BYTES } from './ndjson-tally';

const encoder = new TextEncoder();

function resource(i: number): string {
  return JSON.stringify({ resourceType: 'Patient', id: `p-${i}`, name: [{ text: `Zoë Ångström ${i}` }] });
}

function fileOf(count: number): Uint8Array {
  return encoder.encode(Array.from({ length: count }, (_, i) => `${resource(i)}\n`).join(''));
}

/** Cuts `bytes` into chunks of the given sizes (the last one takes the rest). */
function split(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    chunks.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  if (offset < bytes.byteLength) chunks.push(bytes.slice(offset));
  return chunks;
}

function tally(chunks: Uint8Array[], previewLines = 3) {
  const counter = createNdjsonCounter(previewLines);
  for (const chunk of chunks) counter.push(chunk);
  return counter.finish();
}

describe('createNdjsonCounter', () => {
  it('counts bytes and lines of a file in one chunk and keeps the first lines parsed', () => {
    const file = fileOf(10);
    const result = tally([file]);
    expect(result.bytes).toBe(file.byteLength);
    expect(result.resources).toBe(10);
    expect(result.preview).toEqual([0, 1, 2].map((i) => JSON.parse(resource(i)) as unknown));
    expect(result.invalidPreviewLines).toBe(0);
  });

  it('gives the same answer for every way of cutting the stream, including inside a line and inside a character', () => {
    const file = fileOf(7);
    const whole = tally([file]);
    // Every single cut point, then one byte at a time.
    for (let cut = 1; cut < file.byteLength; cut++) {
      expect(tally(split(file, [cut]))).toEqual(whole);
    }
    expect(tally(split(file, Array.from({ length: file.byteLength }, () => 1)))).toEqual(whole);
    // A cut between the two bytes of "ë" must not corrupt the preview.
    const index = file.indexOf(0xc3);
    expect(tally(split(file, [index + 1])).preview[0]).toEqual(JSON.parse(resource(0)));
  });

  it('counts a last line without a newline, and ignores blank lines and CRLF', () => {
    const text = `${resource(0)}\r\n\n   \n${resource(1)}\n${resource(2)}`;
    const result = tally(split(encoder.encode(text), [5, 40, 3]));
    expect(result.resources).toBe(3);
    expect(result.preview).toHaveLength(3);
  });

  it('snapshot leaves the partial last line out until finish', () => {
    const counter = createNdjsonCounter(5);
    counter.push(encoder.encode(`${resource(0)}\n${resource(1).slice(0, 10)}`));
    expect(counter.snapshot().resources).toBe(1);
    counter.push(encoder.encode(resource(1).slice(10)));
    expect(counter.finish().resources).toBe(2);
  });

  it('shows a line that is not JSON as invalid instead of dropping it, and still counts it', () => {
    const result = tally([encoder.encode(`${resource(0)}\n{not json\n${resource(1)}\n`)]);
    expect(result.resources).toBe(3);
    expect(isInvalidLine(result.preview[1])).toBe(true);
    expect(result.invalidPreviewLines).toBe(1);
  });

  it('stops keeping lines after the preview but goes on counting', () => {
    const result = tally([fileOf(1000)], 2);
    expect(result.resources).toBe(1000);
    expect(result.preview).toHaveLength(2);
  });

  it('cuts a preview line that is too long instead of holding it', () => {
    const long = `{"resourceType":"Binary","data":"${'a'.repeat(MAX_PREVIEW_LINE_BYTES)}"}\n`;
    const result = tally(split(encoder.encode(long), [1000, 500_000]));
    expect(result.resources).toBe(1);
    expect(isInvalidLine(result.preview[0])).toBe(true);
  });

  it('handles an empty stream', () => {
    expect(tally([])).toEqual({ bytes: 0, resources: 0, preview: [], invalidPreviewLines: 0 });
  });
});
