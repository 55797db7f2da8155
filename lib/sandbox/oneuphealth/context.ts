import 'server-only';
import type { ExportJobStore } from './export-jobs';
import type { SigningKey } from '../shared/signing-key';
import type { PatientAccessStore } from './patient-access-store';

/** The state and settings one sandbox instance shares across its handlers. */
export interface OneUpContext {
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now(): number;
  getSigningKey(): Promise<SigningKey>;
  /** Where the sandbox is mounted on the public origin, e.g. `/sandbox/1uphealth`. */
  mountPath: string;
  /** Redirect URIs registered for the Patient Access demo app (exact match). */
  redirectUris: readonly string[];
  /** Members of tenant bison (Provider Access, Payer-to-Payer). */
  bisonMembers: number;
  /** Members of the demo health plan (Patient Access). */
  demoPlanMembers: number;
  jobs: ExportJobStore;
  /** How long a bulk export takes, by number of members exported. */
  jobDurationMs(members: number): number;
  patientAccess: PatientAccessStore;
}

/**
 * The public base URL of the sandbox for this request: the browser-facing origin (Host header) plus the mount
 * path. It stands in for both https://gateway.1up.health and https://auth.1updemohealthplan.com.
 */
export function getBaseUrl(context: OneUpContext, request: Request): string {
  return `${new URL(request.url).origin}${context.mountPath}`;
}
