'use client';

import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Disclosure } from '@/components/ui/disclosure';
import { ProgressBar } from '@/components/ui/progress-bar';
import { downloadText } from '@/components/timeline/download-text';
import { revealExchange } from '@/components/timeline/timeline-row';
import { useCheckCatalogue, useConformanceRun } from '@/lib/client/conformance/hooks';
import { OUTCOME_MARK, conformanceReportJson, conformanceReportMarkdown } from '@/lib/client/conformance/report';
import { CHECK_GROUP_LABELS, checkGroupSchema, type CheckOutcome } from '@/lib/contract/conformance';
import type { ExchangeDto, ProviderDto } from '@/lib/contract/schemas';
import { CheckResultList, OUTCOME_TONE, describeOutcomes } from './check-results';

export interface ConformancePanelProps {
  provider: Pick<ProviderDto, 'id' | 'name'>;
  environment: { id: string; label: string };
  /** The credential set to run with; undefined for the user's own typed credentials, which the server does not keep. */
  presetId: string | undefined;
  credentialLabel: string;
  /** An authorization-code flow: the run reads the session's sign-in and its token. */
  signInFirst: boolean;
  /** The provider offers Bulk Data: Inferno's Bulk Data suite applies too. */
  offersBulk: boolean;
  exchanges: readonly ExchangeDto[];
  onClose: () => void;
}

const SUMMARY_ORDER: CheckOutcome[] = ['fail', 'warn', 'known', 'pass', 'skip'];
const SUMMARY_WORDS: Record<CheckOutcome, string> = { fail: 'failed', warn: 'warnings', known: 'known deviations', pass: 'passed', skip: 'skipped' };

/**
 * "Check this server" (issue #18): the whole conformance catalogue against the selected provider and credential set,
 * with the negative tests; progress as it runs, results by group with what each proves, the report to download and
 * the inputs Inferno's own suites take for the same server.
 */
export function ConformancePanel({ provider, environment, presetId, credentialLabel, signInFirst, offersBulk, exchanges, onClose }: ConformancePanelProps) {
  const catalogue = useCheckCatalogue();
  const { state, start } = useConformanceRun();
  const run = () => presetId && start(provider.id, { environmentId: environment.id, credential: { kind: 'preset', presetId } });
  const results = Object.values(state.results);
  const reportInput = () => ({
    providerName: provider.name,
    environmentLabel: environment.label,
    credentialLabel,
    startedAt: state.startedAt ?? Date.now(),
    finishedAt: state.finishedAt ?? Date.now(),
    catalogue: catalogue.data?.checks ?? [],
    results: state.results,
    exchanges,
  });
  const fileBase = `conformance-${provider.id}-${environment.id}`;
  const infernoHref = (suite: 'smart_stu2_2' | 'bulk_data_v200') =>
    presetId && `/api/conformance/${encodeURIComponent(provider.id)}/inferno-inputs?${new URLSearchParams({ environmentId: environment.id, presetId, suite })}`;
  const infernoLinks = [
    { suite: 'smart_stu2_2' as const, label: 'Inferno inputs: SMART App Launch', testId: 'download-inferno-inputs' },
    ...(offersBulk ? [{ suite: 'bulk_data_v200' as const, label: 'Inferno inputs: Bulk Data', testId: 'download-inferno-bulk-inputs' }] : []),
  ];

  return (
    <Card
      data-testid="conformance-panel"
      title={<>Check this server · {provider.name}</>}
      description={`${environment.label} · ${credentialLabel}. Every check mirrors a server test of Inferno’s SMART App Launch STU2.2 or Bulk Data v2.0.0 suite; the requests it sends, wrong ones included, land in the timeline, redacted.`}
      actions={
        <>
          <Button size="sm" variant="primary" data-testid="check-server-run" onClick={run} pending={state.status === 'running'} disabled={!presetId}>
            {state.status === 'idle' ? 'Run the checks' : 'Run again'}
          </Button>
          <Button size="sm" variant="ghost" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        {!presetId && (
          <p className="text-sm text-amber-800" role="note">
            The checks run with one of {provider.name}’s credential sets: pick one above. Credentials you type are sent once with Get token and not kept by the server.
          </p>
        )}
        {state.status === 'idle' && presetId && (
          <p className="text-sm text-zinc-700">
            Discovery, the token endpoint (and requests it must refuse), the API with no token and with an unknown one, introspection, refresh with and without scope, and a whole Bulk Data export where the provider offers one.
            {signInFirst && ' This credential set signs a user in: press Authorize and sign in first, and the run will read that sign-in and use its token.'}
          </p>
        )}
        {state.status === 'running' && (
          <div className="space-y-2" data-testid="conformance-progress">
            <ProgressBar value={null} label="Running the conformance checks" />
            <p className="text-xs text-zinc-700" role="status">
              {state.step ?? 'Running'}…
            </p>
          </div>
        )}
        {state.status === 'failed' && (
          <div className="space-y-2 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800" role="alert" data-testid="conformance-error">
            <p>{state.error}</p>
            <Button size="sm" onClick={run}>
              Try again
            </Button>
          </div>
        )}
        {state.summary && (
          <div className="flex flex-wrap items-center gap-2" data-testid="conformance-summary" role="status">
            {SUMMARY_ORDER.filter((o) => (state.summary?.[o] ?? 0) > 0).map((o) => (
              <Badge key={o} tone={OUTCOME_TONE[o]} data-outcome={o}>
                <span aria-hidden="true">{OUTCOME_MARK[o]}</span> {state.summary?.[o]} {SUMMARY_WORDS[o]}
              </Badge>
            ))}
            {state.startedAt && state.finishedAt && <span className="text-xs text-zinc-600">in {((state.finishedAt - state.startedAt) / 1000).toFixed(1)} s</span>}
          </div>
        )}
        {results.length > 0 && (
          <div className="space-y-4">
            {checkGroupSchema.options.map((group) => {
              const inGroup = (catalogue.data?.checks ?? []).filter((c) => c.group === group).flatMap((c) => (state.results[c.id] ? [state.results[c.id]!] : []));
              if (inGroup.length === 0) return null;
              const ran = inGroup.filter((r) => r.outcome !== 'skip');
              const skipped = inGroup.filter((r) => r.outcome === 'skip');
              const reasons = [...new Set(skipped.map((r) => r.message))];
              return (
                <section key={group} aria-labelledby={`conformance-group-${group}`} className="space-y-2">
                  <h3 id={`conformance-group-${group}`} className="flex flex-wrap items-baseline gap-x-2 text-sm font-semibold text-zinc-900">
                    {CHECK_GROUP_LABELS[group]}
                    <span className="text-xs font-normal text-zinc-600">{describeOutcomes(inGroup)}</span>
                  </h3>
                  {ran.length > 0 && <CheckResultList results={ran} testId="conformance-check" onShowExchange={(id) => revealExchange(id)} />}
                  {skipped.length > 0 && (
                    // Skipped checks fold away with their reason: a run against a backend-only server skips a third of the catalogue.
                    <Disclosure summary={`${skipped.length} skipped${reasons.length === 1 ? `: ${reasons[0]}` : ''}`} summaryClassName="font-normal">
                      <CheckResultList results={skipped} testId="conformance-check" />
                    </Disclosure>
                  )}
                </section>
              );
            })}
          </div>
        )}
        {(state.status === 'done' || presetId) && (
          <div className="flex flex-wrap gap-2 border-t border-zinc-100 pt-3">
            {state.status === 'done' && (
              <>
                <Button size="sm" data-testid="download-conformance-md" onClick={() => downloadText(`${fileBase}.md`, conformanceReportMarkdown(reportInput()), 'text/markdown')}>
                  Download report (Markdown)
                </Button>
                <Button size="sm" data-testid="download-conformance-json" onClick={() => downloadText(`${fileBase}.json`, conformanceReportJson(reportInput()), 'application/json')}>
                  Download report (JSON)
                </Button>
              </>
            )}
            {presetId &&
              infernoLinks.map((link) => (
                <a
                  key={link.suite}
                  href={infernoHref(link.suite) || undefined}
                  download
                  data-testid={link.testId}
                  className="inline-flex h-7 items-center rounded-md border border-zinc-300 bg-white px-2.5 text-xs text-zinc-800 shadow-xs hover:border-zinc-400 hover:bg-zinc-50"
                  title="The inputs of Inferno’s own suite for this server and client, no secret: upload them in Inferno’s inputs dialog (JSON tab) to start the formal run from what the console proved"
                >
                  {link.label}
                </a>
              ))}
          </div>
        )}
      </div>
    </Card>
  );
}
