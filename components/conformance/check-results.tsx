'use client';

import { Badge, type BadgeTone } from '@/components/ui/badge';
import { cn } from '@/components/ui/cn';
import { useCheckCatalogue } from '@/lib/client/conformance/hooks';
import { OUTCOME_MARK, OUTCOME_WORDS } from '@/lib/client/conformance/report';
import { OUTCOME_SEVERITY, worstOutcome, type CheckDefinition, type CheckOutcome, type CheckResult } from '@/lib/contract/conformance';

export const OUTCOME_TONE: Record<CheckOutcome, BadgeTone> = { pass: 'green', warn: 'amber', fail: 'red', known: 'indigo', skip: 'neutral' };

/** A count of results by outcome, worst first: "1 failed · 5 passed". */
export function describeOutcomes(results: readonly CheckResult[]): string {
  const counts = new Map<CheckOutcome, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const words: Record<CheckOutcome, (n: number) => string> = {
    fail: (n) => `${n} failed`,
    warn: (n) => `${n} warning${n > 1 ? 's' : ''}`,
    known: (n) => `${n} known deviation${n > 1 ? 's' : ''}`,
    pass: (n) => `${n} passed`,
    skip: (n) => `${n} skipped`,
  };
  return [...counts].sort(([a], [b]) => OUTCOME_SEVERITY[b] - OUTCOME_SEVERITY[a]).map(([o, n]) => words[o](n)).join(' · ');
}

/** The badge a timeline row shows: the worst outcome of its checks, and all of them in words for a screen reader. */
export function ExchangeChecksBadge({ results }: { results: readonly CheckResult[] }) {
  const worst = worstOutcome(results);
  if (!worst) return null;
  const failing = results.filter((r) => r.outcome === worst).length;
  const label = worst === 'pass' ? `${results.length}` : worst === 'known' ? 'known' : `${failing}`;
  return (
    <Badge tone={OUTCOME_TONE[worst]} data-testid="exchange-conformance" data-outcome={worst} title={`Conformance checks: ${describeOutcomes(results)}`}>
      <span aria-hidden="true">{OUTCOME_MARK[worst]}</span>
      <span aria-hidden="true">{label}</span>
      <span className="sr-only">Conformance checks: {describeOutcomes(results)}</span>
    </Badge>
  );
}

/** Results in catalogue terms: failures first, each with its title, what happened in words, and the spec it cites. */
export function CheckResultList({ results, testId = 'exchange-check', onShowExchange }: { results: readonly CheckResult[]; testId?: string; onShowExchange?: (exchangeId: string) => void }) {
  const catalogue = useCheckCatalogue();
  const byId = new Map((catalogue.data?.checks ?? []).map((c) => [c.id, c]));
  const sorted = [...results].sort((a, b) => OUTCOME_SEVERITY[b.outcome] - OUTCOME_SEVERITY[a.outcome]);
  return (
    <ul className="space-y-1.5">
      {sorted.map((result) => (
        <CheckResultRow key={result.checkId} result={result} check={byId.get(result.checkId)} testId={testId} onShowExchange={onShowExchange} />
      ))}
    </ul>
  );
}

function CheckResultRow({ result, check, testId, onShowExchange }: { result: CheckResult; check?: CheckDefinition; testId: string; onShowExchange?: (exchangeId: string) => void }) {
  return (
    <li data-testid={testId} data-check-id={result.checkId} data-outcome={result.outcome} className="flex gap-2 text-xs">
      <Badge tone={OUTCOME_TONE[result.outcome]} className="mt-px h-fit shrink-0 justify-center font-mono" title={OUTCOME_WORDS[result.outcome]}>
        <span aria-hidden="true">{OUTCOME_MARK[result.outcome]}</span>
        <span className="sr-only">{OUTCOME_WORDS[result.outcome]}</span>
      </Badge>
      <div className="min-w-0 space-y-0.5">
        <p className="font-medium text-zinc-800">
          {check?.title ?? result.checkId}
          {check?.subject === 'client' && <span className="ml-1.5 font-normal text-zinc-600">(the console’s own request)</span>}
        </p>
        <p className={cn('break-words', result.outcome === 'fail' ? 'text-red-700' : 'text-zinc-700')}>{result.message}</p>
        {result.deviations.map((d) => (
          <p key={d.code} className="text-indigo-700">
            Known deviation of this provider: {d.summary} <span className="font-mono text-zinc-600">({d.code})</span>
          </p>
        ))}
        <p className="flex flex-wrap gap-x-3 text-zinc-600">
          {check && (
            <a className="underline decoration-zinc-300 underline-offset-2 hover:text-zinc-900" href={check.spec.url} target="_blank" rel="noreferrer">
              {check.spec.label}
            </a>
          )}
          {check?.inferno && <span>Inferno: {check.inferno.test}</span>}
          {onShowExchange &&
            result.exchangeIds.slice(0, 3).map((id, i) => (
              <button key={id} type="button" className="underline decoration-zinc-300 underline-offset-2 hover:text-zinc-900" onClick={() => onShowExchange(id)} data-testid="conformance-evidence">
                Exchange {i + 1}
              </button>
            ))}
        </p>
      </div>
    </li>
  );
}
