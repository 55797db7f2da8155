import 'server-only';
import type { ProviderDto } from '@/lib/contract/schemas';
import { simulateHeader, tokenSideFailures, type SimulatedFailure } from '@/lib/contract/simulated-failures';

type EnvironmentKind = ProviderDto['environments'][number]['kind'];

/**
 * The request header that asks a built-in sandbox to simulate the session's failures; none for any other
 * environment, so a simulation can never reach a real provider.
 * @see ../sandbox/shared/simulation.ts
 */
export function simulationHeaders(environmentKind: EnvironmentKind, failures: readonly SimulatedFailure[] | undefined): [string, string][] {
  if (environmentKind !== 'builtin' || !failures || failures.length === 0) return [];
  return [[simulateHeader, failures.join(',')]];
}

/** True when a simulated failure would change the token endpoint's answer (then a live token is not reused). */
export function simulatesTokenFailure(environmentKind: EnvironmentKind, failures: readonly SimulatedFailure[] | undefined): boolean {
  return environmentKind === 'builtin' && (failures ?? []).some((f) => tokenSideFailures.has(f));
}
