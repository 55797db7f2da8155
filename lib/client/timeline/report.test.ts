import { beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { formsOf, RECORDED_CASES, recordCases } from '@/test/recorded-exchanges';
import { REPORT_BODY_LIMIT, REPORT_FOOTER, toSupportReport } from './report';
import { LOOKS_SECRET, makeExchange, makeProvider, makeSession, makeToken, SECRET_MARK } from './test-fixtures';

const generatedAt = Date.UTC(2026, 7, 23, 14, 6, 0);

describe('toSupportReport', () => {
  const longBody = `{"error":"invalid_client","detail":"${'x'.repeat(5000)}"}`;
  const session = makeSession({
    tokens: [
      makeToken({
        scope: 'system/*.read openid',
        responseFacts: { patient: '-20140000008325' },
        refresh: {
          fingerprint: { hmacPrefix: 'aaaaaaaaaaaa', length: 40 },
          rotates: true,
          history: [{ at: Date.UTC(2026, 7, 23, 14, 10, 0), usedFingerprint: 'aaaaaaaaaaaa', newFingerprint: 'bbbbbbbbbbbb' }],
        },
        deviations: [
          { code: 'expires_in_string', field: 'expires_in', severity: 'warning', message: 'expires_in is a string', known: true },
          { code: 'token_type_case', field: 'token_type', severity: 'info', message: 'lower-case bearer', known: false },
        ],
      }),
    ],
    exchanges: [
      makeExchange(),
      makeExchange({
        id: 'ex-2',
        url: 'http://localhost:3100/sandbox/bcda/auth/token?a=1|2',
        status: 401,
        request: { headers: [['Authorization', 'Basic [redacted]']], body: `client_secret=${encodeURIComponent(SECRET_MARK)}` },
        response: { headers: [['content-type', 'application/json']], body: longBody, bodyTruncated: false, size: longBody.length },
      }),
      makeExchange({ id: 'ex-3', status: null, response: null, error: 'ECONNREFUSED', request: { headers: [], body: 'has ``` fence' } }),
    ],
  });
  const report = toSupportReport({ session, providers: [makeProvider()], generatedAt });

  it('describes each token: provider, environment, credentials, grant, times, scopes, verification', () => {
    expect(report).toContain('## CMS BCDA');
    expect(report).toContain('| Environment | Built-in sandbox (`builtin`) |');
    expect(report).toContain('| Credentials | Extra-small ACO, client id `2462c96b-6427-4efb-aed7-118e20c2e997` |');
    expect(report).toContain('| Grant | client_credentials (client auth basic, POST empty body) |');
    expect(report).toContain('| Token | jwt, type `bearer`, hmac:fedcba987654 512 chars |');
    expect(report).toContain('| Issued | 2026-08-23T14:03:27.000Z |');
    expect(report).toContain('| Expires | 2026-08-23T14:23:27.000Z |');
    expect(report).toContain('| expires_in as sent | `"1200"` (string) |');
    expect(report).toContain('| Scopes | `system/*.read` `openid` |');
    expect(report).toContain('| Verification | verified: RS512 signature checked against the JWKS (alg RS512) |');
    expect(report).toContain('| Response field `patient` | `"-20140000008325"` (string) |');
  });

  it('lists deviations with known-quirk flags and the refresh history', () => {
    expect(report).toContain('- `expires_in_string` (expires_in, warning): expires_in is a string (known quirk of this provider)');
    expect(report).toContain('- `token_type_case` (token_type, info): lower-case bearer (not documented for this provider)');
    expect(report).toContain('- 2026-08-23T14:10:00.000Z: used hmac:aaaaaaaaaaaa, new refresh token hmac:bbbbbbbbbbbb');
  });

  it('tables every exchange, escaping pipes', () => {
    expect(report).toContain('## Exchanges');
    expect(report).toContain('| # | Time | Kind | Method | URL | Status | ms |');
    expect(report).toContain('| 1 | 2026-08-23T14:03:27.120Z | token | POST | http://localhost:3100/sandbox/bcda/auth/token | 200 | 42 |');
    expect(report).toContain('auth/token?a=1\\|2 | 401 |');
    expect(report).toContain('| 3 | 2026-08-23T14:03:27.120Z | token | POST | http://localhost:3100/sandbox/bcda/auth/token | network error | 42 |');
  });

  it('details only failed exchanges, bodies truncated and fenced safely', () => {
    expect(report).toContain('## Failed exchanges');
    expect(report).not.toContain('### 1.');
    const second = report.slice(report.indexOf('### 2.'), report.indexOf('### 3.'));
    expect(second).toContain('```http\nAuthorization: Basic [redacted]\n```');
    expect(second).toContain(`client_secret=${encodeURIComponent(SECRET_MARK)}`);
    expect(second).toContain(`… (truncated: ${longBody.length - REPORT_BODY_LIMIT} more characters)`);
    expect(second).not.toContain('x'.repeat(REPORT_BODY_LIMIT));
    const third = report.slice(report.indexOf('### 3.'));
    expect(third).toContain('Error: ECONNREFUSED');
    expect(third).toContain('````\nhas ``` fence\n````');
    expect(third).toContain('No response.');
  });

  it('ends with the redaction footer and says when there is nothing', () => {
    expect(report.trimEnd().endsWith(REPORT_FOOTER)).toBe(true);
    const empty = toSupportReport({ session: makeSession({ tokens: [], exchanges: [] }), providers: [], generatedAt });
    expect(empty).toContain('No token in this session.');
    expect(empty).toContain('## Exchanges\n\nNone recorded.');
    expect(empty).not.toContain('## Failed exchanges');
  });

  it('falls back to ids for a provider the catalogue does not list, and adds nothing that looks like a secret', () => {
    const other = toSupportReport({
      session: makeSession({ tokens: [makeToken({ providerId: 'gone', refresh: undefined })] }),
      providers: [],
      generatedAt,
    });
    expect(other).toContain('## gone');
    expect(other).toContain('No refresh token issued.');
    for (const text of [report, other]) for (const pattern of LOOKS_SECRET) expect(text).not.toMatch(pattern);
  });
});

describe('toSupportReport with sequence diagrams', () => {
  it('adds each provider’s Mermaid text in a mermaid fence, and nothing when there is none', () => {
    const session = makeSession();
    const mermaid = 'sequenceDiagram\n  C->>A: 1. POST /token\n';
    const withDiagram = toSupportReport({ session, providers: [], generatedAt: 0, sequenceDiagrams: [{ providerName: 'CMS BCDA', mermaid }] });
    expect(withDiagram).toContain('## Sequence diagrams\n\nEach provider’s flow in Mermaid (renders on GitHub, GitLab and mermaid.live).\n\n### CMS BCDA\n\n```mermaid\nsequenceDiagram\n  C->>A: 1. POST /token\n```');
    expect(toSupportReport({ session, providers: [], generatedAt: 0 })).not.toContain('Sequence diagrams');
  });
});

describe('toSupportReport of exchanges recorded through the real redaction', () => {
  let exchanges: ExchangeDto[] = [];
  beforeAll(async () => {
    exchanges = await recordCases();
  });

  it.each(RECORDED_CASES.map((c, index) => ({ ...c, index })))('SECURITY 15: a secret in $place is not in the report', ({ secret, index }) => {
    const report = toSupportReport({ session: makeSession({ tokens: [], exchanges: [exchanges[index]!] }), providers: [makeProvider()], generatedAt });
    // Each recorded exchange failed (401), so its headers and bodies are in the report.
    expect(report).toContain('## Failed exchanges');
    for (const form of formsOf(secret)) expect(report.includes(form), `${form.slice(0, 12)}…`).toBe(false);
    expect(report).toMatch(/\[redacted|%5Bredacted/);
  });

  it('SECURITY 15: the report of every case holds no secret and nothing that looks like one', () => {
    const report = toSupportReport({ session: makeSession({ tokens: [makeToken()], exchanges }), providers: [makeProvider()], generatedAt });
    for (const { secret } of RECORDED_CASES) for (const form of formsOf(secret)) expect(report.includes(form), `${form.slice(0, 12)}…`).toBe(false);
    for (const pattern of LOOKS_SECRET) expect(report).not.toMatch(pattern);
  });
});
