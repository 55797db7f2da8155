import { beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { formsOf, RECORDED_CASES, recordCases } from '@/test/recorded-exchanges';
import { exportFileName } from './file-name';
import { harLogSchema, toHar } from './har';
import { LOOKS_SECRET, makeExchange, makeSession, SECRET_MARK, SECRET_MARK_ENCODED } from './test-fixtures';

const meta = { creator: 'Health OAuth console', pageTitle: 'Health OAuth console' };

describe('toHar', () => {
  const session = makeSession({
    exchanges: [
      makeExchange(),
      makeExchange({
        id: 'ex-2',
        kind: 'fhir',
        method: 'get',
        url: `http://localhost:3100/sandbox/bcda/api/v2/Patient/$export?_type=Patient&access_token=${SECRET_MARK_ENCODED}`,
        status: 302,
        request: { headers: [['Authorization', 'Bearer [redacted]']], body: null },
        response: {
          headers: [['Location', 'http://h/next'], ['Content-Type', 'application/fhir+json']],
          body: '{"resourceType":"OperationOutcome"}',
          bodyTruncated: true,
          size: 9000,
        },
      }),
      makeExchange({
        id: 'ex-3',
        kind: 'fhir',
        url: 'https://sandbox.bcda.cms.gov/auth/token',
        status: null,
        durationMs: 10_000,
        response: null,
        error: 'Timed out after 10000 ms',
      }),
    ],
  });
  const har = toHar(session, meta);

  it('is HAR 1.2 with a page and one entry per exchange', () => {
    expect(harLogSchema.parse(har)).toEqual(har);
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'Health OAuth console', version: '' });
    expect(har.log.pages).toEqual([
      { startedDateTime: '2026-08-23T14:03:27.120Z', id: 'page_1', title: 'Health OAuth console', pageTimings: {} },
    ]);
    expect(har.log.entries).toHaveLength(3);
    // Survives a JSON round trip (what the download does).
    expect(JSON.parse(JSON.stringify(har))).toEqual(har);
  });

  it('records request, response and timings', () => {
    const [token, fhir] = har.log.entries;
    expect(token).toMatchObject({
      pageref: 'page_1',
      startedDateTime: '2026-08-23T14:03:27.120Z',
      time: 42.4,
      request: {
        method: 'POST',
        httpVersion: 'HTTP/1.1',
        headers: expect.arrayContaining([{ name: 'authorization', value: 'Basic [redacted]' }]),
        queryString: [],
        postData: { mimeType: '', text: '' },
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: 'OK',
        content: { size: 640, mimeType: 'application/json', text: expect.stringContaining('[redacted hmac:') },
        redirectURL: '',
        headersSize: -1,
        bodySize: 640,
      },
      timings: { send: 0, wait: 42.4, receive: 0 },
      _kind: 'token',
    });
    expect(token?._error).toBeUndefined();
    expect(fhir?.request.method).toBe('GET');
    expect(fhir?.request.postData).toBeUndefined();
    expect(fhir?.request.queryString).toEqual([
      { name: '_type', value: 'Patient' },
      { name: 'access_token', value: SECRET_MARK },
    ]);
    expect(fhir?.response).toMatchObject({ status: 302, statusText: 'Found', redirectURL: 'http://h/next' });
    expect(fhir?.response.content.comment).toMatch(/truncated/);
  });

  it('writes a network failure as status 0 with _error', () => {
    const failed = har.log.entries[2];
    expect(failed).toMatchObject({
      response: { status: 0, statusText: '', headers: [], content: { size: 0, mimeType: 'x-unknown' }, bodySize: -1 },
      _error: 'Timed out after 10000 ms',
      timings: { send: 0, wait: 10_000, receive: 0 },
    });
    expect(failed?.response.content.text).toBeUndefined();
  });

  it('keeps redaction marks as they are and adds nothing that looks like a secret', () => {
    const text = JSON.stringify(har);
    expect(text).toContain(SECRET_MARK_ENCODED);
    expect(text).toContain('Bearer [redacted]');
    for (const pattern of LOOKS_SECRET) expect(text).not.toMatch(pattern);
  });

  it('has a page even for an empty session', () => {
    const empty = toHar(makeSession({ exchanges: [] }), meta);
    expect(empty.log.entries).toEqual([]);
    expect(empty.log.pages[0]?.startedDateTime).toBe('2026-08-23T14:05:00.000Z');
  });
});

describe('toHar of exchanges recorded through the real redaction', () => {
  let exchanges: ExchangeDto[] = [];
  beforeAll(async () => {
    exchanges = await recordCases();
  });

  it.each(RECORDED_CASES.map((c, index) => ({ ...c, index })))('SECURITY 15: a secret in $place is not in the HAR', ({ secret, index }) => {
    const entry = toHar(makeSession({ exchanges: [exchanges[index]!] }), meta).log.entries[0];
    const text = JSON.stringify(entry);
    for (const form of formsOf(secret)) expect(text.includes(form), `${form.slice(0, 12)}…`).toBe(false);
    // Where it was, a mark stands.
    expect(text).toMatch(/\[redacted|%5Bredacted/);
  });

  it('SECURITY 15: the whole HAR of every case holds no secret and nothing that looks like one', () => {
    const text = JSON.stringify(toHar(makeSession({ exchanges }), meta));
    for (const { secret } of RECORDED_CASES) for (const form of formsOf(secret)) expect(text.includes(form), `${form.slice(0, 12)}…`).toBe(false);
    for (const pattern of LOOKS_SECRET) expect(text).not.toMatch(pattern);
  });
});

describe('exportFileName', () => {
  it('stamps the UTC time', () => {
    expect(exportFileName(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 'har')).toBe('health-oauth-console-20260102-030405.har');
    expect(exportFileName(new Date(Date.UTC(2026, 11, 31, 23, 59, 59)), 'md')).toBe('health-oauth-console-20261231-235959.md');
  });
});

describe('toHar with the browser’s legs and sequence diagrams', () => {
  it('leaves the browser’s login legs out of the server’s entries and carries each provider’s Mermaid text', () => {
    const session = makeSession({
      exchanges: [
        makeExchange({ id: 'a', kind: 'authorize', method: 'GET', status: null, response: null, request: { headers: [], body: null } }),
        makeExchange({ id: 'c', kind: 'callback', method: 'GET', status: 303, response: null, request: { headers: [], body: null } }),
        makeExchange({ id: 't' }),
      ],
    });
    const sequenceDiagrams = [{ providerId: 'bcda', mermaid: 'sequenceDiagram\n' }];
    const har = harLogSchema.parse(toHar(session, { creator: 'c', pageTitle: 'p', sequenceDiagrams }));
    expect(har.log.entries.map((e) => e._exchangeId)).toEqual(['t']);
    expect(har.log._sequenceDiagrams).toEqual(sequenceDiagrams);
    expect(toHar(session, { creator: 'c', pageTitle: 'p' }).log._sequenceDiagrams).toBeUndefined();
  });
});
