import 'server-only';
import { deterministicUuid } from '../shared/hash';
import type { SandboxState } from '../shared/state';
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

/** The sandbox's job table, shared by every instance that shares its state. */
export interface JobStore {
  create(input: NewExportJob): Promise<ExportJob>;
  get(id: number): Promise<ExportJob | undefined>;
  /** Jobs of one ACO, oldest first. */
  listForAco(acoId: string): Promise<ExportJob[]>;
  /** Cancels a Pending or In Progress job; false when the job is in any other state or another request cancelled it. */
  cancel(job: ExportJob, nowMs: number): Promise<boolean>;
}

/** How long a job's record is kept after it completes: its 24 hours of files, then a week of answering 410. */
export const jobRetentionMs = archiveThresholdMs + 7 * 24 * 60 * 60 * 1000;

/**
 * Creates a job table in `state` with numeric ids from 1 (one sequence for every instance). Only job descriptions are
 * stored (never data): `job:<id>` for the job, `aco-jobs:<acoId>` for the ids of an ACO's jobs (the job list), each
 * kept {@link jobRetentionMs} after completion. A listing reads at most the newest `maxJobsListed` of an ACO's jobs.
 */
export function createJobStore(state: SandboxState, options: { maxJobsListed?: number } = {}): JobStore {
  const maxJobsListed = options.maxJobsListed ?? 1000;
  const lifetimeMs = (job: ExportJob) => job.durationMs + jobRetentionMs;
  return {
    async create(input) {
      const id = await state.nextInSequence('job-id');
      const files = input.resourceTypes.map((type) => ({
        type,
        name: `${deterministicUuid(`${input.acoId}/${id}/${type}`)}.ndjson`,
      }));
      const job: ExportJob = { ...input, id, files };
      await state.set(`job:${id}`, job, lifetimeMs(job));
      await state.addToSet(`aco-jobs:${input.acoId}`, id, lifetimeMs(job));
      return job;
    },
    get: (id) => state.get<ExportJob>(`job:${id}`),
    async listForAco(acoId) {
      const ids = (await state.setMembers<number>(`aco-jobs:${acoId}`)).sort((a, b) => a - b).slice(-maxJobsListed);
      const jobs = await Promise.all(ids.map((id) => state.get<ExportJob>(`job:${id}`)));
      return jobs.filter((job): job is ExportJob => job !== undefined && job.acoId === acoId);
    },
    async cancel(job, nowMs) {
      const status = getJobStatus(job, nowMs);
      if (status !== 'Pending' && status !== 'In Progress') return false;
      // One cancel wins even when two instances receive a DELETE at once; the other answers as for a cancelled job.
      if (!(await state.setIfAbsent(`cancel:${job.id}`, nowMs, lifetimeMs(job)))) return false;
      await state.set(`job:${job.id}`, { ...job, cancelledAtMs: nowMs }, lifetimeMs(job));
      return true;
    },
  };
}
