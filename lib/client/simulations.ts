import { failuresFor, simulatedFailureTable, type SandboxFeatures, type SimulatedFailure } from '@/lib/contract/simulated-failures';
import type { SimulationsDto } from '@/lib/contract/schemas';

/**
 * What the "Simulate a failure" card offers: each failure's label and what the console will show when it is on,
 * in the order the card lists them, read from the one table of simulated failures.
 */
export const simulatedFailureOptions: ReadonlyArray<{ value: SimulatedFailure; label: string; description: string }> = simulatedFailureTable.map(
  ({ value, label, description }) => ({ value, label, description }),
);

/** The card's options for a sandbox with these features (DPoP and PAR failures only where it supports them). */
export function simulatedFailureOptionsFor(features: SandboxFeatures): typeof simulatedFailureOptions {
  const offered = new Set(failuresFor(features));
  return simulatedFailureOptions.filter((option) => offered.has(option.value));
}

/** The failures switched on for a provider in the session. */
export function getProviderSimulations(simulations: readonly SimulationsDto[] | undefined, providerId: string): SimulatedFailure[] {
  return simulations?.find((s) => s.providerId === providerId)?.failures ?? [];
}

/** The list with `failure` switched on or off, in the card's order. */
export function toggleFailure(current: readonly SimulatedFailure[], failure: SimulatedFailure, on: boolean): SimulatedFailure[] {
  return simulatedFailureOptions
    .map((o) => o.value)
    .filter((value) => (value === failure ? on : current.includes(value)));
}
