'use client';

import { useRef, useState } from 'react';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useSetSimulations } from '@/lib/client/hooks';
import type { SimulatedFailure } from '@/lib/contract/schemas';
import { simulatedFailureOptions, simulatedFailureOptionsFor, toggleFailure } from '@/lib/client/simulations';
import type { SandboxFeatures } from '@/lib/contract/simulated-failures';

export interface FailureSimulationProps {
  providerId: string;
  providerName: string;
  /** The failures switched on for this provider in the session. */
  failures: readonly SimulatedFailure[];
  /** What the provider's built-in sandbox supports: its DPoP and PAR failures are offered only then. */
  features: SandboxFeatures;
}

/**
 * "Simulate a failure…": a drawer of switches that make the provider's built-in sandbox fail on purpose for this
 * session only, so the console's reaction and explanation can be watched; what is on stays named beside the button.
 * Shown only on the built-in sandbox.
 */
export function FailureSimulation({ providerId, providerName, failures, features }: FailureSimulationProps) {
  const options = simulatedFailureOptionsFor(features);
  const setSimulations = useSetSimulations();
  // What was asked for, shown from the click on (a controlled checkbox would otherwise flip back) until the
  // server's answer is in the session.
  const [asked, setAsked] = useState<{ providerId: string; failures: readonly SimulatedFailure[] } | null>(null);
  const pendingHere = setSimulations.isPending && setSimulations.variables?.providerId === providerId;
  const current = asked?.providerId === providerId ? asked.failures : failures;
  const error = setSimulations.error && setSimulations.variables?.providerId === providerId ? setSimulations.error : null;
  const save = (next: readonly SimulatedFailure[]) => {
    setAsked({ providerId, failures: next });
    setSimulations.mutate({ providerId, failures: next }, { onSettled: () => setAsked(null) });
  };

  const dialogRef = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const close = () => dialogRef.current?.close();
  const titleId = `simulate-${providerId}-title`;

  return (
    <div data-testid="failure-simulation" className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" className="w-full" onClick={() => {
            dialogRef.current?.showModal();
            setOpen(true);
          }} aria-haspopup="dialog" data-testid="failure-simulation-open">
          Simulate a failure…
        </Button>
        {current.length > 0 && (
          <>
            <Badge tone="amber" dot data-testid="failure-simulation-active">
              {current.length} on
            </Badge>
            <Button size="xs" disabled={pendingHere} onClick={() => save([])} data-testid="failure-simulation-off">
              Switch all off
            </Button>
          </>
        )}
      </div>
      {current.length > 0 && (
        <p className="text-xs leading-5 text-amber-800" data-testid="failure-simulation-summary">
          {providerName}&apos;s sandbox will fail on purpose: {current.map((value) => labelOf(value)).join(', ')}.
        </p>
      )}
      {error && !open && <ApiErrorCard error={error} />}
      {/* A drawer (issue #16): fourteen switches would push every result below them. */}
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        onClose={() => setOpen(false)}
        className="m-0 ml-auto h-dvh max-h-none w-full max-w-md border-l border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/40"
        onClick={(event) => {
          if (event.target === event.currentTarget) close();
        }}
      >
        <div className="flex min-h-full flex-col">
          <header className="sticky top-0 flex items-start justify-between gap-3 border-b border-zinc-100 bg-white px-4 py-3">
            <div className="min-w-0">
              <h2 id={titleId} className="text-sm font-semibold text-zinc-900">
                Simulate a failure
              </h2>
              <p className="mt-0.5 text-xs leading-5 text-zinc-600">
                Make {providerName}&apos;s built-in sandbox fail on purpose, for this session only, and watch how the console reacts.
              </p>
            </div>
            <Button size="sm" onClick={close} data-testid="failure-simulation-close">
              Close
            </Button>
          </header>
          <ul className="space-y-3 px-4 py-4">
            {options.map((option) => {
              const id = `simulate-${providerId}-${option.value}`;
              return (
                <li key={option.value} className="flex items-start gap-2.5">
                  <input
                    id={id}
                    type="checkbox"
                    className="mt-0.5 size-4 shrink-0 accent-amber-600"
                    checked={current.includes(option.value)}
                    disabled={pendingHere}
                    aria-describedby={`${id}-description`}
                    onChange={(event) => save(toggleFailure(current, option.value, event.target.checked))}
                  />
                  <div className="min-w-0">
                    <label htmlFor={id} className="text-sm font-medium text-zinc-900">
                      {option.label}
                    </label>
                    <p id={`${id}-description`} className="text-xs leading-5 text-zinc-600">
                      {option.description}
                    </p>
                  </div>
                </li>
              );
            })}
          </ul>
          {error && open && <ApiErrorCard className="mx-4 mb-4" error={error} />}
        </div>
      </dialog>
    </div>
  );
}

function labelOf(value: SimulatedFailure): string {
  return simulatedFailureOptions.find((option) => option.value === value)?.label ?? value;
}
