import { createResource, createSignal, For, Show } from 'solid-js';
import type { AdminJobs } from '../../../client/index.js';
import { FormError, statsText, when } from '../components/forms.js';
import { refreshWhileVisible } from '../components/refresh.js';
import { loaded } from '../components/resources.js';
import { describeProblem } from '../problems.js';
import type { ViewProps } from '../sections.js';

/** how often the view asks again while it is on screen */
export const JOBS_REFRESH_MS = 10_000;

type Job = AdminJobs['jobs'][number];

/** How long the latest attempt ran, or has been running. */
export function duration(last: Job['last'], now: number): string {
  const ms = (last.finished_at ? Date.parse(last.finished_at) : now) - Date.parse(last.started_at);
  const text =
    ms < 1_000
      ? `${Math.max(0, ms)} ms`
      : ms < 60_000
        ? `${(ms / 1_000).toFixed(1)} s`
        : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
  return last.finished_at ? text : `running for ${text}`;
}

/**
 * The background jobs (issue 19): each job's latest run, how long it took, its failures in the
 * last 24 hours with the error, and which process leads. Asks again every 10 s while visible.
 */
export function JobsView(props: ViewProps) {
  const [asked, setAsked] = createSignal(Date.now());
  const [jobs, { refetch }] = createResource(async () => {
    const answer = await props.api.admin.ops.jobs();
    setAsked(Date.now());
    return answer;
  });
  refreshWhileVisible(() => void refetch(), JOBS_REFRESH_MS);
  return (
    <section aria-labelledby="jobs-title">
      <header class="view-head">
        <h1 id="jobs-title">Jobs</h1>
        <div class="row">
          <span class="muted small" role="status">
            {jobs.loading ? 'Refreshing…' : `As of ${new Date(asked()).toLocaleTimeString('en-GB')}; again every ${JOBS_REFRESH_MS / 1000} s`}
          </span>
          <button type="button" class="secondary" onClick={() => void refetch()} disabled={jobs.loading}>
            Refresh
          </button>
        </div>
      </header>
      <Show when={jobs.error}>
        <FormError message={describeProblem(jobs.error)} />
      </Show>
      <Show when={loaded(jobs)}>
        {(j) => (
          <>
            <div class="card leaders">
              <h2>Leader</h2>
              <ul class="plain" data-testid="job-leaders">
                <For each={j().leaders} fallback={<li class="muted">No process holds the lease: no jobs are running.</li>}>
                  {(l) => (
                    <li>
                      <code>{l.owner}</code> holds <code>{l.name}</code> <span class={`status ${l.live ? 'ok' : 'bad'}`}>{l.live ? 'live' : 'expired'}</span>{' '}
                      <span class="muted small">
                        since {when(l.acquired_at)}, until {new Date(l.expires_at).toLocaleTimeString('en-GB')}
                      </span>
                    </li>
                  )}
                </For>
              </ul>
            </div>
            <table class="table" aria-label="Job runs">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Last run</th>
                  <th scope="col">State</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Run by</th>
                  <th scope="col" class="num">
                    Failures (24 h)
                  </th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                <For
                  each={j().jobs}
                  fallback={
                    <tr>
                      <td colSpan={7} class="muted">
                        No job has run yet.
                      </td>
                    </tr>
                  }
                >
                  {(job) => (
                    <tr data-testid="job-row" classList={{ failed: job.last.status === 'failed' || job.failures > 0 }}>
                      <th scope="row">{job.job}</th>
                      <td>{when(job.last.window_start)}</td>
                      <td>
                        <span class={`status ${job.last.status === 'failed' ? 'bad' : job.last.status === 'succeeded' ? 'ok' : ''}`} data-testid="job-state">
                          {job.last.status}
                        </span>
                      </td>
                      <td>{duration(job.last, asked())}</td>
                      <td class="small">
                        <code>{job.last.owner}</code> · {job.last.trigger}
                        {job.last.attempts > 1 ? ` · attempt ${job.last.attempts}` : ''}
                      </td>
                      <td class="num">{job.failures}</td>
                      <td class="small change">
                        <Show when={job.last.error} fallback={statsText(job.last.stats)}>
                          {(error) => <span class="error-text">{error()}</span>}
                        </Show>
                        <Show when={!job.last.error && job.last_failure}>{(error) => <span class="error-text block">last failure: {error()}</span>}</Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </>
        )}
      </Show>
    </section>
  );
}
