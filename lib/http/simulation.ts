import 'server-only';
import type { ProviderDto, SimulatedFailure } from '@/lib/api-client/schemas';
import { simulateHeader } from '@/lib/sandbox/shared/simulation';

type EnvironmentKind = ProviderDto['environments'][number]['kind'];

/** The failures that change what a token endpoint answers (the others act on the API, or on refresh only). */
const tokenSideFailures: ReadonlySet<SimulatedFailure> = new Set([
  'invalid_client',
  'rate_limit_storm',
  'slow_token',
  'server_error',
  // The transport faults hit every endpoint, the token endpoint too.
  'no_answer',
  'malformed_json',
  'truncated_body',
  'connection_reset',
  'slow_body',
]);

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
