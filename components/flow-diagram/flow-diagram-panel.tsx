'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { ExchangeDetail } from '@/components/timeline/exchange-detail';
import { copyText, downloadText } from '@/components/timeline/download-text';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { cn } from '@/components/ui/cn';
import { buildFlowDiagram } from '@/lib/client/flow-diagram/build';
import type { DiagramStep, FlowDiagram } from '@/lib/client/flow-diagram/model';
import { toMermaid } from '@/lib/client/flow-diagram/mermaid';
import { serializeDiagramSvg } from '@/lib/client/flow-diagram/svg-export';
import { useSession } from '@/lib/client/hooks';
import { exportFileName } from '@/lib/client/timeline/file-name';
import type { ProviderDto, ProviderEnvironmentDto, TokenDto } from '@/lib/contract/schemas';
import { ExportCode } from '@/components/flow-code/export-code';
import { FlowDiagramTools } from './flow-diagram-tools';
import { SequenceDiagram } from './sequence-diagram';
import { StepCitations } from './step-citations';

/** A long session is drawn from its latest steps; the rest are one click away. */
const RECENT_STEPS = 24;
const SVG_ID = 'flow-sequence-diagram';

export interface FlowDiagramPanelProps {
  provider: ProviderDto;
  environment: ProviderEnvironmentDto;
  /** The token shown beside the diagram: its flow is what Export as code writes. */
  token: TokenDto | undefined;
  /** The credential set selected: the demo script runs only with its own. */
  presetId: string | undefined;
  onClose: () => void;
}

/**
 * The provider's flow as a live sequence diagram beside its steps in plain words, each citing its spec. A click on
 * an arrow or a step shows that exchange as the timeline does (redacted by the server). Exports as Mermaid and SVG.
 */
export function FlowDiagramPanel({ provider, environment, token, presetId, onClose }: FlowDiagramPanelProps) {
  const session = useSession({ live: true });
  const full = useMemo(
    () => buildFlowDiagram({ provider, exchanges: session.data?.exchanges ?? [], tokens: session.data?.tokens ?? [] }),
    [provider, session.data],
  );
  const [showAll, setShowAll] = useState(false);
  const diagram = showAll ? full : recentPart(full, RECENT_STEPS);
  const hidden = full.steps.length - diagram.steps.length;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = diagram.steps.find((s) => s.id === selectedId) ?? null;
  const exchange = selected?.exchangeId ? session.data?.exchanges.find((e) => e.id === selected.exchangeId) : undefined;
  const [notice, setNotice] = useState<string | null>(null);

  // Live: the newest arrow stays in view as exchanges arrive.
  const scroller = useRef<HTMLDivElement>(null);
  const count = full.items.length;
  useEffect(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [count]);

  const saveMermaid = () => {
    downloadText(exportFileName(new Date(), 'mmd'), toMermaid(full), 'text/vnd.mermaid');
    setNotice('Mermaid file saved.');
  };
  const copyMermaid = async () => {
    setNotice((await copyText(toMermaid(full))) ? 'Mermaid text copied.' : 'The browser did not allow copying; use Save Mermaid.');
  };
  const saveSvg = () => {
    const svg = document.getElementById(SVG_ID);
    if (!(svg instanceof SVGSVGElement)) return;
    downloadText(exportFileName(new Date(), 'svg'), serializeDiagramSvg(svg), 'image/svg+xml');
    setNotice('SVG saved.');
  };

  return (
    <Card
      data-testid="flow-diagram"
      title={
        <>
          Sequence diagram <span className="font-normal text-zinc-600">· {provider.name}, {environment.label}</span>
        </>
      }
      description="Every exchange of this provider as it happens: the browser, the console server, the authorization server and the API. Secrets are redacted by the server."
      flush
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-100 px-4 py-2" role="toolbar" aria-label="Sequence diagram">
        <FlowDiagramTools provider={provider} environment={environment} presetId={presetId} diagram={full} session={session.data} />
        <ExportCode provider={provider} environment={environment} token={token} exchanges={session.data?.exchanges ?? []} />
        <Button size="sm" data-testid="diagram-save-mermaid" disabled={full.steps.length === 0} onClick={saveMermaid}>
          Save Mermaid
        </Button>
        <Button size="sm" data-testid="diagram-copy-mermaid" disabled={full.steps.length === 0} onClick={() => void copyMermaid()}>
          Copy Mermaid
        </Button>
        <Button size="sm" data-testid="diagram-save-svg" disabled={full.steps.length === 0} onClick={saveSvg}>
          Save SVG
        </Button>
        <Button size="sm" variant="ghost" className="ml-auto" data-testid="diagram-close" onClick={onClose}>
          Close
        </Button>
      </div>
      <p className="sr-only" role="status">
        {notice}
      </p>
      {full.steps.length === 0 ? (
        <EmptyState className="m-4" title="No exchanges with this provider yet">
          Get a token or authorize: each request the console makes appears here as an arrow, in order, as it happens.
        </EmptyState>
      ) : (
        <div className="grid gap-0 lg:grid-cols-[minmax(0,1fr)_24rem]">
          <div className="min-w-0 border-b border-zinc-100 lg:border-r lg:border-b-0">
            {hidden > 0 && (
              <p className="flex items-center justify-between gap-2 border-b border-zinc-100 px-4 py-2 text-xs text-zinc-600">
                {hidden} earlier {hidden === 1 ? 'step' : 'steps'} not drawn.
                <Button size="xs" variant="ghost" onClick={() => setShowAll(true)} data-testid="diagram-show-all">
                  Show all {full.steps.length}
                </Button>
              </p>
            )}
            {/* A region the keyboard can scroll (WCAG 2.1.1): on a phone the drawing is wider than the screen. */}
            <div ref={scroller} className="max-h-[70vh] overflow-auto p-2 focus-visible:outline-2 focus-visible:outline-indigo-500" tabIndex={0} role="region" aria-label="Sequence diagram drawing">
              <SequenceDiagram diagram={diagram} svgId={SVG_ID} activeStepId={selectedId} onSelectStep={(id) => setSelectedId(id === selectedId ? null : id)} />
            </div>
          </div>
          <ol className="max-h-[70vh] divide-y divide-zinc-100 overflow-y-auto" aria-label="Steps" data-testid="diagram-steps">
            {diagram.steps.map((step) => (
              <StepItem key={step.id} step={step} selected={step.id === selectedId} onSelect={() => setSelectedId(step.id === selectedId ? null : step.id)} />
            ))}
          </ol>
        </div>
      )}
      {selected && (
        <section className="space-y-3 border-t border-zinc-100 bg-zinc-50/40 px-4 py-3" data-testid="diagram-exchange" aria-label={`Step ${selected.number} in detail`}>
          <h3 className="text-sm font-semibold text-zinc-900">
            {selected.number}. {selected.title}
          </h3>
          {exchange ? <ExchangeDetail exchange={exchange} /> : <p className="text-xs text-zinc-600">No request was made in this step.</p>}
        </section>
      )}
    </Card>
  );
}

function StepItem({ step, selected, onSelect }: { step: DiagramStep; selected: boolean; onSelect: () => void }) {
  return (
    <li data-testid="diagram-step" data-step={step.id} data-category={step.category} data-tone={step.tone} className={cn('px-4 py-3 text-xs', selected && 'bg-indigo-50')}>
      <button type="button" onClick={onSelect} aria-expanded={selected} className="flex w-full items-start gap-2 text-left">
        <span
          className={cn(
            'mt-px inline-flex size-5 shrink-0 items-center justify-center rounded-full text-[0.7rem] font-bold text-white',
            step.tone === 'failed' ? 'bg-red-700' : selected ? 'bg-indigo-600' : 'bg-zinc-700',
          )}
        >
          {step.number}
        </span>
        <span className={cn('font-medium', step.tone === 'failed' ? 'text-red-800' : 'text-zinc-900')}>{step.title}</span>
      </button>
      <div className="mt-1 ml-7 space-y-1.5">
        <p className="text-zinc-700">{step.explanation}</p>
        {step.problems.map((problem) => (
          <p key={problem} className="text-red-700" data-testid="diagram-step-problem">
            {problem}
          </p>
        ))}
        {step.quirks.length > 0 && (
          <ul className="space-y-1" aria-label="Provider quirks">
            {step.quirks.map((quirk) => (
              <li key={quirk}>
                <Badge tone="amber" wrap>
                  Quirk: {quirk}
                </Badge>
              </li>
            ))}
          </ul>
        )}
        <StepCitations citations={step.citations} className="gap-x-2" linkClassName="text-indigo-700 decoration-indigo-300 underline-offset-2 hover:decoration-indigo-700" />
      </div>
    </li>
  );
}

/** The last `count` steps and their arrows; numbers stay those of the whole flow. */
function recentPart(diagram: FlowDiagram, count: number): FlowDiagram {
  if (diagram.steps.length <= count) return diagram;
  const steps = diagram.steps.slice(-count);
  const kept = new Set(steps.map((s) => s.id));
  return { ...diagram, steps, items: diagram.items.filter((i) => kept.has(i.stepId)) };
}
