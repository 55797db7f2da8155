import 'server-only';
import type { SandboxStateSettings } from './shared/state';

/**
 * What a built-in sandbox knows of the console that mounts it. The mount (app/sandbox) hands it in, so that no
 * sandbox imports the console's server code: a sandbox depends only on lib/contract and the provider files, and an
 * emulator cannot quietly share a bug with the client it is meant to test.
 */
export interface ConsoleHost {
  /** The console's configured origin for a `host[:port]` it answers as, or null for any other host. */
  originOf(host: string): string | null;
  /** Where the console's server reaches itself, or undefined when that is not configured as a URL. */
  internalOrigin(): string | undefined;
  /** Where the sandboxes keep their state: in this process, or on the Redis every instance of the console shares. */
  stateSettings(): SandboxStateSettings;
}
