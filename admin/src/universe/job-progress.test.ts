import { describe, expect, it } from 'vitest';
import type { AdminGenerateJob, RealtimeFrame } from '../../../client/index.js';
import { startProgress, withFrame, withJob } from './job-progress.js';

const job = (over: Partial<AdminGenerateJob> = {}): AdminGenerateJob => ({
  id: 'job-1',
  state: 'running',
  seed: 's',
  table: null,
  written: 0,
  total: 0,
  error: null,
  started_at: '2026-12-03T10:00:00.000Z',
  finished_at: null,
  ...over,
});
const frame = (type: string, data: Record<string, unknown>): RealtimeFrame => ({ id: 1, type, topic: 'admin', at: '2026-12-03T10:00:01.000Z', data });

describe('following a generation job', () => {
  it('keeps each table at its latest count, in the order written, then ends with the done event', () => {
    let p = startProgress(job());
    p = withFrame(p, frame('admin.generate.progress', { job_id: 'job-1', table: 'sectors', written: 30, total: 30 }));
    p = withFrame(p, frame('admin.generate.progress', { job_id: 'job-1', table: 'warps', written: 40, total: 90 }));
    p = withFrame(p, frame('admin.generate.progress', { job_id: 'job-1', table: 'warps', written: 90, total: 90 }));
    p = withFrame(p, frame('admin.generate.progress', { job_id: 'other', table: 'ports', written: 5, total: 5 }));
    expect(p.tables).toEqual([
      { table: 'sectors', written: 30, total: 30 },
      { table: 'warps', written: 90, total: 90 },
    ]);
    p = withFrame(p, frame('admin.generate.done', { job_id: 'job-1', seed: 's', sectors: 30, warps: 92, ports: 4, region_id: 3 }));
    expect([p.state, p.written]).toEqual(['done', { sectors: 30, warps: 92, ports: 4, regionId: 3 }]);
    // A late poll changes nothing once it ended.
    expect(withJob(p, job({ state: 'running', table: 'planets', written: 1, total: 2 }))).toBe(p);
  });

  it('fills in the counts of a job the 202 already called done (the events arrive after it)', () => {
    let p = startProgress(job({ state: 'done', table: 'planets', written: 5, total: 5 }));
    expect([p.state, p.tables]).toEqual(['done', []]);
    p = withFrame(p, frame('admin.generate.progress', { job_id: 'job-1', table: 'sectors', written: 30, total: 30 }));
    p = withFrame(p, frame('admin.generate.done', { job_id: 'job-1', seed: 's', sectors: 30, warps: 92, ports: 4, region_id: 3 }));
    expect(p.tables).toEqual([{ table: 'sectors', written: 30, total: 30 }]);
    expect(p.written).toEqual({ sectors: 30, warps: 92, ports: 4, regionId: 3 });
  });

  it('never goes back: a poll behind the events, or an older event, changes nothing', () => {
    let p = withFrame(startProgress(job()), frame('admin.generate.progress', { job_id: 'job-1', table: 'warps', written: 90, total: 90 }));
    expect(withJob(p, job({ table: 'warps', written: 40, total: 90 }))).toBe(p);
    expect(withFrame(p, frame('admin.generate.progress', { job_id: 'job-1', table: 'warps', written: 40, total: 90 }))).toBe(p);
    p = withJob(p, job({ state: 'failed', table: 'ports', written: 0, total: 4, error: 'the galaxy grew' }));
    expect([p.state, p.error, p.tables.map((t) => t.table)]).toEqual(['failed', 'the galaxy grew', ['warps', 'ports']]);
  });
});
