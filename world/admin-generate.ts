import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventData } from '../contract/events.js';
import { topics } from '../contract/topics.js';
import { noChanges } from '../game/changes.js';
import type { Galaxy, GeneratedRegion } from '../game/galaxy.js';
import type { RegionDb } from '../platform/db/database.js';
import { galaxyExists, wipeUniverse, type WriteProgress, writeGalaxy, writeRegion } from '../regions/galaxy-store.js';
import type { World } from './action.js';
import { applyChanges } from './applier.js';

/**
 * An admin's generation, run in the background of the api process that accepted it: a galaxy
 * that replaces the current one, which only an empty universe may do (no pilot has played: the
 * route checks first, this checks again just before wiping), or a new region added beside it. Progress goes out as events on the admin topic,
 * written through the one applier (outbox rows) so every realtime process delivers them. On PGlite
 * (one session) the progress rows queue behind the galaxy's own transaction and arrive when it
 * commits; on PostgreSQL they stream while it is written.
 */
export interface GenerateJob {
  id: string;
  state: 'running' | 'done' | 'failed';
  seed: string;
  table: string | null;
  written: number;
  total: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const jobs = new Map<string, GenerateJob>();
/** one generation at a time per process: a second is refused while one runs */
let running: GenerateJob | undefined;

const PROGRESS_EVERY_MS = 200;
/** jobs kept for GET …/jobs/{id} */
const KEEP_JOBS = 50;

export function generateJob(id: string): GenerateJob | undefined {
  return jobs.get(id);
}

export function generationRunning(): boolean {
  return running !== undefined;
}

/** Pilots that played (NPCs are part of the universe and go with it). */
export async function playingPilots(db: RegionDb): Promise<number> {
  const row = await db
    .selectFrom('players')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('npc', '=', false)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function startGalaxyCommit(world: World, galaxy: Galaxy): GenerateJob {
  return startJob(world, galaxy.params.seed, async (onProgress) => {
    if (await galaxyExists(world.region)) {
      const pilots = await playingPilots(world.region);
      if (pilots > 0) throw new Error(`${pilots} pilots started playing before the wipe; the galaxy was kept`);
      await wipeUniverse(world.region, { keepOutbox: true });
    }
    await writeGalaxy(world.region, galaxy, onProgress);
    return { sectors: galaxy.sectors.length, warps: galaxy.warps.length, ports: galaxy.ports.length };
  });
}

/** A new region, added beside the galaxy while it is played (regions/galaxy-store.ts writeRegion). */
export function startRegionCommit(world: World, made: GeneratedRegion): GenerateJob {
  return startJob(world, made.params.seed, async (onProgress) => {
    await writeRegion(world.region, made, onProgress);
    return { sectors: made.sectors.length, warps: made.warps.length, ports: made.ports.length, region_id: made.region.id };
  });
}

type Written = Omit<EventData<'admin.generate.done'>, 'job_id' | 'seed'>;

/** The job around a write: its record, one at a time, progress and the ending as admin events. */
function startJob(world: World, seed: string, write: (onProgress: (p: WriteProgress) => void) => Promise<Written>): GenerateJob {
  const job: GenerateJob = {
    id: randomUUID(),
    state: 'running',
    seed,
    table: null,
    written: 0,
    total: 0,
    error: null,
    startedAt: new Date(),
    finishedAt: null,
  };
  jobs.set(job.id, job);
  for (const old of jobs.keys()) if (jobs.size > KEEP_JOBS && old !== job.id) jobs.delete(old);
  running = job;

  let sent: Promise<void> = Promise.resolve();
  const emit = (event: DomainEvent) => {
    sent = sent.then(async () => {
      try {
        const applied = await world.region.transaction().execute((trx) => applyChanges(trx, { ...noChanges(), events: [event] }));
        await world.outbox.publish(applied.envelopes);
      } catch (err) {
        world.logger.warn({ err: (err as Error).message, job: job.id }, 'generation progress event not written');
      }
    });
    return sent;
  };

  void (async () => {
    let lastSent = 0;
    try {
      const written = await write((p) => {
        job.table = p.table;
        job.written = p.written;
        job.total = p.total;
        const now = Date.now();
        if (now - lastSent < PROGRESS_EVERY_MS && p.written !== p.total) return;
        lastSent = now;
        void emit({ topic: topics.admin, type: 'admin.generate.progress', data: { job_id: job.id, table: p.table, written: p.written, total: p.total } });
      });
      job.state = 'done';
      job.finishedAt = new Date();
      world.logger.info({ job: job.id, seed: job.seed, ...written }, 'admin generation written');
      await emit({ topic: topics.admin, type: 'admin.generate.done', data: { job_id: job.id, seed: job.seed, ...written } });
    } catch (err) {
      job.state = 'failed';
      job.error = (err as Error).message;
      job.finishedAt = new Date();
      world.logger.error({ err: job.error, job: job.id }, 'admin generation failed');
      await emit({ topic: topics.admin, type: 'admin.generate.failed', data: { job_id: job.id, error: job.error } });
    } finally {
      if (running === job) running = undefined;
    }
  })();
  return job;
}

export function jobView(job: GenerateJob) {
  return {
    id: job.id,
    state: job.state,
    seed: job.seed,
    table: job.table,
    written: job.written,
    total: job.total,
    error: job.error,
    started_at: job.startedAt.toISOString(),
    finished_at: job.finishedAt ? job.finishedAt.toISOString() : null,
  };
}
