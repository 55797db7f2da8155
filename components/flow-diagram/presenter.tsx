'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { FlowDiagram } from '@/lib/client/flow-diagram/model';
import { SequenceDiagram } from './sequence-diagram';
import { StepCitations } from './step-citations';

export interface PresenterProps {
  diagram: FlowDiagram;
  /** What is shown: the live session, or a recording replayed (no request is made either way). */
  source: string;
  onClose: () => void;
}

/**
 * Presenter mode for onboarding demos: full screen, large type, the diagram and the current step only. ArrowRight,
 * Space and PageDown go forward, ArrowLeft, Shift+Space and PageUp back, Home and End to the ends, Escape leaves
 * (focus goes back to the button that opened it). Follows the live session: a new step can be stepped to as it lands.
 */
export function Presenter({ diagram, source, onClose }: PresenterProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [index, setIndex] = useState(0);
  const count = diagram.steps.length;
  const current = Math.min(index, Math.max(0, count - 1));
  const step = diagram.steps[current];

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    dialog.showModal();
    // The Fullscreen API where the browser allows it; the modal already covers the viewport where it does not.
    void dialog.requestFullscreen?.().catch(() => undefined);
    return () => {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, []);

  // The active arrow stays in view as the presenter steps through a long flow.
  useEffect(() => {
    if (!step) return;
    const arrow = dialogRef.current?.querySelector(`[data-step="${step.id}"]`);
    arrow?.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
  }, [step]);

  const go = (next: number) => setIndex(Math.max(0, Math.min(count - 1, next)));

  // On the document, not the dialog: a button that becomes disabled at the last step drops focus to the body.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const forward = event.key === 'ArrowRight' || event.key === 'PageDown' || (event.key === ' ' && !event.shiftKey);
      const back = event.key === 'ArrowLeft' || event.key === 'PageUp' || (event.key === ' ' && event.shiftKey);
      if (forward) setIndex((i) => Math.min(count - 1, Math.min(i, count - 1) + 1));
      else if (back) setIndex((i) => Math.max(0, Math.min(i, count - 1) - 1));
      else if (event.key === 'Home') setIndex(0);
      else if (event.key === 'End') setIndex(Math.max(0, count - 1));
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [count]);

  return (
    <dialog
      ref={dialogRef}
      data-testid="presenter"
      aria-label={`Presenter mode: ${diagram.providerName}`}
      onClose={onClose}
      className="m-0 h-dvh max-h-none w-screen max-w-none bg-white p-0 text-zinc-950 backdrop:bg-zinc-950"
    >
      <div className="grid h-full grid-rows-[auto_minmax(0,1fr)_auto] lg:grid-cols-[minmax(0,1fr)_32rem] lg:grid-rows-[auto_minmax(0,1fr)]">
        <header className="col-span-full flex flex-wrap items-center justify-between gap-3 border-b-2 border-zinc-900 px-6 py-3">
          <p className="text-xl font-semibold">
            {diagram.providerName} <span className="font-normal text-zinc-700">· {source}</span>
          </p>
          <div className="flex items-center gap-3">
            <Button onClick={() => go(current - 1)} disabled={current === 0} data-testid="presenter-previous" aria-keyshortcuts="ArrowLeft Shift+Space">
              ← Previous
            </Button>
            <span className="min-w-16 text-center text-lg font-semibold tabular-nums" data-testid="presenter-count">
              {count === 0 ? '0 / 0' : `${current + 1} / ${count}`}
            </span>
            <Button onClick={() => go(current + 1)} disabled={current >= count - 1} data-testid="presenter-next" aria-keyshortcuts="ArrowRight Space">
              Next →
            </Button>
            <Button variant="ghost" onClick={() => dialogRef.current?.close()} data-testid="presenter-close" aria-keyshortcuts="Escape">
              Close
            </Button>
          </div>
        </header>
        <div className="min-h-0 overflow-auto p-4" tabIndex={0} role="region" aria-label="The flow as a sequence diagram">
          <SequenceDiagram diagram={diagram} size="large" activeStepId={step?.id ?? null} onSelectStep={(id) => go(diagram.steps.findIndex((s) => s.id === id))} svgId="presenter-diagram" className="h-auto w-full max-w-[60rem]" />
        </div>
        <section className="min-h-0 overflow-auto border-t-2 border-zinc-900 px-6 py-5 lg:border-t-0 lg:border-l-2" aria-live="polite" data-testid="presenter-step">
          {step ? (
            <div className="space-y-4">
              <h2 className={cn('text-2xl leading-snug font-bold', step.tone === 'failed' && 'text-red-800')}>
                {step.number}. {step.title}
              </h2>
              <p className="text-lg leading-relaxed">{step.explanation}</p>
              {step.problems.map((problem) => (
                <p key={problem} className="text-lg font-semibold text-red-800">
                  {problem}
                </p>
              ))}
              {step.quirks.map((quirk) => (
                <p key={quirk} className="rounded-md border-2 border-amber-600 px-3 py-2 text-base">
                  Quirk of {diagram.providerName}: {quirk}
                </p>
              ))}
              {step.keyLines.length > 0 && (
                <pre className="overflow-x-auto rounded-md bg-zinc-950 px-4 py-3 font-mono text-sm leading-6 whitespace-pre-wrap text-white wrap-anywhere" data-testid="presenter-key-lines">
                  {step.keyLines.join('\n')}
                </pre>
              )}
              <StepCitations citations={step.citations} className="gap-x-4 text-base" linkClassName="text-indigo-800 underline-offset-4" />
            </div>
          ) : (
            <p className="text-lg">No steps yet: get a token, or run the demo, and they appear here.</p>
          )}
          <p className="mt-6 text-sm text-zinc-700">← → or Space to step, Home and End to the ends, Esc to leave.</p>
        </section>
      </div>
    </dialog>
  );
}
