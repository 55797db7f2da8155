import 'server-only';
import { builtinRedirectUris } from '../redirect-uris';
import { lazySigningKey } from '../shared/signing-key';
import type { OneUpContext } from './context';
import { createExportJobStore, defaultJobDurationMs } from './export-jobs';
import { createKeycloakSigningKey } from './keys';
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
 * Health Plan's Patient Access authorization server, sign-in pages and FHIR R4 server. Each instance has its own
 * signing key, jobs, codes and tokens.
 * @see ../shared/PROVIDERS.md section "4. 1upHealth" (relative to the repository root)
 */
export function createOneUpHealthSandbox(options: OneUpHealthSandboxOptions = {}): OneUpHealthSandbox {
  const context: OneUpContext = {
    now: options.now ?? Date.now,
    getSigningKey: lazySigningKey(createKeycloakSigningKey),
    mountPath: options.mountPath ?? '/sandbox/1uphealth',
    redirectUris: options.redirectUris ?? builtinRedirectUris('1uphealth'),
    bisonMembers: options.bisonMembers ?? 200,
    demoPlanMembers: options.demoPlanMembers ?? 50,
    jobs: createExportJobStore(),
    jobDurationMs: options.jobDurationMs ?? defaultJobDurationMs,
    patientAccess: createPatientAccessStore(),
  };
  return { handle: (request, path) => routeRequest(context, request, path), readsGetBody: isKeycloakTokenPath };
}

const globalKey = Symbol.for('console.sandbox.1uphealth');

/**
 * The process-wide sandbox instance. It lives on `globalThis` because Next.js may evaluate route modules more
 * than once, and tokens, codes, jobs and the signing key must be shared between them.
 */
export function getOneUpHealthSandbox(): OneUpHealthSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: OneUpHealthSandbox };
  return (holder[globalKey] ??= createOneUpHealthSandbox());
}
