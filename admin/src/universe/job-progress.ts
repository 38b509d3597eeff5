import type { AdminGenerateJob, RealtimeFrame } from '../../../client/index.js';

/**
 * A generation job as the Universe view follows it: the tables written so far (each with its
 * count), then how it ended. Fed by the admin topic's events, or by the job read over the API
 * when the socket is down; either source only moves it forward.
 */
export interface JobProgress {
  id: string;
  state: 'running' | 'done' | 'failed';
  /** tables in the order they were written, each at its latest count */
  tables: Array<{ table: string; written: number; total: number }>;
  error: string | null;
  /** what the done event said was written */
  written: { sectors: number; warps: number; ports: number; regionId: number | null } | null;
}

/** From the 202. A job that already ended there takes its tables from the events, in the order written. */
export function startProgress(job: AdminGenerateJob): JobProgress {
  const start: JobProgress = { id: job.id, state: 'running', tables: [], error: null, written: null };
  return job.state === 'running' ? withJob(start, job) : { ...start, state: job.state, error: job.error };
}

const withTable = (progress: JobProgress, table: string, written: number, total: number): JobProgress => {
  const at = progress.tables.findIndex((t) => t.table === table);
  if (at < 0) return { ...progress, tables: [...progress.tables, { table, written, total }] };
  if (progress.tables[at]!.written >= written) return progress;
  return { ...progress, tables: progress.tables.map((t, i) => (i === at ? { table, written, total } : t)) };
};

/**
 * A frame of the admin topic; frames of other jobs (or other kinds) leave it as it is. Counts
 * still fill in after the job is known to have ended: the 202 can already say "done" (on PGlite
 * the audit row waits for the write) while the events are on their way.
 */
export function withFrame(progress: JobProgress, frame: RealtimeFrame): JobProgress {
  const data = frame.data as Record<string, unknown>;
  if (data.job_id !== progress.id) return progress;
  if (frame.type === 'admin.generate.progress') return withTable(progress, String(data.table), Number(data.written), Number(data.total));
  if (frame.type === 'admin.generate.done' && progress.state !== 'failed') {
    const regionId = typeof data.region_id === 'number' ? data.region_id : null;
    return { ...progress, state: 'done', written: { sectors: Number(data.sectors), warps: Number(data.warps), ports: Number(data.ports), regionId } };
  }
  if (frame.type === 'admin.generate.failed' && progress.state === 'running') return { ...progress, state: 'failed', error: String(data.error) };
  return progress;
}

/** The job as the API reads it (the 202, and GET …/jobs/{id} while polling): it only moves forward. */
export function withJob(progress: JobProgress, job: AdminGenerateJob): JobProgress {
  if (job.id !== progress.id || progress.state !== 'running') return progress;
  const next = job.table ? withTable(progress, job.table, job.written, job.total) : progress;
  if (job.state === 'failed') return { ...next, state: 'failed', error: job.error };
  if (job.state === 'done') return { ...next, state: 'done' };
  return next;
}
