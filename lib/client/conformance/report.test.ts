import { describe, expect, it } from 'vitest';
import type { CheckDefinition } from '@/lib/contract/conformance';
import { makeExchange } from '@/lib/client/timeline/test-fixtures';
import { conformanceReportJson, conformanceReportMarkdown, type ConformanceReportInput } from './report';

const catalogue: CheckDefinition[] = [
  { id: 'backend.token-response-body', group: 'backend', title: 'The token response has the required fields and types', subject: 'server', activeOnly: false, spec: { label: 'RFC 6749 §5.1', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.1' }, inferno: { suite: 'smart_stu2_2', test: 'Token exchange response body contains required information encoded in JSON' } },
  { id: 'backend.invalid-grant-type', group: 'backend', title: 'A token request with an unknown grant_type is refused', subject: 'server', activeOnly: true, spec: { label: 'SMART', url: 'https://hl7.org/fhir/smart-app-launch/' } },
  { id: 'bulk.manifest', group: 'bulk', title: 'The manifest has the required fields', subject: 'server', activeOnly: false, spec: { label: 'Bulk Data 2.0', url: 'https://hl7.org/fhir/uv/bulkdata/' } },
];

const input: ConformanceReportInput = {
  providerName: 'CMS BCDA',
  environmentLabel: 'Built-in sandbox',
  credentialLabel: 'Extra-small',
  startedAt: Date.UTC(2026, 11, 5, 16, 0, 0),
  finishedAt: Date.UTC(2026, 11, 5, 16, 0, 4),
  catalogue,
  results: {
    'backend.token-response-body': { checkId: 'backend.token-response-body', outcome: 'known', message: '`expires_in` is a string ("1200").', exchangeIds: ['t1'], deviations: [{ code: 'expires_in_string', summary: '`expires_in` is a string ("1200")' }] },
    'backend.invalid-grant-type': { checkId: 'backend.invalid-grant-type', outcome: 'fail', message: 'Answered 200 | and issued a token.', exchangeIds: ['p1'], deviations: [] },
    'bulk.manifest': { checkId: 'bulk.manifest', outcome: 'pass', message: 'transactionTime, request …', exchangeIds: [], deviations: [] },
  },
  exchanges: [
    makeExchange({ id: 't1', url: 'http://127.0.0.1:3000/sandbox/bcda/auth/token', status: 200 }),
    makeExchange({ id: 'p1', url: 'http://127.0.0.1:3000/sandbox/bcda/auth/token', status: 200, probe: 'An unknown grant_type, which must be refused' }),
  ],
};

describe('conformance reports', () => {
  it('Markdown: the summary, each group with its checks, known deviations named, failures with their evidence', () => {
    const md = conformanceReportMarkdown(input);
    expect(md).toContain('# Conformance checks: CMS BCDA');
    expect(md).toContain('1 passed, 1 failed, 0 warnings, 1 known deviations, 0 skipped');
    expect(md).toMatch(/## Backend Services[\s\S]*## Bulk Data/);
    expect(md).toContain('Known deviation `expires_in_string`');
    expect(md).toContain('Answered 200 \\| and issued a token.');
    expect(md).toContain('`POST http://127.0.0.1:3000/sandbox/bcda/auth/token` → 200 (sent on purpose: An unknown grant_type, which must be refused)');
    expect(md).toContain('Token exchange response body contains required information encoded in JSON');
  });

  it('JSON: versioned, one entry per check with its spec, Inferno test and evidence', () => {
    const json = JSON.parse(conformanceReportJson(input)) as { version: number; summary: Record<string, number>; checks: { id: string; outcome: string; evidence: { id: string }[] }[] };
    expect(json.version).toBe(1);
    expect(json.summary).toEqual({ pass: 1, warn: 0, fail: 1, known: 1, skip: 0 });
    expect(json.checks.map((c) => [c.id, c.outcome, c.evidence.map((e) => e.id)])).toEqual([
      ['backend.token-response-body', 'known', ['t1']],
      ['backend.invalid-grant-type', 'fail', ['p1']],
      ['bulk.manifest', 'pass', []],
    ]);
  });

  it('adds nothing of the exchanges beyond method, URL, status and probe: no header or body reaches the report', () => {
    const withSecrets = { ...input, exchanges: input.exchanges.map((e) => ({ ...e, request: { headers: [['authorization', 'Basic c2VjcmV0LWluLWEtaGVhZGVy']] as [string, string][], body: 'client_secret=do-not-copy' } })) };
    for (const text of [conformanceReportMarkdown(withSecrets), conformanceReportJson(withSecrets)]) {
      expect(text).not.toContain('c2VjcmV0LWluLWEtaGVhZGVy');
      expect(text).not.toContain('do-not-copy');
    }
  });
});
