import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { OutboundPolicyError } from './outbound';
import { openOutboundStream, type OutboundStreamResult } from './outbound-stream';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.stream-test-token-value.signature';
const LINE = `${JSON.stringify({ resourceType: 'Patient', id: 'x'.repeat(80) })}\n`;

let server: Server;
let origin: string;
/** Resolves when the server sees a request's connection close; keyed by path. */
const closed = new Map<string, Promise<void>>();

function route(req: IncomingMessage, res: ServerResponse) {
  const path = req.url ?? '/';
  closed.set(path, new Promise((resolve) => res.on('close', () => resolve())));
  if (path === '/lines') {
    res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
    let sent = 0;
    const write = () => {
      while (sent < 2000) {
        sent++;
        if (!res.write(LINE)) return void res.once('drain', write);
      }
      res.end();
    };
    return write();
  }
  if (path === '/small') {
    res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
    return res.end(LINE);
  }
  if (path === '/forever') {
    res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
    const timer = setInterval(() => res.write(LINE), 5);
    return res.on('close', () => clearInterval(timer));
  }
  if (path === '/stall') {
    res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
    return res.write(LINE); // … and nothing more.
  }
  if (path === '/reset') {
    res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
    res.write(LINE);
    return setTimeout(() => req.socket.destroy(), 20);
  }
  if (path === '/slow-headers') return setTimeout(() => res.end('late'), 2000);
  if (path === '/expired') {
    res.writeHead(401, { 'Content-Type': 'application/fhir+json' });
    return res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'expired' }] }));
  }
  if (path === '/moved') {
    res.writeHead(302, { Location: 'http://example.com/elsewhere' });
    return res.end();
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function open(path: string, options: { idleTimeoutMs?: number; timeoutMs?: number; signal?: AbortSignal } = {}) {
  const recorded: ExchangeDto[] = [];
  const result = await openOutboundStream(
    {
      method: 'GET',
      url: new URL(path, origin),
      headers: [['Authorization', `Bearer ${TOKEN}`]],
      allowedOrigin: origin,
      timeoutMs: options.timeoutMs ?? 5000,
      idleTimeoutMs: options.idleTimeoutMs ?? 5000,
      signal: options.signal,
    },
    { kind: 'fhir', providerId: 'bcda', environmentId: 'builtin', secrets: [TOKEN] },
    async (exchange) => void recorded.push(exchange),
  );
  return { result, recorded };
}

function streamOf(result: OutboundStreamResult) {
  if (!result.ok || result.kind !== 'stream') throw new Error(`expected a stream, got ${JSON.stringify(result)}`);
  return result.stream;
}

async function drain(body: ReadableStream<Uint8Array>): Promise<{ bytes: number; error?: Error }> {
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes };
      bytes += value.byteLength;
    }
  } catch (error) {
    return { bytes, error: error as Error };
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('openOutboundStream', () => {
  it('passes a body through chunk by chunk and records one redacted exchange with its size', async () => {
    const { result, recorded } = await open('/lines');
    const stream = streamOf(result);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe('application/fhir+ndjson');
    expect(recorded).toHaveLength(0); // Recorded when the body ends, not before.
    const { bytes, error } = await drain(stream.body);
    expect(error).toBeUndefined();
    expect(bytes).toBe(LINE.length * 2000);
    await settle();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ id: stream.exchangeId, status: 200, response: { size: bytes, body: null } });
    expect(JSON.stringify(recorded)).not.toContain(TOKEN);
  });

  it('reads a non-2xx answer whole, as the proxy does, so the page can explain it', async () => {
    const { result } = await open('/expired');
    expect(result).toMatchObject({ ok: true, kind: 'response', response: { status: 401 } });
    if (result.ok && result.kind === 'response') {
      expect(JSON.parse(result.response.text)).toMatchObject({ resourceType: 'OperationOutcome' });
      expect(JSON.stringify(result.exchange)).not.toContain(TOKEN);
    }
  });

  it('does not follow a redirect with the token', async () => {
    const { result } = await open('/moved');
    expect(result).toMatchObject({ ok: true, kind: 'response', response: { status: 302 } });
  });

  it('refuses any origin but the environment’s before sending anything', async () => {
    await expect(
      openOutboundStream(
        { method: 'GET', url: new URL('http://169.254.169.254/latest'), headers: [], allowedOrigin: origin, idleTimeoutMs: 1000 },
        { kind: 'fhir', providerId: 'bcda', environmentId: 'builtin', secrets: [] },
        async () => undefined,
      ),
    ).rejects.toBeInstanceOf(OutboundPolicyError);
  });

  it('times out when the headers do not come', async () => {
    const { result } = await open('/slow-headers', { timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, failure: { code: 'upstream_timeout' } });
  });

  it('ends a body that stalls longer than the idle timeout with an error naming the bytes received', async () => {
    const { result, recorded } = await open('/stall', { idleTimeoutMs: 300 });
    const { bytes, error } = await drain(streamOf(result).body);
    expect(bytes).toBe(LINE.length);
    expect(error?.message).toMatch(new RegExp(`sent nothing for 300 ms; the download was stopped after ${LINE.length} bytes`));
    await settle();
    expect(recorded[0]?.error).toBe(error?.message);
  });

  it('reports a connection reset mid-body as a broken download', async () => {
    const { result, recorded } = await open('/reset');
    const { error } = await drain(streamOf(result).body);
    expect(error?.message).toMatch(/broke off after \d+ bytes/);
    await settle();
    expect(recorded).toHaveLength(1);
  });

  it('stops reading upstream when the reader cancels (the page went away)', async () => {
    const { result, recorded } = await open('/forever');
    const reader = streamOf(result).body.getReader();
    await reader.read();
    await reader.cancel('page closed');
    await closed.get('/forever');
    await settle();
    expect(recorded[0]?.error).toMatch(/cancelled after \d+ bytes/);
  });

  it('ignores chunks already on their way after the reader cancelled (no write to a closed stream)', async () => {
    for (let i = 0; i < 20; i++) {
      const { result } = await open(i % 2 ? '/lines' : '/small');
      const reader = streamOf(result).body.getReader();
      if (i % 4 < 2) await reader.read();
      await reader.cancel('done with it');
    }
    // Socket data queued before the cancel arrives now; an enqueue on the cancelled stream would throw uncaught.
    await settle();
  });

  it("stops reading upstream when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const { result } = await open('/forever', { signal: controller.signal });
    const body = streamOf(result).body;
    const drained = drain(body);
    await settle();
    controller.abort();
    const { error } = await drained;
    expect(error).toBeInstanceOf(Error);
    await closed.get('/forever');
  });
});
