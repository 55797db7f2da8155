import 'server-only';
import { deterministicUuid } from '../shared/hash';
import type { ApiVersion } from './export-request';
import type { BcdaResourceType } from './synthetic-data';

/** Files and finished jobs are kept 24 hours after completion (`ARCHIVE_THRESHOLD_HR`). */
export const archiveThresholdMs = 24 * 60 * 60 * 1000;

/** Job statuses as BCDA names them (`models.JobStatus`), limited to the ones the sandbox produces. */
export type JobStatus = 'Pending' | 'In Progress' | 'Completed' | 'Expired' | 'Cancelled';

/** One NDJSON file of a job's output. */
export interface ExportFile {
  type: BcdaResourceType;
  /** `<uuid>.ndjson`, deterministic per job and type. */
  name: string;
}

/** A bulk export job. Its progress is a function of time: nothing runs in the background. */
export interface ExportJob {
  id: number;
  acoId: string;
  enrollees: number;
  version: ApiVersion;
  /** The kick-off URL as received, reported back as the manifest's `request`. */
  requestUrl: string;
  resourceTypes: BcdaResourceType[];
  sinceMs?: number;
  createdAtMs: number;
  durationMs: number;
  cancelledAtMs?: number;
  files: ExportFile[];
}

/** When the job finished (or will finish); BCDA's `UpdatedAt` for a completed job. */
export function getCompletedAtMs(job: ExportJob): number {
  return job.createdAtMs + job.durationMs;
}

/** Percent of the job done at `nowMs`, 0–100. */
export function getProgressPercent(job: ExportJob, nowMs: number): number {
  if (job.durationMs <= 0) return 100;
  return Math.max(0, Math.min(100, Math.floor(((nowMs - job.createdAtMs) / job.durationMs) * 100)));
}

// The first tenth of a job reads as "Pending", as a real job waits in the queue before workers pick it up.
const pendingPercent = 10;

/** The job's status at `nowMs`. */
export function getJobStatus(job: ExportJob, nowMs: number): JobStatus {
  if (job.cancelledAtMs !== undefined) return 'Cancelled';
  const completedAt = getCompletedAtMs(job);
  if (nowMs < completedAt) return getProgressPercent(job, nowMs) < pendingPercent ? 'Pending' : 'In Progress';
  return nowMs - completedAt > archiveThresholdMs ? 'Expired' : 'Completed';
}

/** What the store needs to create a job; it assigns the id and file names. */
export type NewExportJob = Omit<ExportJob, 'id' | 'files'>;

/** In-memory job table of one sandbox instance. */
export interface JobStore {
  create(input: NewExportJob): ExportJob;
  get(id: number): ExportJob | undefined;
  /** Jobs of one ACO, oldest first. */
  listForAco(acoId: string): ExportJob[];
  /** Cancels a Pending or In Progress job; false when the job is in any other state. */
  cancel(job: ExportJob, nowMs: number): boolean;
}

/**
 * Creates a job table with numeric ids from 1. Only job descriptions are stored (never data), and the oldest
 * jobs are forgotten beyond `maxJobs` so a long-running server stays small.
 */
export function createJobStore(options: { maxJobs?: number } = {}): JobStore {
  const maxJobs = options.maxJobs ?? 1000;
  const jobs = new Map<number, ExportJob>();
  let nextId = 1;
  return {
    create(input) {
      const id = nextId++;
      const files = input.resourceTypes.map((type) => ({
        type,
        name: `${deterministicUuid(`${input.acoId}/${id}/${type}`)}.ndjson`,
      }));
      const job: ExportJob = { ...input, id, files };
      jobs.set(id, job);
      for (const oldest of jobs.keys()) {
        if (jobs.size <= maxJobs) break;
        jobs.delete(oldest);
      }
      return job;
    },
    get: (id) => jobs.get(id),
    listForAco: (acoId) => [...jobs.values()].filter((job) => job.acoId === acoId),
    cancel(job, nowMs) {
      const status = getJobStatus(job, nowMs);
      if (status !== 'Pending' && status !== 'In Progress') return false;
      job.cancelledAtMs = nowMs;
      return true;
    },
  };
}
