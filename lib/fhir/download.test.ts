import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOWNLOAD_KIND_HEADER, DOWNLOAD_UPSTREAM_STATUS_HEADER, fhirProxyResponseSchema, type ExchangeDto } from '@/lib/contract/schemas';
import { HttpError } from '@/lib/http/errors';
import { bcda } from '@/lib/providers/bcda';
import { resolveEnvironment } from '@/lib/providers/resolve';
import type { StoredToken } from '@/lib/session/vault';
import { startLoopbackBcda } from '@/test/loopback-sandbox';
import { downloadContentType, openFhirDownload } from './download';

const builtin = bcda.environments.find((e) => e.id === 'builtin')!;
const preset = bcda.presets.find((p) => p.id === 'extra-small')!;

let sandbox: Awaited<ReturnType<typeof startLoopbackBcda>>;
beforeAll(async () => {
  sandbox = await startLoopbackBcda({ jobDurationMs: () => 0 });
});
afterAll(() => sandbox.close());

/** A token as the vault would hold it; only what the download reads is real. */
async function sessionToken(): Promise<StoredToken> {
  const res = await fetch(`${sandbox.origin}/sandbox/bcda/auth/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${preset.clientId}:${preset.clientSecret}`).toString('base64')}`, Accept: 'application/json' },
  });
  const { access_token: accessToken } = (await res.json()) as { access_token: string };
  return { accessToken, environmentId: 'builtin', credential: { kind: 'preset', presetId: preset.id } } as unknown as StoredToken;
}

/** Kicks off a Patient export and returns its completed manifest's file paths, relative to the environment. */
async function exportFiles(token: StoredToken): Promise<string[]> {
  const headers = { Authorization: `Bearer ${token.accessToken}`, Accept: 'application/fhir+json', Prefer: 'respond-async' };
  const kickoff = await fetch(`${sandbox.origin}/sandbox/bcda/api/v2/Patient/$export?_type=Patient,Coverage`, { headers });
  const status = await fetch(kickoff.headers.get('content-location')!, { headers });
  const manifest = (await status.json()) as { output: { url: string }[] };
  return manifest.output.map((file) => new URL(file.url).pathname.replace('/sandbox/bcda', ''));
}

describe('openFhirDownload against the built-in BCDA sandbox over loopback', () => {
  const env = () => resolveEnvironment(bcda, builtin, sandbox.origin);

  it('streams a file with the session token and records its size once the body ends', async () => {
    const token = await sessionToken();
    const [patientFile] = await exportFiles(token);
    const recorded: ExchangeDto[] = [];
    const response = await openFhirDownload(env(), token, patientFile!, async (e) => void recorded.push(e));
    expect(response.status).toBe(200);
    expect(response.headers.get(DOWNLOAD_KIND_HEADER)).toBe('stream');
    expect(response.headers.get(DOWNLOAD_UPSTREAM_STATUS_HEADER)).toBe('200');
    expect(response.headers.get('content-type')).toBe('application/fhir+ndjson');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[0-9a-f-]+\.ndjson"$/);
    const text = await response.text();
    const lines = text.trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { resourceType: string }).resourceType)).toEqual(lines.map(() => 'Patient'));
    expect(lines).toHaveLength(preset.facts!.enrollees as number);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ kind: 'fhir', status: 200, response: { size: Buffer.byteLength(text) } });
    expect(JSON.stringify(recorded)).not.toContain(token.accessToken);
  });

  it('asks BCDA for gzip when the page takes it, and gives the page the same bytes, decoded, without a stale length', async () => {
    const token = await sessionToken();
    const [patientFile] = await exportFiles(token);
    const recorded: ExchangeDto[] = [];
    const plain = await (await openFhirDownload(env(), token, patientFile!, async () => undefined)).text();
    const response = await openFhirDownload(env(), token, patientFile!, async (e) => void recorded.push(e), { acceptGzip: true });
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('content-length')).toBeNull();
    expect(await response.text()).toBe(plain);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(recorded[0]?.request.headers).toContainEqual(['Accept-Encoding', 'gzip']);
    expect(recorded[0]?.response?.headers).toContainEqual(['content-encoding', 'gzip']);
  });

  it('never asks its own process’s sandbox for gzip: on loopback compressing and decoding would only cost CPU', async () => {
    const token = await sessionToken();
    const [patientFile] = await exportFiles(token);
    const recorded: ExchangeDto[] = [];
    const previous = process.env.PORT;
    process.env.PORT = new URL(sandbox.origin).port;
    try {
      await (await openFhirDownload(env(), token, patientFile!, async (e) => void recorded.push(e), { acceptGzip: true })).text();
    } finally {
      if (previous === undefined) delete process.env.PORT;
      else process.env.PORT = previous;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(recorded[0]?.request.headers.map(([name]) => name.toLowerCase())).not.toContain('accept-encoding');
    expect(recorded[0]?.response?.headers.map(([name]) => name.toLowerCase())).not.toContain('content-encoding');
  });

  it('a job outlives its token: a fresh token of the same ACO downloads the same file', async () => {
    const [, coverageFile] = await exportFiles(await sessionToken());
    const response = await openFhirDownload(env(), await sessionToken(), coverageFile!, async () => undefined);
    expect(response.headers.get(DOWNLOAD_KIND_HEADER)).toBe('stream');
    expect((await response.text()).split('\n')[0]).toContain('"resourceType":"Coverage"');
  });

  it('describes a refusal (no token: 401) instead of streaming it', async () => {
    const [patientFile] = await exportFiles(await sessionToken());
    const recorded: ExchangeDto[] = [];
    const response = await openFhirDownload(env(), null, patientFile!, async (e) => void recorded.push(e));
    expect(response.headers.get(DOWNLOAD_KIND_HEADER)).toBe('response');
    const described = fhirProxyResponseSchema.parse(await response.json());
    expect(described.status).toBe(401);
    expect(recorded.map((e) => e.status)).toEqual([401]);
  });

  it('refuses a path outside the environment before calling anyone', async () => {
    const recorded: ExchangeDto[] = [];
    for (const path of ['/data/../auth/token', 'http://169.254.169.254/', '/admin/secrets', '//evil.example/data/1/x.ndjson']) {
      const error = await openFhirDownload(env(), null, path, async (e) => void recorded.push(e)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).code).toBe('path_not_allowed');
    }
    expect(recorded).toEqual([]);
  });

  it('never sends the token to another environment', async () => {
    const token = { ...(await sessionToken()), environmentId: 'sandbox' } as StoredToken;
    const [patientFile] = await exportFiles(await sessionToken());
    const response = await openFhirDownload(env(), token, patientFile!, async () => undefined);
    expect(response.headers.get(DOWNLOAD_UPSTREAM_STATUS_HEADER)).toBe('401');
  });
});

/**
 * A hostile or careless file server: it writes back the bearer token it was sent, in the forms a page could use
 * (raw, percent-encoded, base64, `Bearer <token>`), each split across two writes at the offset the path names, and
 * answers with the Content-Type the query asks for.
 */
describe('openFhirDownload against an upstream that echoes the token', () => {
  let echo: Server;
  let origin = '';
  beforeAll(async () => {
    echo = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://echo');
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const cut = Number(/cut-(\d+)/.exec(url.pathname)?.[1] ?? 0);
      const type = url.searchParams.get('type');
      res.writeHead(200, type === null ? {} : { 'Content-Type': type });
      const pieces = [
        `{"resourceType":"Patient","id":"1"}\n`,
        `{"echo":"${token}"}\n`,
        `{"header":"Authorization: Bearer ${token}"}\n`,
        `{"encoded":"${encodeURIComponent(token)}"}\n`,
        `{"base64":"${Buffer.from(token).toString('base64')}"}\n`,
        `{"basicLike":"${Buffer.from(`Bearer ${token}`).toString('base64')}"}\n`,
      ].join('');
      // Two writes with a pause between them arrive as two chunks: the token straddles the boundary.
      res.write(pieces.slice(0, cut));
      setTimeout(() => res.end(pieces.slice(cut)), 5);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

  const env = () => resolveEnvironment(bcda, builtin, origin);
  const token = { accessToken: 'eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJlY2hvIn0.c2lnbmF0dXJlLW9mLWVjaG8tdG9rZW4', environmentId: 'builtin' } as StoredToken;

  it('SECURITY 15: the session token never reaches the page through /download, split at any chunk boundary, in any form', async () => {
    const forms = [
      token.accessToken,
      encodeURIComponent(token.accessToken),
      Buffer.from(token.accessToken).toString('base64'),
      Buffer.from(`Bearer ${token.accessToken}`).toString('base64'),
      `Bearer ${token.accessToken}`,
    ];
    // The echoed body is 550 bytes: every offset from the first byte to the last.
    for (let cut = 0; cut <= 560; cut += 1) {
      const response = await openFhirDownload(env(), token, `/data/job/cut-${cut}.ndjson?type=application/fhir%2Bndjson`, async () => undefined);
      expect(response.headers.get(DOWNLOAD_KIND_HEADER)).toBe('stream');
      const text = await response.text();
      expect(text, `cut ${cut}`).toContain('{"resourceType":"Patient","id":"1"}');
      for (const form of forms) expect(text.includes(form), `cut ${cut}: ${form.slice(0, 16)}…`).toBe(false);
      expect(text).toContain('[redacted***');
    }
  }, 60_000);

  it.each([
    ['application/fhir+ndjson', 'application/fhir+ndjson'],
    ['application/fhir+ndjson; charset=utf-8', 'application/fhir+ndjson'],
    ['application/ndjson', 'application/ndjson'],
    ['application/x-ndjson', 'application/ndjson'],
    ['APPLICATION/JSON', 'application/json'],
    ['application/octet-stream', 'application/octet-stream'],
    ['text/html', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['text/javascript', 'application/octet-stream'],
    ['application/fhir+json', 'application/octet-stream'],
    [null, 'application/octet-stream'],
  ])('serves an upstream %s as %s, as an attachment, nosniff', async (upstreamType, served) => {
    const query = upstreamType === null ? '' : `?type=${encodeURIComponent(upstreamType)}`;
    const response = await openFhirDownload(env(), token, `/data/job/cut-0.ndjson${query}`, async () => undefined);
    expect(response.headers.get('content-type')).toBe(served);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="cut-0.ndjson"');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(downloadContentType(upstreamType)).toBe(served);
    await response.arrayBuffer();
  });
});
