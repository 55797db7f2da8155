'use client';

import { useState } from 'react';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Disclosure } from '@/components/ui/disclosure';
import { useSetSimulations } from '@/lib/client/hooks';
import type { SimulatedFailure } from '@/lib/contract/schemas';
import { simulatedFailureOptions, toggleFailure } from '@/lib/client/simulations';

export interface FailureSimulationProps {
  providerId: string;
  providerName: string;
  /** The failures switched on for this provider in the session. */
  failures: readonly SimulatedFailure[];
}

/**
 * "Simulate a failure": switches failures of the provider's built-in sandbox on and off for this session only,
 * so the console's reaction and explanation can be watched. Shown only on the built-in sandbox.
 */
export function FailureSimulation({ providerId, providerName, failures }: FailureSimulationProps) {
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

  return (
    <Card
      data-testid="failure-simulation"
      title="Simulate a failure"
      description={`Make ${providerName}'s built-in sandbox fail on purpose, for this session only, and watch how the console reacts.`}
      actions={
        <>
          {current.length > 0 && (
            <Badge tone="amber" dot data-testid="failure-simulation-active">
              {current.length} active
            </Badge>
          )}
          <Button size="sm" disabled={current.length === 0 || pendingHere} onClick={() => save([])} data-testid="failure-simulation-off">
            Switch all off
          </Button>
        </>
      }
    >
      {/* Folded until used (issue #16): fourteen switches would push every result below them. */}
      <Disclosure
        defaultOpen={current.length > 0}
        summary={current.length > 0 ? `The ${simulatedFailureOptions.length} failures (${current.length} on)` : `Choose from ${simulatedFailureOptions.length} failures`}
      >
        <ul className="grid gap-x-6 gap-y-3 md:grid-cols-2 xl:grid-cols-3">
          {simulatedFailureOptions.map((option) => {
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
      </Disclosure>
      {error && <ApiErrorCard className="mt-4" error={error} />}
    </Card>
  );
}
