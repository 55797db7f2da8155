import 'server-only';
import type { ConsoleHost } from '../host';
import { builtinRedirectUris } from '../redirect-uris';
import { createMemoryState, processSandboxState, scopedState, type SandboxState } from '../shared/state';
import type { OneUpContext } from './context';
import { createExportJobStore, defaultJobDurationMs } from './export-jobs';
import { sharedKeycloakSigningKey } from './keys';
import { createPatientAccessStore } from './patient-access-store';
import { isKeycloakTokenPath, routeRequest } from './router';

/** Settings for one emulator instance; every field has a default, tests override them. */
export interface OneUpHealthSandboxOptions {
  /** Clock in epoch milliseconds. Defaults to `Date.now`. */
  now?: () => number;
  /** Public path the sandbox is mounted at. Defaults to `/sandbox/1uphealth`. */
  mountPath?: string;
  /** Redirect URIs of the Patient Access demo app. Defaults to the console's callbacks (`builtinRedirectUris`). */
  redirectUris?: readonly string[];
  /** Members of tenant bison. Defaults to 200. */
  bisonMembers?: number;
  /** Members of the demo health plan. Defaults to 50. */
  demoPlanMembers?: number;
  /** Bulk export duration by number of members. Defaults to 1.5 s + 1 s per 20,000 members, at most 6 s. */
  jobDurationMs?: (members: number) => number;
  /** Where the signing key, export jobs, sign-ins, codes and tokens are kept. Defaults to a new in-memory store. */
  state?: SandboxState;
}

/** A fetch-style handler: a Request and the path after the mount point in, a Response out. */
export interface OneUpHealthSandbox {
  handle(request: Request, path: string): Promise<Response>;
  /** Only the Keycloak token endpoint reads a GET's body. */
  readsGetBody(path: string): boolean;
}

/**
 * Creates an emulator of 1upHealth: Keycloak realm `dev-portal` (client-credentials token, certs, discovery),
 * the tenant-bison FHIR R4 server with bulk `$export` (Provider Access, Payer-to-Payer), and the 1up Demo
 * Health Plan's Patient Access authorization server, sign-in pages and FHIR R4 server. The signing key, jobs,
 * sign-ins, codes and tokens live in `options.state` (under `1uphealth:`), so instances sharing it answer alike.
 * @see ../shared/PROVIDERS.md section "4. 1upHealth" (relative to the repository root)
 */
export function createOneUpHealthSandbox(options: OneUpHealthSandboxOptions = {}): OneUpHealthSandbox {
  const state = scopedState(options.state ?? createMemoryState(), '1uphealth');
  const context: OneUpContext = {
    now: options.now ?? Date.now,
    getSigningKey: sharedKeycloakSigningKey(state),
    mountPath: options.mountPath ?? '/sandbox/1uphealth',
    redirectUris: options.redirectUris ?? builtinRedirectUris('1uphealth'),
    bisonMembers: options.bisonMembers ?? 200,
    demoPlanMembers: options.demoPlanMembers ?? 50,
    jobs: createExportJobStore(state),
    jobDurationMs: options.jobDurationMs ?? defaultJobDurationMs,
    patientAccess: createPatientAccessStore(state),
  };
  return { handle: (request, path) => routeRequest(context, request, path), readsGetBody: isKeycloakTokenPath };
}

const globalKey = Symbol.for('console.sandbox.1uphealth');

/**
 * The process-wide sandbox instance, on the console's sandbox state (Redis when configured). It lives on `globalThis`
 * because Next.js may evaluate route modules more than once, and they must share one instance.
 */
export function getOneUpHealthSandbox(consoleHost: ConsoleHost): OneUpHealthSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: OneUpHealthSandbox };
  return (holder[globalKey] ??= createOneUpHealthSandbox({ state: processSandboxState(() => consoleHost.stateSettings()) }));
}
