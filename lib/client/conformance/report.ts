import { CHECK_GROUP_LABELS, checkGroupSchema, type CheckDefinition, type CheckOutcome, type CheckResult } from '@/lib/contract/conformance';
import type { ExchangeDto } from '@/lib/contract/schemas';

/**
 * A finished run as a report to download: Markdown for a ticket, JSON for tools. Built in the page from what the page
 * already holds — the results and the session's exchanges, both redacted by the server — and nothing else.
 */

export interface ConformanceReportInput {
  providerName: string;
  environmentLabel: string;
  credentialLabel: string;
  startedAt: number;
  finishedAt: number;
  catalogue: readonly CheckDefinition[];
  results: Readonly<Record<string, CheckResult>>;
  exchanges: readonly ExchangeDto[];
}

export const OUTCOME_WORDS: Record<CheckOutcome, string> = {
  pass: 'pass',
  warn: 'warning',
  fail: 'fail',
  known: 'known deviation',
  skip: 'skipped',
};

export const OUTCOME_MARK: Record<CheckOutcome, string> = { pass: '✓', warn: '!', fail: '✕', known: '~', skip: '–' };

interface ReportRow {
  check: CheckDefinition;
  result: CheckResult;
  evidence: { id: string; method: string; url: string; status: number | null; probe?: string }[];
}

function rows(input: ConformanceReportInput): ReportRow[] {
  const byId = new Map(input.exchanges.map((e) => [e.id, e]));
  return input.catalogue.flatMap((check) => {
    const result = input.results[check.id];
    if (!result) return [];
    const evidence = result.exchangeIds.flatMap((id) => {
      const e = byId.get(id);
      return e ? [{ id, method: e.method, url: e.url, status: e.status, ...(e.probe ? { probe: e.probe } : {}) }] : [];
    });
    return [{ check, result, evidence }];
  });
}

function summaryOf(results: Readonly<Record<string, CheckResult>>): Record<CheckOutcome, number> {
  const summary: Record<CheckOutcome, number> = { pass: 0, warn: 0, fail: 0, known: 0, skip: 0 };
  for (const r of Object.values(results)) summary[r.outcome] += 1;
  return summary;
}

const iso = (epoch: number) => new Date(epoch).toISOString();
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function conformanceReportMarkdown(input: ConformanceReportInput): string {
  const summary = summaryOf(input.results);
  const lines = [
    `# Conformance checks: ${input.providerName}`,
    '',
    `- Environment: ${input.environmentLabel}`,
    `- Credential set: ${input.credentialLabel}`,
    `- Run: ${iso(input.startedAt)} → ${iso(input.finishedAt)}`,
    `- Result: ${summary.pass} passed, ${summary.fail} failed, ${summary.warn} warnings, ${summary.known} known deviations, ${summary.skip} skipped`,
    '',
    'Checks mirror the server tests of Inferno’s SMART App Launch STU2.2 and Bulk Data v2.0.0 suites. Exchanges are as the console recorded them, secrets redacted.',
  ];
  const all = rows(input);
  for (const group of checkGroupSchema.options) {
    const inGroup = all.filter((r) => r.check.group === group);
    if (inGroup.length === 0) continue;
    lines.push('', `## ${CHECK_GROUP_LABELS[group]}`, '', '| | Check | Result | Spec | Inferno |', '|---|---|---|---|---|');
    for (const { check, result } of inGroup) {
      const words = result.outcome === 'pass' ? result.message : `**${OUTCOME_WORDS[result.outcome]}:** ${result.message}`;
      const deviations = result.deviations.map((d) => ` Known deviation \`${d.code}\`: ${d.summary}.`).join('');
      lines.push(`| ${OUTCOME_MARK[result.outcome]} | ${cell(check.title)} | ${cell(words + deviations)} | [${cell(check.spec.label)}](${check.spec.url}) | ${check.inferno ? cell(check.inferno.test) : ''} |`);
    }
    const evidence = inGroup.filter((r) => r.result.outcome !== 'pass' && r.result.outcome !== 'skip' && r.evidence.length > 0);
    if (evidence.length > 0) {
      lines.push('', 'Evidence:');
      for (const { check, evidence: exchanges } of evidence) {
        for (const e of exchanges) lines.push(`- ${check.title}: \`${e.method} ${e.url}\` → ${e.status ?? 'no answer'}${e.probe ? ` (sent on purpose: ${e.probe})` : ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

export function conformanceReportJson(input: ConformanceReportInput): string {
  return `${JSON.stringify(
    {
      version: 1,
      provider: input.providerName,
      environment: input.environmentLabel,
      credential: input.credentialLabel,
      startedAt: iso(input.startedAt),
      finishedAt: iso(input.finishedAt),
      summary: summaryOf(input.results),
      checks: rows(input).map(({ check, result, evidence }) => ({
        id: check.id,
        group: check.group,
        title: check.title,
        outcome: result.outcome,
        message: result.message,
        deviations: result.deviations,
        spec: check.spec,
        ...(check.inferno ? { inferno: check.inferno } : {}),
        evidence,
      })),
    },
    null,
    2,
  )}\n`;
}
