'use client';

import { useState } from 'react';
import { DiagnosisList } from '@/components/diagnostics/diagnosis-list';
import { useExchangeDiagnoses } from '@/components/diagnostics/use-exchange-diagnoses';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Chevron } from '@/components/ui/disclosure';
import { StatusCode } from '@/components/ui/status-code';
import { formatDuration } from '@/components/fhir/fhir-utils';
import { epochToMs, formatClockTime } from '@/lib/client/relative-time';
import { isBrowserLeg, type ExchangeDto } from '@/lib/contract/schemas';
import { CheckResultList, ExchangeChecksBadge } from '@/components/conformance/check-results';
import { CopyCurl } from './copy-curl';
import { ExchangeDetail } from './exchange-detail';
import { splitUrl } from './timeline-utils';

const kindTone: Record<ExchangeDto['kind'], BadgeTone> = {
  token: 'violet',
  fhir: 'blue',
  jwks: 'neutral',
  other: 'neutral',
  authorize: 'amber',
  callback: 'amber',
  par: 'violet',
};

export function TimelineRow({ exchange, index }: { exchange: ExchangeDto; index: number }) {
  const { origin, rest } = splitUrl(exchange.url);
  const diagnoses = useExchangeDiagnoses(exchange.id);
  const checks = exchange.checks ?? [];
  const [open, setOpen] = useState(false);
  return (
    <li id={exchangeRowId(exchange.id)} data-testid="timeline-row" data-kind={exchange.kind} data-status={exchange.status ?? undefined}>
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary className="grid cursor-pointer list-none grid-cols-[auto_auto_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 px-4 py-2 text-xs hover:bg-zinc-50 sm:grid-cols-[auto_4rem_3.5rem_3.5rem_minmax(0,1fr)_6rem_4.5rem] [&::-webkit-details-marker]:hidden">
          <Chevron />
          <span className="hidden font-mono text-xs text-zinc-600 tabular-nums sm:inline">
            {formatClockTime(epochToMs(exchange.startedAt))}
          </span>
          <span className="hidden sm:inline">
            <Badge tone={kindTone[exchange.kind]}>{exchange.kind}</Badge>
          </span>
          <span className="font-mono font-semibold text-zinc-800">{exchange.method}</span>
          <span className="flex min-w-0 items-center gap-2">
            <span className="min-w-0 truncate font-mono text-zinc-700" title={exchange.url}>
              <span className="text-zinc-600">{origin}</span>
              {rest}
            </span>
            {exchange.probe && (
              <Badge tone="amber" className="shrink-0" title={exchange.probe}>
                probe
              </Badge>
            )}
            {checks.length > 0 && <ExchangeChecksBadge results={checks} />}
          </span>
          <span>
            {isBrowserLeg(exchange) && exchange.status === null ? (
              <Badge tone="amber">browser</Badge>
            ) : exchange.error && exchange.status === null ? (
              <Badge tone="red">network error</Badge>
            ) : (
              <StatusCode status={exchange.status} />
            )}
          </span>
          <span className="hidden text-right font-mono text-xs text-zinc-600 tabular-nums sm:inline">
            {formatDuration(exchange.durationMs)}
          </span>
          {diagnoses.length > 0 && (
            <span className="col-span-full text-xs text-red-700 sm:col-start-5" data-testid="timeline-diagnosis">
              {diagnoses.map((d) => d.title).join(' · ')}
            </span>
          )}
          <span className="sr-only">exchange {index + 1}</span>
        </summary>
        <div className="space-y-3 border-t border-zinc-100 bg-zinc-50/40 px-4 py-3">
          <DiagnosisList diagnoses={diagnoses} />
          {exchange.probe && (
            <p className="text-xs text-amber-800" data-testid="exchange-probe">
              Sent wrong on purpose by Check this server: {exchange.probe}.
            </p>
          )}
          {/* Rendered once opened: the check titles come from the catalogue, read only when someone looks. */}
          {open && checks.length > 0 && (
            <section aria-label="Conformance checks" className="space-y-1.5">
              <h3 className="text-xs font-semibold text-zinc-800">Conformance checks</h3>
              <CheckResultList results={checks} />
            </section>
          )}
          <ExchangeDetail exchange={exchange} />
          {!isBrowserLeg(exchange) && <CopyCurl exchange={exchange} />}
        </div>
      </details>
    </li>
  );
}

export const exchangeRowId = (exchangeId: string) => `exchange-${exchangeId}`;

/** Opens an exchange's timeline row and brings it into view (the evidence of a conformance check). */
export function revealExchange(exchangeId: string): boolean {
  const row = document.getElementById(exchangeRowId(exchangeId));
  const details = row?.querySelector('details');
  if (!row || !details) return false;
  details.open = true;
  row.scrollIntoView({ block: 'center', behavior: 'smooth' });
  details.querySelector('summary')?.focus({ preventScroll: true });
  return true;
}
