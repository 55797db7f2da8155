/**
 * Counts an NDJSON stream as its chunks arrive: bytes, resources (non-blank lines) and the first lines parsed for
 * a preview. Works on bytes, so a line (or a multi-byte character) split across chunks counts once; only preview
 * lines are ever decoded, so the cost per chunk stays a scan for newlines.
 * @see https://github.com/ndjson/ndjson-spec
 */

/** A preview line that is not JSON is shown as this, not dropped. */
export interface InvalidNdjsonLine {
  invalidLine: string;
}

export interface NdjsonTally {
  bytes: number;
  /** Non-blank lines: one FHIR resource each in a Bulk Data file. */
  resources: number;
  /** The first lines, parsed. */
  preview: unknown[];
  /** How many preview lines were not JSON. */
  invalidPreviewLines: number;
}

export interface NdjsonCounter {
  push(chunk: Uint8Array): void;
  /** Counts a last line without a trailing newline. Call once, at the end of the stream. */
  finish(): NdjsonTally;
  /** The counts so far (a last partial line not yet included). */
  snapshot(): NdjsonTally;
}

const NEWLINE = 0x0a;
/** A preview line longer than this is cut, so one giant line cannot fill the page's memory. */
export const MAX_PREVIEW_LINE_BYTES = 1_000_000;
const SHOWN_INVALID_CHARS = 500;

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d;
}

function hasContent(chunk: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isBlank(chunk[i] ?? NEWLINE)) return true;
  return false;
}

export function parseNdjsonLine(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { invalidLine: text.slice(0, SHOWN_INVALID_CHARS) } satisfies InvalidNdjsonLine;
  }
}

/** A counter that keeps the first `previewLines` lines parsed. */
export function createNdjsonCounter(previewLines: number): NdjsonCounter {
  let bytes = 0;
  let resources = 0;
  let invalidPreviewLines = 0;
  const preview: unknown[] = [];
  let lineHasContent = false;
  // Bytes of the current line while it may still become a preview line.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let pendingCut = false;
  const decoder = new TextDecoder('utf-8');

  const collecting = () => preview.length < previewLines;

  const keep = (chunk: Uint8Array, start: number, end: number) => {
    if (!collecting() || start >= end || pendingCut) return;
    const room = MAX_PREVIEW_LINE_BYTES - pendingBytes;
    const take = Math.min(room, end - start);
    // slice (a copy), not subarray: the stream may reuse the chunk's buffer.
    pending.push(chunk.slice(start, start + take));
    pendingBytes += take;
    if (take < end - start) pendingCut = true;
  };

  const endLine = () => {
    if (lineHasContent) {
      resources += 1;
      if (collecting()) {
        const text = decoder.decode(concat(pending, pendingBytes));
        const parsed = pendingCut
          ? ({ invalidLine: `${text.slice(0, SHOWN_INVALID_CHARS)}… (line longer than ${MAX_PREVIEW_LINE_BYTES} bytes)` } satisfies InvalidNdjsonLine)
          : parseNdjsonLine(text);
        if (isInvalidLine(parsed)) invalidPreviewLines += 1;
        preview.push(parsed);
      }
    }
    lineHasContent = false;
    pending = [];
    pendingBytes = 0;
    pendingCut = false;
  };

  const snapshot = (): NdjsonTally => ({ bytes, resources, preview: [...preview], invalidPreviewLines });

  return {
    push(chunk) {
      bytes += chunk.byteLength;
      let start = 0;
      for (;;) {
        const newline = chunk.indexOf(NEWLINE, start);
        const end = newline === -1 ? chunk.byteLength : newline;
        if (!lineHasContent) lineHasContent = hasContent(chunk, start, end);
        keep(chunk, start, end);
        if (newline === -1) break;
        endLine();
        start = newline + 1;
      }
    },
    finish() {
      endLine();
      return snapshot();
    },
    snapshot,
  };
}

export function isInvalidLine(value: unknown): value is InvalidNdjsonLine {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Partial<InvalidNdjsonLine>).invalidLine === 'string'
  );
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
