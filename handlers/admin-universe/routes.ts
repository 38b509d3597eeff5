import { z } from '@hono/zod-openapi';
import { PLANET_TYPES } from '../../game/catalog/planets.js';
import { AdminText, adminRoute, AuditEntryView, Reason } from '../admin-route.js';
import { BODY_PROBLEMS } from '../openapi.js';

/** The universe admin API: the contract. index.ts does the work. */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T, description: string) => ({ body: { ...json(schema, description), required: true } });
const IntParam = (description: string) =>
  z.object({
    id: z.coerce
      .number()
      .int()
      .min(1)
      .max(2_147_483_647)
      .openapi({ param: { name: 'id', in: 'path' }, description }),
  });
const SectorId = z.number().int().min(1).max(2_147_483_647);
/** The admin map draws at most this many sectors. */
export const MAP_SECTOR_LIMIT = 50_000;

export const GalaxyParamsBody = z
  .strictObject({
    seed: AdminText(64).optional().openapi({ description: 'Random when absent; the same seed and sizes always make the same galaxy' }),
    terran_sectors: z.number().int().min(20).max(20_000),
    nexus_sectors: z.number().int().min(0).max(50_000),
    port_density: z.number().min(0.05).max(0.9).optional(),
    planet_density: z.number().min(0).max(0.5).optional(),
    one_way_share: z.number().min(0).max(0.5).optional(),
  })
  .openapi('AdminGalaxyParams');

export const GalaxyPreviewView = z
  .object({
    params: z.object({
      seed: z.string(),
      terranSectors: z.number().int(),
      nexusSectors: z.number().int(),
      portDensity: z.number(),
      planetDensity: z.number(),
      oneWayShare: z.number(),
    }),
    sectors: z.number().int(),
    warps: z.number().int(),
    regions: z.array(z.object({ id: z.number().int(), slug: z.string(), name: z.string(), sectors: z.number().int() })),
    ports_by_class: z.record(z.string(), z.number().int()).openapi({ description: 'Ports per class (0 Earth Station, 1–8 trading, 9 Stardock)' }),
    planets: z.number().int(),
    connectivity: z.object({
      strongly_connected: z.boolean(),
      unreachable_from_start: z.number().int(),
      cannot_reach_start: z.number().int(),
    }),
    best_near_pairs: z.array(z.object({ from: z.number().int(), to: z.number().int(), hops_from_start: z.number().int(), profit_per_turn: z.number() })),
  })
  .openapi('AdminGalaxyPreview');

export const previewRoute = adminRoute({
  method: 'post',
  path: '/generate/preview',
  operationId: 'adminPreviewGalaxy',
  summary: 'Preview a galaxy from parameters: sectors, ports by class, the connectivity proof, the best pairs near sector 1',
  description: 'Nothing is written. The same parameters (with the seed the answer names) commit the same galaxy.',
  scope: 'admin:universe',
  request: body(GalaxyParamsBody, 'The parameters'),
  problems: [...BODY_PROBLEMS],
  responses: { 200: json(GalaxyPreviewView, 'What the galaxy would be') },
});

const JobView = z
  .object({
    id: z.uuid(),
    state: z.enum(['running', 'done', 'failed']),
    seed: z.string(),
    table: z.string().nullable().openapi({ description: 'The table being written' }),
    written: z.number().int(),
    total: z.number().int(),
    error: z.string().nullable(),
    started_at: z.string().openapi({ format: 'date-time' }),
    finished_at: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('AdminGenerateJob');

export const commitRoute = adminRoute({
  method: 'post',
  path: '/generate/commit',
  operationId: 'adminCommitGalaxy',
  summary: 'Generate and write a galaxy, replacing the current one (only while no pilot has played)',
  description:
    'Answers 202 with a job id at once; the galaxy is written in the background and its progress streams on the admin realtime topic `admin` (`admin.generate.progress`, then `admin.generate.done` or `admin.generate.failed`, each with `job_id`). 409 `pilots_exist` once anyone has played.',
  scope: 'admin:universe',
  dangerous: true,
  request: body(GalaxyParamsBody.extend({ reason: Reason }).openapi('AdminGalaxyCommitRequest'), 'The parameters, and why'),
  problems: [...BODY_PROBLEMS, 'pilots_exist', 'generation_running'],
  responses: { 202: json(z.object({ job: JobView, audit: AuditEntryView }).openapi('AdminGalaxyCommitAccepted'), 'Writing in the background') },
});

export const jobRoute = adminRoute({
  method: 'get',
  path: '/generate/jobs/{id}',
  operationId: 'adminGetGenerateJob',
  summary: 'A generation job: its progress, or how it ended (jobs are kept by the api process that runs them)',
  scope: 'admin:read',
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
  problems: ['validation_failed', 'job_not_found'],
  responses: { 200: json(JobView, 'The job') },
});

export const RegionParamsBody = z
  .strictObject({
    name: AdminText(40).openapi({ example: 'Outer Rim' }),
    slug: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,30}$/, 'a lowercase letter, then 1–30 lowercase letters, digits or dashes')
      .openapi({ example: 'outer-rim', description: 'Unique among the regions' }),
    sectors: z.number().int().min(20).max(20_000),
    seed: AdminText(64).optional().openapi({ description: 'Random when absent; the same seed, slug, sizes and galaxy always make the same region' }),
    port_density: z.number().min(0.05).max(0.9).optional(),
    planet_density: z.number().min(0).max(0.5).optional(),
    one_way_share: z.number().min(0).max(0.5).optional(),
  })
  .openapi('AdminRegionParams');

export const RegionPreviewView = GalaxyPreviewView.extend({
  params: z.object({
    seed: z.string(),
    name: z.string(),
    slug: z.string(),
    sectors: z.number().int(),
    portDensity: z.number(),
    planetDensity: z.number(),
    oneWayShare: z.number(),
  }),
  gate: z.object({ inside: z.number().int(), outside: z.number().int() }).openapi({ description: 'The two-way gate: the region’s sector and the galaxy’s' }),
}).openapi('AdminRegionPreview');

export const regionPreviewRoute = adminRoute({
  method: 'post',
  path: '/regions/preview',
  operationId: 'adminPreviewRegion',
  summary: 'Preview a new region beside the galaxy: sectors, ports by class, the proof its warps are strongly connected, the best pairs near its gate',
  description:
    'Nothing is written. The connectivity proof is the region’s own warps from its capital; the gate joins it both ways to the Central Nexus (Terran Space without one).',
  scope: 'admin:universe',
  request: body(RegionParamsBody, 'The parameters'),
  problems: [...BODY_PROBLEMS, 'slug_taken', 'universe_missing'],
  responses: { 200: json(RegionPreviewView, 'What the region would be') },
});

export const regionCommitRoute = adminRoute({
  method: 'post',
  path: '/regions',
  operationId: 'adminCommitRegion',
  summary: 'Generate a new region and add it to the galaxy while it is played',
  description:
    'Answers 202 with a job id at once; the region is written in the background, its progress on the admin realtime topic as for a galaxy commit (`admin.generate.progress`, then `admin.generate.done` with `region_id`, or `admin.generate.failed`). Nothing already in the galaxy changes but the Nexus sector the gate joins.',
  scope: 'admin:universe',
  dangerous: true,
  request: body(RegionParamsBody.extend({ reason: Reason }).openapi('AdminRegionCommitRequest'), 'The parameters, and why'),
  problems: [...BODY_PROBLEMS, 'slug_taken', 'universe_missing', 'generation_running'],
  responses: { 202: json(z.object({ job: JobView, audit: AuditEntryView }).openapi('AdminRegionCommitAccepted'), 'Writing in the background') },
});

const Ints = z.array(z.number().int());
export const galaxyMapRoute = adminRoute({
  method: 'get',
  path: '/map',
  operationId: 'adminGalaxyMap',
  summary: 'The whole galaxy for the admin map: regions, every sector’s position, every warp (as parallel arrays)',
  description: `409 \`map_too_large\` past ${MAP_SECTOR_LIMIT.toLocaleString('en-US')} sectors: the admin map draws galaxies an admin can read at a glance.`,
  scope: 'admin:read',
  problems: ['universe_missing', 'map_too_large'],
  responses: {
    200: json(
      z
        .object({
          map_revision: z.number().int(),
          regions: z.array(
            z.object({
              id: z.number().int(),
              slug: z.string(),
              name: z.string(),
              capital_sector_id: z.number().int(),
              first_sector_id: z.number().int(),
              last_sector_id: z.number().int(),
            }),
          ),
          sectors: z.object({ id: Ints, x: Ints, y: Ints, region_id: Ints, port_class: Ints.openapi({ description: '-1: no port' }) }),
          warps: z.object({ from: Ints, to: Ints, gate: z.array(z.boolean()) }),
          playing_pilots: z.number().int().openapi({ description: 'Pilots who played: while there are any, the galaxy is not replaced' }),
        })
        .openapi('AdminGalaxyMap'),
      'The map',
    ),
  },
});

const WarpEnd = z.object({ sector_id: z.number().int(), gate: z.boolean() });
export const SectorWarpsView = z
  .object({
    sector: z.object({ id: z.number().int(), region_id: z.number().int(), name: z.string().nullable(), zone: z.string(), fedspace: z.boolean() }),
    out: z.array(WarpEnd),
    in: z.array(WarpEnd),
    port: z.object({ id: z.number().int(), name: z.string(), port_class: z.number().int() }).nullable(),
    planets: z.array(z.object({ id: z.number().int(), name: z.string(), planet_type: z.string() })),
    map_revision: z.number().int(),
  })
  .openapi('AdminSectorWarps');

export const sectorWarpsRoute = adminRoute({
  method: 'get',
  path: '/sectors/{id}/warps',
  operationId: 'adminGetSectorWarps',
  summary: 'A sector’s warps, out and in, and its port and planets',
  scope: 'admin:read',
  request: { params: IntParam('The sector id') },
  problems: ['validation_failed', 'sector_not_found'],
  responses: { 200: json(SectorWarpsView, 'The warps') },
});

export const editWarpsRoute = adminRoute({
  method: 'post',
  path: '/sectors/{id}/warps',
  operationId: 'adminEditSectorWarps',
  summary: 'Add and remove a sector’s warps; refused when the galaxy would no longer be strongly connected',
  description: '409 `breaks_connectivity` when some sector could no longer reach sector 1 or be reached from it; nothing is changed then.',
  scope: 'admin:universe',
  dangerous: true,
  request: {
    params: IntParam('The sector id'),
    ...body(
      z
        .strictObject({
          add: z.array(SectorId).max(20).default([]),
          remove: z.array(SectorId).max(20).default([]),
          two_way: z.boolean().default(false).openapi({ description: 'Also add or remove the warp back' }),
          reason: Reason,
        })
        .openapi('AdminWarpEditRequest'),
      'The warps to add and remove, and why',
    ),
  },
  problems: [...BODY_PROBLEMS, 'sector_not_found', 'invalid_warp_edit', 'warp_exists', 'warp_not_found', 'breaks_connectivity'],
  responses: {
    200: json(
      z.object({ after: z.object({ out: z.array(z.number().int()), map_revision: z.number().int() }), audit: AuditEntryView }).openapi('AdminWarpEditResult'),
      'Edited',
    ),
  },
});

const PortGoodAdminView = z.object({ good: z.string(), mode: z.enum(['buy', 'sell']), stock: z.number().int(), capacity: z.number().int() });
export const PortAdminView = z
  .object({ id: z.number().int(), sector_id: z.number().int(), name: z.string(), port_class: z.number().int(), goods: z.array(PortGoodAdminView) })
  .openapi('AdminPort');

export const portRoute = adminRoute({
  method: 'get',
  path: '/ports/{id}',
  operationId: 'adminGetPort',
  summary: 'A port: class, goods, stock and capacity',
  scope: 'admin:read',
  request: { params: IntParam('The port id') },
  problems: ['validation_failed', 'not_found'],
  responses: { 200: json(PortAdminView, 'The port') },
});

export const editPortRoute = adminRoute({
  method: 'post',
  path: '/ports/{id}',
  operationId: 'adminEditPort',
  summary: 'Change a port’s class (between trading classes 1–8), a good’s stock and capacity',
  scope: 'admin:universe',
  dangerous: true,
  request: {
    params: IntParam('The port id'),
    ...body(
      z
        .strictObject({
          port_class: z.number().int().min(0).max(9).optional(),
          goods: z
            .array(
              z.strictObject({
                good: z.enum(['ore', 'organics', 'equipment', 'colonists']),
                stock: z.number().int().min(0).max(10_000_000).optional(),
                capacity: z.number().int().min(1).max(10_000_000).optional(),
              }),
            )
            .max(4)
            .default([]),
          reason: Reason,
        })
        .openapi('AdminPortEditRequest'),
      'What to change, and why',
    ),
  },
  problems: [...BODY_PROBLEMS, 'not_found', 'invalid_port_edit'],
  responses: { 200: json(z.object({ after: PortAdminView, audit: AuditEntryView }).openapi('AdminPortEditResult'), 'Edited') },
});

const PlanetAdminView = z
  .object({ id: z.number().int(), sector_id: z.number().int(), name: z.string(), planet_type: z.string(), owner_user_id: z.string().nullable() })
  .openapi('AdminPlanet');

export const editPlanetRoute = adminRoute({
  method: 'post',
  path: '/planets/{id}',
  operationId: 'adminEditPlanet',
  summary: 'Rename a planet or change its type',
  scope: 'admin:universe',
  dangerous: true,
  request: {
    params: IntParam('The planet id'),
    ...body(
      z
        .strictObject({
          name: AdminText(40).optional(),
          planet_type: z.enum(PLANET_TYPES).optional(),
          reason: Reason,
        })
        .openapi('AdminPlanetEditRequest'),
      'What to change, and why',
    ),
  },
  problems: [...BODY_PROBLEMS, 'not_found', 'invalid_planet_edit'],
  responses: { 200: json(z.object({ after: PlanetAdminView, audit: AuditEntryView }).openapi('AdminPlanetEditResult'), 'Edited') },
});
