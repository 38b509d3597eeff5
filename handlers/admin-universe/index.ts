import type { Context } from 'hono';
import { decideGalaxyReplace, decidePlanetEdit, decidePortEdit, decideWarpEdit, previewGalaxy, previewRegion } from '../../game/admin-universe.js';
import type { GalaxyParams, RegionParams } from '../../game/galaxy.js';
import { type AuditEntry, auditView, recordAudit } from '../../platform/audit.js';
import type { RegionTrx } from '../../platform/db/database.js';
import { Problem } from '../../platform/errors.js';
import { type AppEnv, type Bundle, bundleRouter } from '../../platform/http/context.js';
import { refusalProblem } from '../../world/action.js';
import { generateJob, generationRunning, jobView, playingPilots, startGalaxyCommit, startRegionCommit } from '../../world/admin-generate.js';
import {
  bumpMapRevision,
  galaxyRegions,
  lockedPort,
  lockGalaxy,
  portOf,
  readRegionAnchor,
  readWarpMap,
  sectorWarps,
  slugTaken,
  writePortShape,
  writeWarpEdit,
} from '../../world/admin-universe.js';
import { sectorAtlas } from '../../world/atlas.js';
import { warpGraph } from '../../world/warp-graph.js';
import { applyChanges } from '../../world/applier.js';
import { moveOwnAudit, stageAudit } from '../../world/audit-outbox.js';
import { auditEntry, guarded } from '../admin-route.js';
import {
  commitRoute,
  editPlanetRoute,
  editPortRoute,
  editWarpsRoute,
  galaxyMapRoute,
  jobRoute,
  MAP_SECTOR_LIMIT,
  portRoute,
  previewRoute,
  regionCommitRoute,
  regionPreviewRoute,
  sectorWarpsRoute,
} from './routes.js';

/**
 * The universe admin API (issue 19): preview and commit a galaxy or a new region beside it from
 * parameters, the whole map for the admin SPA, edit a sector's warps
 * (never so that the galaxy stops being strongly connected), a port's class, stock and capacity,
 * a planet's name and type. Each edit is decided in game/admin-universe.ts and written in one region
 * transaction (a port's stock through the one applier) with its audit row staged in it, moved to
 * the accounts database once it commits (world/audit-outbox.ts).
 */
export const adminUniverseBundle: Bundle = {
  name: 'admin-universe',
  basePath: '/api/v1/admin/universe',
  create(deps) {
    const { accounts, region } = deps;
    const audit = (c: Context<AppEnv>, entry: Omit<AuditEntry, 'actor' | 'requestId'>) => recordAudit(accounts, auditEntry(c, entry));
    /** An edit's audit row, staged in the edit's own region transaction; moved once it commits. */
    const stage = (trx: RegionTrx, c: Context<AppEnv>, entry: Omit<AuditEntry, 'actor' | 'requestId'>) => stageAudit(trx, auditEntry(c, entry));

    /** Where a new region would go; refused while its slug is taken or there is no galaxy to join. */
    const anchorFor = async (slug: string) => {
      if (await slugTaken(region, slug)) throw new Problem('slug_taken', { detail: `There is a region ${slug} already` });
      const anchor = await readRegionAnchor(region);
      if (!anchor) throw new Problem('universe_missing');
      return anchor;
    };

    return bundleRouter()
      .openapi(guarded(deps, previewRoute), async (c) => {
        const { preview } = previewGalaxy(galaxyParams(c.req.valid('json')));
        return c.json(preview, 200);
      })
      .openapi(guarded(deps, commitRoute), async (c) => {
        const { reason, ...input } = c.req.valid('json');
        if (generationRunning()) throw new Problem('generation_running');
        const decision = decideGalaxyReplace(await playingPilots(region));
        if ('refused' in decision) throw refusalProblem(decision.refused);
        const before = await region.selectFrom('galaxy').select(['seed', 'sector_count', 'generated_at']).executeTakeFirst();
        const { galaxy, preview } = previewGalaxy(galaxyParams(input));
        const job = startGalaxyCommit(deps, galaxy);
        const entry = await audit(c, {
          action: 'universe.generate',
          target: { type: 'galaxy', id: job.id },
          before: before ? { seed: before.seed, sectors: before.sector_count, generated_at: new Date(before.generated_at).toISOString() } : null,
          after: { seed: preview.params.seed, sectors: preview.sectors, warps: preview.warps, params: preview.params, job_id: job.id },
          reason,
        });
        return c.json({ job: jobView(job), audit: auditView(entry) }, 202);
      })
      .openapi(guarded(deps, regionPreviewRoute), async (c) => {
        const input = c.req.valid('json');
        const anchor = await anchorFor(input.slug);
        return c.json(previewRegion(regionParams(input), anchor).preview, 200);
      })
      .openapi(guarded(deps, regionCommitRoute), async (c) => {
        const { reason, ...input } = c.req.valid('json');
        if (generationRunning()) throw new Problem('generation_running');
        const anchor = await anchorFor(input.slug);
        const { region: made, preview } = previewRegion(regionParams(input), anchor);
        const job = startRegionCommit(deps, made);
        const entry = await audit(c, {
          action: 'universe.region',
          target: { type: 'region', id: made.region.slug },
          before: { regions: anchor.regionId - 1, sectors: anchor.firstSectorId - 1 },
          after: {
            region_id: made.region.id,
            slug: made.region.slug,
            name: made.region.name,
            sectors: [made.region.firstSectorId, made.region.lastSectorId],
            gate: preview.gate,
            params: preview.params,
            job_id: job.id,
          },
          reason,
        });
        return c.json({ job: jobView(job), audit: auditView(entry) }, 202);
      })
      .openapi(guarded(deps, galaxyMapRoute), async (c) => {
        const [atlas, graph, regions, galaxy, pilots, gates] = await Promise.all([
          sectorAtlas(region),
          warpGraph(region),
          galaxyRegions(region),
          region.selectFrom('galaxy').select('map_revision').executeTakeFirst(),
          playingPilots(region),
          region.selectFrom('warps').select(['from_sector_id', 'to_sector_id']).where('gate', '=', true).execute(),
        ]);
        if (!galaxy) throw new Problem('universe_missing');
        if (atlas.size - 1 > MAP_SECTOR_LIMIT)
          throw new Problem('map_too_large', { detail: `${atlas.size - 1} sectors; the admin map draws ${MAP_SECTOR_LIMIT}` });
        const ids = Array.from({ length: atlas.size - 1 }, (_, i) => i + 1).filter((id) => atlas.region[id] !== 0);
        const gate = new Set(gates.map((g) => `${g.from_sector_id}>${g.to_sector_id}`));
        const from: number[] = [];
        const to: number[] = [];
        for (let v = 1; v < graph.nodeCount; v++) {
          for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
            from.push(v);
            to.push(graph.targets[e]!);
          }
        }
        return c.json(
          {
            map_revision: galaxy.map_revision,
            regions,
            sectors: {
              id: ids,
              x: ids.map((id) => atlas.x[id]!),
              y: ids.map((id) => atlas.y[id]!),
              region_id: ids.map((id) => atlas.region[id]!),
              port_class: ids.map((id) => atlas.portClass[id]!),
            },
            warps: { from, to, gate: from.map((f, i) => gate.has(`${f}>${to[i]}`)) },
            playing_pilots: pilots,
          },
          200,
        );
      })
      .openapi(guarded(deps, jobRoute), async (c) => {
        const job = generateJob(c.req.valid('param').id);
        if (!job) throw new Problem('job_not_found');
        return c.json(jobView(job), 200);
      })
      .openapi(guarded(deps, sectorWarpsRoute), async (c) => {
        const { id } = c.req.valid('param');
        const [warps, galaxy] = await Promise.all([sectorWarps(region, id), region.selectFrom('galaxy').select('map_revision').executeTakeFirst()]);
        if (!warps) throw new Problem('sector_not_found', { detail: `There is no sector ${id}` });
        return c.json({ ...warps, map_revision: galaxy?.map_revision ?? 0 }, 200);
      })
      .openapi(guarded(deps, editWarpsRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { add, remove, two_way, reason } = c.req.valid('json');
        const { outcome, revision, auditId } = await region.transaction().execute(async (trx) => {
          const galaxy = await lockGalaxy(trx);
          if (!galaxy) throw new Problem('universe_missing');
          const map = await readWarpMap(trx, galaxy.sectorCount);
          const decision = decideWarpEdit(map, { sectorId: id, add, remove, twoWay: two_way });
          if ('refused' in decision) throw refusalProblem(decision.refused);
          const { outcome } = decision;
          const revision = await writeWarpEdit(trx, map, outcome);
          const auditId = await stage(trx, c, {
            action: 'universe.warps',
            target: { type: 'sector', id: String(id) },
            before: { out: outcome.before },
            after: { out: outcome.after, added: outcome.added.map(({ from, to }) => ({ from, to })), removed: outcome.removed, map_revision: revision },
            reason,
          });
          return { outcome, revision, auditId };
        });
        const entry = await moveOwnAudit(deps, auditId);
        c.get('log').info({ sector: id, added: outcome.added.length, removed: outcome.removed.length }, 'admin edited warps');
        return c.json({ after: { out: outcome.after, map_revision: revision }, audit: auditView(entry) }, 200);
      })
      .openapi(guarded(deps, portRoute), async (c) => {
        const { id } = c.req.valid('param');
        const port = await portOf(region, id);
        if (!port) throw new Problem('not_found', { detail: `There is no port ${id}` });
        return c.json(portView(port), 200);
      })
      .openapi(guarded(deps, editPortRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { port_class, goods, reason } = c.req.valid('json');
        const outcome = await region.transaction().execute(async (trx) => {
          // The galaxy row first (the order every map edit takes), then the port and its goods.
          if (!(await lockGalaxy(trx))) throw new Problem('universe_missing');
          const port = await lockedPort(trx, id);
          if (!port) throw new Problem('not_found', { detail: `There is no port ${id}` });
          const decision = decidePortEdit(port, { portClass: port_class, goods }, Date.now());
          if ('refused' in decision) throw refusalProblem(decision.refused);
          await writePortShape(trx, id, decision.outcome.shape, 'before-stock');
          await applyChanges(trx, decision.changes);
          await writePortShape(trx, id, decision.outcome.shape, 'after-stock');
          // The class is on the map (the atlas): every process reads it again.
          if (decision.outcome.before.port_class !== decision.outcome.after.port_class) await bumpMapRevision(trx);
          const auditId = await stage(trx, c, {
            action: 'universe.port',
            target: { type: 'port', id: String(id) },
            before: decision.outcome.before,
            after: decision.outcome.after,
            reason,
          });
          return { ...decision.outcome, port, auditId };
        });
        const entry = await moveOwnAudit(deps, outcome.auditId);
        return c.json(
          {
            after: { id, sector_id: outcome.port.sectorId, name: outcome.port.name, port_class: outcome.after.port_class, goods: outcome.after.goods },
            audit: auditView(entry),
          },
          200,
        );
      })
      .openapi(guarded(deps, editPlanetRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { name, planet_type, reason } = c.req.valid('json');
        const { after, auditId } = await region.transaction().execute(async (trx) => {
          const planet = await trx.selectFrom('planets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
          if (!planet) throw new Problem('not_found', { detail: `There is no planet ${id}` });
          const decision = decidePlanetEdit({ name: planet.name, planetType: planet.planet_type }, { name, planetType: planet_type });
          if ('refused' in decision) throw refusalProblem(decision.refused);
          const updated = await trx
            .updateTable('planets')
            .set({ name: decision.outcome.name, planet_type: decision.outcome.planet_type })
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirstOrThrow();
          const auditId = await stage(trx, c, {
            action: 'universe.planet',
            target: { type: 'planet', id: String(id) },
            before: { name: planet.name, planet_type: planet.planet_type },
            after: { name: updated.name, planet_type: updated.planet_type },
            reason,
          });
          return { after: updated, auditId };
        });
        const entry = await moveOwnAudit(deps, auditId);
        return c.json(
          {
            after: { id: after.id, sector_id: after.sector_id, name: after.name, planet_type: after.planet_type, owner_user_id: after.owner_user_id },
            audit: auditView(entry),
          },
          200,
        );
      });
  },
};

function galaxyParams(input: {
  seed?: string | undefined;
  terran_sectors: number;
  nexus_sectors: number;
  port_density?: number | undefined;
  planet_density?: number | undefined;
  one_way_share?: number | undefined;
}): GalaxyParams {
  return {
    seed: input.seed ?? crypto.randomUUID().slice(0, 12),
    terranSectors: input.terran_sectors,
    nexusSectors: input.nexus_sectors,
    ...(input.port_density !== undefined ? { portDensity: input.port_density } : {}),
    ...(input.planet_density !== undefined ? { planetDensity: input.planet_density } : {}),
    ...(input.one_way_share !== undefined ? { oneWayShare: input.one_way_share } : {}),
  };
}

function regionParams(input: {
  name: string;
  slug: string;
  sectors: number;
  seed?: string | undefined;
  port_density?: number | undefined;
  planet_density?: number | undefined;
  one_way_share?: number | undefined;
}): RegionParams {
  return {
    seed: input.seed ?? crypto.randomUUID().slice(0, 12),
    name: input.name,
    slug: input.slug,
    sectors: input.sectors,
    ...(input.port_density !== undefined ? { portDensity: input.port_density } : {}),
    ...(input.planet_density !== undefined ? { planetDensity: input.planet_density } : {}),
    ...(input.one_way_share !== undefined ? { oneWayShare: input.one_way_share } : {}),
  };
}

function portView(port: NonNullable<Awaited<ReturnType<typeof portOf>>>) {
  return {
    id: port.id,
    sector_id: port.sectorId,
    name: port.name,
    port_class: port.portClass,
    goods: port.goods.map((g) => ({ good: g.good, mode: g.mode, stock: g.stock, capacity: g.capacity })),
  };
}
