import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AdminJobs, type AdminMe, ApiError, type ApiClient } from '../../../client/index.js';
import type { Router } from '../router.js';
import { duration, JOBS_REFRESH_MS, JobsView } from './Jobs.js';

const run = (over: Partial<AdminJobs['jobs'][number]['last']> = {}): AdminJobs['jobs'][number]['last'] => ({
  window_start: '2026-12-03T14:00:00.000Z',
  status: 'succeeded',
  trigger: 'schedule',
  owner: 'vm:1:abc',
  attempts: 1,
  started_at: '2026-12-03T14:00:00.000Z',
  finished_at: '2026-12-03T14:00:01.500Z',
  stats: { goods: 6 },
  error: null,
  ...over,
});
const answer: AdminJobs = {
  leaders: [{ name: 'jobs', owner: 'vm:1:abc', acquired_at: '2026-12-03T13:00:00.000Z', expires_at: '2026-12-03T15:00:00.000Z', live: true }],
  jobs: [
    { job: 'economy-snapshots', last: run(), failures: 0, last_failure: null },
    {
      job: 'market-drift',
      last: run({ status: 'failed', finished_at: '2026-12-03T14:00:00.250Z', stats: null, error: 'deadlock detected' }),
      failures: 2,
      last_failure: 'deadlock detected',
    },
    { job: 'rankings', last: run(), failures: 1, last_failure: 'lease lost' },
  ],
};

function renderJobs(jobs = vi.fn(async () => answer)) {
  const api = { admin: { ops: { jobs } } } as unknown as ApiClient;
  const me = { scopes: ['admin:read'] } as unknown as AdminMe;
  render(() => <JobsView api={api} me={me} router={{} as Router} rest="" />);
  return jobs;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('JobsView', () => {
  it('lists each job with its state and duration, and marks failures with their error', async () => {
    renderJobs();
    const rows = await screen.findAllByTestId('job-row');
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['economy-snapshots', 'market-drift', 'rankings']);
    const [ok, failed, recovered] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(ok.classList.contains('failed')).toBe(false);
    expect(ok.textContent).toContain('1.5 s');
    expect(ok.textContent).toContain('goods 6');
    expect(failed.classList.contains('failed')).toBe(true);
    expect(within(failed).getByTestId('job-state').textContent).toBe('failed');
    expect(failed.querySelector('.error-text')!.textContent).toBe('deadlock detected');
    expect(recovered.classList.contains('failed')).toBe(true);
    expect(recovered.querySelector('.error-text')!.textContent).toBe('last failure: lease lost');
    expect(screen.getByTestId('job-leaders').textContent).toContain('live');
  });

  it('asks again every 10 s while the page is visible, and when the button is pressed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const jobs = renderJobs();
    await screen.findAllByTestId('job-row');
    expect(jobs).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(JOBS_REFRESH_MS);
    await waitFor(() => expect(jobs).toHaveBeenCalledTimes(2));
    vi.useRealTimers();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(jobs).toHaveBeenCalledTimes(3));
  });

  it('says why when the API refuses, instead of failing the view', async () => {
    renderJobs(
      vi.fn(async (): Promise<AdminJobs> => {
        throw new ApiError(403, 'insufficient_scope', 'Missing admin:read');
      }),
    );
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Your account does not hold the scope this needs.'));
    expect(screen.queryAllByTestId('job-row')).toEqual([]);
    expect(screen.getByRole('heading', { name: 'Jobs' })).toBeTruthy();
  });

  it('says how long a run took, or how long it has been running', () => {
    expect(duration(run(), 0)).toBe('1.5 s');
    expect(duration(run({ finished_at: '2026-12-03T14:00:00.040Z' }), 0)).toBe('40 ms');
    // A running job's finished_at is null on the wire (the generated contract types it as a string).
    const running = run({ status: 'running', finished_at: null as unknown as string });
    expect(duration(running, Date.parse('2026-12-03T14:02:05.000Z'))).toBe('running for 2 min 5 s');
  });
});
