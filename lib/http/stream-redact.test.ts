import { describe, expect, it } from 'vitest';
import { StreamRedactor } from './stream-redact';

const JWT = 'eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJzdHJlYW0tdGVzdCJ9.c2lnbmF0dXJlLW9mLXRoZS1zdHJlYW0tdGVzdA';
const OPAQUE = 'opaque~token(42)*value';

/** The forms of a token the page must never receive from a download. */
function forms(token: string): string[] {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return [
    token,
    encodeURIComponent(token),
    new URLSearchParams([['', token]]).toString().slice(1),
    b64(token),
    b64(`Bearer ${token}`),
    b64(`x:${token}`),
    Buffer.from(token).toString('base64url'),
  ];
}

/** A body that carries the token in every form, with NDJSON around it. */
function echoBody(token: string): Buffer {
  const lines = forms(token).map((form, i) => `{"resourceType":"Patient","id":"p${i}","note":"${form}"}\n`);
  return Buffer.from(`{"resourceType":"Patient","id":"first"}\nAuthorization: Bearer ${token}\n${lines.join('')}{"last":true}\n`);
}

function run(redactor: StreamRedactor, chunks: Buffer[]): Buffer {
  const out: Buffer[] = [];
  for (const chunk of chunks) {
    const passed = redactor.push(Buffer.from(chunk));
    if (passed) out.push(passed);
  }
  const rest = redactor.end();
  if (rest) out.push(rest);
  return Buffer.concat(out);
}

function expectNoToken(text: string, token: string, label: string): void {
  for (const form of forms(token)) expect(text.includes(form), `${label}: ${form.slice(0, 12)}…`).toBe(false);
  // Not even the base64 run that depends on the token alone, at any alignment.
  const raw = Buffer.from(token);
  for (const skip of [0, 1, 2]) {
    const core = raw.subarray(skip, skip + Math.floor((raw.length - skip) / 3) * 3).toString('base64');
    expect(text.includes(core), `${label}: base64 core ${skip}`).toBe(false);
  }
}

describe('StreamRedactor', () => {
  it('SECURITY 15: a token split across two chunks at every offset never passes, in any form', () => {
    for (const token of [JWT, OPAQUE]) {
      const body = echoBody(token);
      for (let cut = 0; cut <= body.length; cut++) {
        const out = run(new StreamRedactor([token]), [body.subarray(0, cut), body.subarray(cut)]);
        expect(out.length, `cut ${cut}`).toBe(body.length);
        expectNoToken(out.toString('latin1'), token, `cut ${cut}`);
      }
    }
  });

  it('SECURITY 15: three-way splits and chunks of every small size, down to one byte', () => {
    const body = echoBody(JWT);
    for (let a = 0; a < 200; a += 7) {
      for (let b = a; b < body.length; b += 97) {
        const out = run(new StreamRedactor([JWT]), [body.subarray(0, a), body.subarray(a, b), body.subarray(b)]);
        expectNoToken(out.toString('latin1'), JWT, `cuts ${a}/${b}`);
      }
    }
    for (let size = 1; size <= 130; size++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
      const out = run(new StreamRedactor([JWT]), chunks);
      expect(out.length).toBe(body.length);
      expectNoToken(out.toString('latin1'), JWT, `size ${size}`);
    }
  });

  it('keeps every other byte, in order, and overwrites a token with a mark of its own length', () => {
    const body = Buffer.from(`before ${JWT} after\n`);
    const out = run(new StreamRedactor([JWT]), [body.subarray(0, 20), body.subarray(20)]).toString();
    expect(out).toBe(`before [redacted${'*'.repeat(JWT.length - 10)}] after\n`);
  });

  it('passes chunks through untouched when there is no secret', () => {
    const redactor = new StreamRedactor([]);
    const chunk = Buffer.from(`line with ${JWT}\n`);
    expect(redactor.push(chunk)).toBe(chunk);
    expect(redactor.push(chunk)).toBe(chunk);
    expect(redactor.end()).toBeNull();
  });

  it('passes a chunk on as it came, in one piece, unless its end is the start of a secret', () => {
    const redactor = new StreamRedactor([JWT]);
    const plain = Buffer.from('{"resourceType":"Patient","id":"1"}\n');
    expect(redactor.push(plain)).toBe(plain);
    // Ends with the token's first 30 bytes: those wait for the next chunk, the rest passes.
    const split = Buffer.from(`{"note":"${JWT.slice(0, 30)}`);
    expect(redactor.push(split)?.toString()).toBe('{"note":"');
    expect(redactor.push(Buffer.from(`${JWT.slice(30)}"}\n`))?.toString()).toBe(`[redacted${'*'.repeat(JWT.length - 10)}]"}\n`);
    // The last byte alone can begin a secret too.
    expect(redactor.push(Buffer.from('x e'))?.toString()).toBe('x ');
    expect(redactor.end()?.toString()).toBe('e');
  });

  it('does not touch data that only resembles the token', () => {
    const body = Buffer.from(`${JWT.slice(0, -1)}X\n${JWT.slice(1)}\n`);
    expect(run(new StreamRedactor([JWT]), [body])).toEqual(body);
  });
});
