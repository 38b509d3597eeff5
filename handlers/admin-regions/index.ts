import type { Context } from 'hono';
import { type AuditEntry, auditView, recordAudit } from '../../platform/audit.js';
import { Problem } from '../../platform/errors.js';
import { type AppEnv, type Bundle, bundleRouter } from '../../platform/http/context.js';
import type { Change } from '../../regions/drivers/driver.js';
import type { CreateJob, RegionManager } from '../../regions/manager.js';
import { auditEntry, guarded } from '../admin-route.js';
import { createRegionRoute, deleteRoute, jobRoute, listRoute, scaleRoute, startRoute, stopRoute } from './routes.js';

/**
 * The region manager's admin API (issue 21), mounted by the `regions` role only: the one process
 * holding the Docker socket. Every change is audited; stopping and deleting ask for TOTP.
 */
export function adminRegionsBundle(manager: RegionManager): Bundle {
  return {
    name: 'admin-regions',
    basePath: '/api/v1/admin/regions',
    create(deps) {
      const audit = (c: Context<AppEnv>, entry: Omit<AuditEntry, 'actor' | 'requestId'>) => recordAudit(deps.accounts, auditEntry(c, entry));
      const target = (slug: string) => ({ type: 'region', id: slug });
      return bundleRouter()
        .openapi(guarded(deps, listRoute), async (c) => c.json({ driver: deps.config.manager.driver, regions: await manager.list() }, 200))
        .openapi(guarded(deps, createRegionRoute), async (c) => {
          const { slug, api_replicas, reason } = c.req.valid('json');
          await manager.assertNew(slug);
          const job = manager.create({ slug, apiReplicas: api_replicas });
          const entry = await audit(c, { action: 'regions.create', target: target(slug), before: null, after: { slug, api_replicas, job_id: job.id }, reason });
          return c.json({ job: jobView(job), audit: auditView(entry) }, 202);
        })
        .openapi(guarded(deps, jobRoute), async (c) => {
          const { slug, id } = c.req.valid('param');
          const job = manager.job(id);
          if (!job || job.slug !== slug) throw new Problem('not_found', { detail: 'No such region job on this manager' });
          return c.json(jobView(job), 200);
        })
        .openapi(guarded(deps, scaleRoute), async (c) => {
          const { slug } = c.req.valid('param');
          const { api_replicas, reason } = c.req.valid('json');
          const done = await manager.scale(slug, api_replicas);
          const entry = await audit(c, {
            action: 'regions.scale',
            target: target(slug),
            before: { api_replicas: done.before },
            after: { api_replicas: done.after },
            reason,
          });
          return c.json(
            { before: { api_replicas: done.before }, after: { api_replicas: done.after }, changes: changeViews(done.changes), audit: auditView(entry) },
            200,
          );
        })
        .openapi(guarded(deps, stopRoute), async (c) => {
          const { slug } = c.req.valid('param');
          const done = await manager.setState(slug, 'stopped');
          const entry = await audit(c, {
            action: 'regions.stop',
            target: target(slug),
            before: { state: done.before },
            after: { state: done.after },
            reason: c.req.valid('json').reason,
          });
          return c.json({ before: { state: done.before }, after: { state: done.after }, changes: changeViews(done.changes), audit: auditView(entry) }, 200);
        })
        .openapi(guarded(deps, startRoute), async (c) => {
          const { slug } = c.req.valid('param');
          const done = await manager.setState(slug, 'active');
          const entry = await audit(c, {
            action: 'regions.start',
            target: target(slug),
            before: { state: done.before },
            after: { state: done.after },
            reason: c.req.valid('json').reason,
          });
          return c.json({ before: { state: done.before }, after: { state: done.after }, changes: changeViews(done.changes), audit: auditView(entry) }, 200);
        })
        .openapi(guarded(deps, deleteRoute), async (c) => {
          const { slug } = c.req.valid('param');
          const { keep_dump, reason } = c.req.valid('json');
          const done = await manager.remove(slug, { keepDump: keep_dump });
          const entry = await audit(c, { action: 'regions.delete', target: target(slug), before: { slug }, after: { dump: done.dump }, reason });
          return c.json({ dump: done.dump, changes: changeViews(done.changes), audit: auditView(entry) }, 200);
        });
    },
  };
}

function jobView(job: CreateJob) {
  return {
    id: job.id,
    slug: job.slug,
    state: job.state,
    step: job.step,
    steps: job.steps.map((s) => ({ step: s.step, at: s.at.toISOString() })),
    progress: job.progress.map((p) => ({ ...p })),
    error: job.error,
    started_at: job.startedAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}

function changeViews(changes: Change[]) {
  return changes.map(({ service, action, replica }) => ({ service, action, ...(replica === undefined ? {} : { replica }) }));
}
