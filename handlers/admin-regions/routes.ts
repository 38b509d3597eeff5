import { z } from '@hono/zod-openapi';
import { adminRoute, AuditEntryView, Reason } from '../admin-route.js';
import { BODY_PROBLEMS } from '../openapi.js';
import { iso, isoOrNull } from '../schemas.js';

/** The region manager's admin API (the `regions` role): the contract. index.ts does the work. */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T, description: string) => ({ body: { content: { 'application/json': { schema } }, required: true, description } });

const Slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/)
  .openapi({ param: { name: 'slug', in: 'path' }, example: 'nexus' });
const ApiReplicas = z.number().int().min(1).max(16).openapi({ example: 2 });

const Change = z.object({
  service: z.enum(['api', 'realtime', 'jobs']),
  action: z.enum(['create', 'start', 'replace', 'remove', 'scale', 'update']),
  replica: z.number().int().optional(),
});

const Replica = z.object({
  replica: z.number().int(),
  address: z.string().openapi({ example: '127.0.0.1:9120' }),
  state: z.string(),
  running: z.boolean(),
  restarts: z.number().int(),
  ready: z.boolean().openapi({ description: 'Its /readyz answered 200 just now' }),
  requests_per_second: z.number().nullable().openapi({ description: 'Since the previous look at its /metrics; null on the first' }),
});

export const RegionHealthView = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    state: z.enum(['active', 'stopped']),
    managed: z.boolean().openapi({ description: 'false: registered and run outside the manager; shown only' }),
    api_urls: z.array(z.string()),
    realtime_urls: z.array(z.string()),
    services: z.array(
      z.object({
        service: z.enum(['api', 'realtime', 'jobs']),
        wanted: z.number().int(),
        running: z.number().int(),
        restarts: z.number().int(),
        replicas: z.array(Replica),
      }),
    ),
  })
  .openapi('AdminRegionHealth');

export const CreateJobView = z
  .object({
    id: z.string(),
    slug: z.string(),
    state: z.enum(['running', 'done', 'failed']),
    step: z.enum(['database', 'shard', 'services', 'ready']),
    steps: z.array(z.object({ step: z.enum(['database', 'shard', 'services', 'ready']), at: iso() })),
    progress: z
      .array(z.object({ table: z.string(), written: z.number().int(), total: z.number().int() }))
      .openapi({ description: "The shard's galaxy as it is written, table by table" }),
    error: z.string().nullable(),
    started_at: iso(),
    finished_at: isoOrNull(),
  })
  .openapi('AdminRegionJob');

export const listRoute = adminRoute({
  method: 'get',
  path: '/',
  operationId: 'adminRegions',
  summary: 'Every region in the registry, with its services: replicas wanted and running, restarts, readiness and request rate of each',
  scope: 'admin:read',
  request: { query: z.object({}).strict() },
  problems: ['validation_failed'],
  responses: { 200: json(z.object({ driver: z.enum(['containers', 'swarm']), regions: z.array(RegionHealthView) }).openapi('AdminRegions'), 'The regions') },
});

export const createRegionRoute = adminRoute({
  method: 'post',
  path: '/',
  operationId: 'adminRegionCreate',
  summary: 'Create a region of the galaxy plan: its database, its shard (migrations, its cut of the galaxy), its api, realtime and jobs',
  scope: 'admin:regions',
  request: body(
    z.strictObject({ slug: Slug, api_replicas: ApiReplicas.default(1), reason: Reason }).openapi('AdminRegionCreateRequest'),
    'Which region, and why',
  ),
  problems: [...BODY_PROBLEMS, 'slug_taken', 'region_busy', 'regions_unconfigured'],
  responses: { 202: json(z.object({ job: CreateJobView, audit: AuditEntryView }).openapi('AdminRegionCreateResult'), 'Started; follow the job') },
});

export const jobRoute = adminRoute({
  method: 'get',
  // Under the region's slug: a `/jobs/{id}` beside `/{slug}/scale` would be ambiguous.
  path: '/{slug}/jobs/{id}',
  operationId: 'adminRegionJob',
  summary: 'A region being created: its step, or how it failed',
  scope: 'admin:read',
  request: { params: z.object({ slug: Slug, id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
  problems: ['validation_failed', 'not_found'],
  responses: { 200: json(CreateJobView, 'The job') },
});

const ChangeResult = (name: string) => z.object({ before: z.unknown(), after: z.unknown(), changes: z.array(Change), audit: AuditEntryView }).openapi(name);

export const scaleRoute = adminRoute({
  method: 'post',
  path: '/{slug}/scale',
  operationId: 'adminRegionScale',
  summary: 'Set how many api replicas the region runs',
  scope: 'admin:regions',
  request: {
    params: z.object({ slug: Slug }),
    ...body(z.strictObject({ api_replicas: ApiReplicas, reason: Reason }).openapi('AdminRegionScaleRequest'), 'How many'),
  },
  problems: [...BODY_PROBLEMS, 'region_not_found', 'region_not_managed', 'region_busy'],
  responses: { 200: json(ChangeResult('AdminRegionScaleResult'), 'Scaled') },
});

export const stopRoute = adminRoute({
  method: 'post',
  path: '/{slug}/stop',
  operationId: 'adminRegionStop',
  summary: 'Stop every process of the region (its pilots cannot play until it starts again)',
  scope: 'admin:regions',
  dangerous: true,
  request: { params: z.object({ slug: Slug }), ...body(z.strictObject({ reason: Reason }).openapi('AdminRegionStopRequest'), 'Why') },
  problems: [...BODY_PROBLEMS, 'region_not_found', 'region_not_managed', 'region_busy'],
  responses: { 200: json(ChangeResult('AdminRegionStopResult'), 'Stopped') },
});

export const startRoute = adminRoute({
  method: 'post',
  path: '/{slug}/start',
  operationId: 'adminRegionStart',
  summary: 'Start a stopped region again',
  scope: 'admin:regions',
  request: { params: z.object({ slug: Slug }), ...body(z.strictObject({ reason: Reason }).openapi('AdminRegionStartRequest'), 'Why') },
  problems: [...BODY_PROBLEMS, 'region_not_found', 'region_not_managed', 'region_busy'],
  responses: { 200: json(ChangeResult('AdminRegionStartResult'), 'Started') },
});

export const deleteRoute = adminRoute({
  method: 'post',
  path: '/{slug}/delete',
  operationId: 'adminRegionDelete',
  summary: 'Delete the region: its processes, its database (after a final pg_dump unless keep_dump is false) and its registry row',
  scope: 'admin:regions',
  dangerous: true,
  request: {
    params: z.object({ slug: Slug }),
    ...body(z.strictObject({ keep_dump: z.boolean().default(true), reason: Reason }).openapi('AdminRegionDeleteRequest'), 'Whether to keep a dump, and why'),
  },
  problems: [...BODY_PROBLEMS, 'region_not_found', 'region_not_managed', 'region_busy'],
  responses: {
    200: json(z.object({ dump: z.string().nullable(), changes: z.array(Change), audit: AuditEntryView }).openapi('AdminRegionDeleteResult'), 'Deleted'),
  },
});
