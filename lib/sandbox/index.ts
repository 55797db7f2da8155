import 'server-only';
import { getBcdaSandbox } from './bcda';
import { getBlueButtonSandbox } from './bluebutton';
import { getCandidSandbox } from './candid';
import { getHealthSherpaSandbox } from './healthsherpa';
import { getOneUpHealthSandbox } from './oneuphealth';
import type { ConsoleHost } from './host';
import { getSmartSandbox } from './smart';

/** What every built-in sandbox exposes: a fetch-style handler for the path after its mount point. */
export interface SandboxHandler {
  handle(request: Request, path: string): Promise<Response>;
  /**
   * Whether the emulated server reads the body of a GET to `path` (1upHealth's Keycloak token endpoint, as its docs'
   * `curl -X GET -d …` sends it). Absent: no path does, and such a body is dropped, as most servers ignore it.
   */
  readsGetBody?(path: string): boolean;
}

const sandboxes: Record<string, (consoleHost: ConsoleHost) => SandboxHandler> = {
  bcda: getBcdaSandbox,
  bluebutton: getBlueButtonSandbox,
  candid: getCandidSandbox,
  healthsherpa: getHealthSherpaSandbox,
  '1uphealth': getOneUpHealthSandbox,
  smart: getSmartSandbox,
};

/** The built-in sandbox for a provider id, mounted by `consoleHost`, or undefined when the provider has none. */
export function getSandboxHandler(providerId: string, consoleHost: ConsoleHost): SandboxHandler | undefined {
  return Object.hasOwn(sandboxes, providerId) ? sandboxes[providerId]?.(consoleHost) : undefined;
}
