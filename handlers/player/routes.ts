import { createRoute, z } from '@hono/zod-openapi';
import { AUTH_PROBLEMS, BODY_PROBLEMS, KEY_PROBLEMS, problemResponses } from '../openapi.js';
import { DefenseView, HopView, IdempotencyHeader, MoveDefensesView, PlayerView, SectorView, ShipView, WreckView } from '../schemas.js';

const SectorId = z.number().int().positive().max(2_147_483_647);

export const PlayerState = z.object({ player: PlayerView, ship: ShipView }).openapi('PlayerState');

export const stateRoute = createRoute({
  method: 'get',
  path: '/state',
  tags: ['player'],
  summary: 'Your pilot and ship (creates the pilot on the first call after registering)',
  security: [{ bearer: [] }],
  responses: {
    200: { description: 'Pilot and ship', content: { 'application/json': { schema: PlayerState } } },
    ...problemResponses(...AUTH_PROBLEMS, 'universe_missing'),
  },
});

export const MoveBody = z
  .strictObject({
    to: SectorId.openapi({ description: 'An adjacent sector' }),
    toll: z
      .enum(['pay', 'refuse'])
      .optional()
      .openapi({ description: 'Entering a sector whose fighters demand a toll: pay it, or refuse and face them. Without it such a move is 409 toll_required' }),
  })
  .openapi('MoveRequest');

/** Where a region is reached: nginx serves `<base_path>/api/v1/…` and `<base_path>/ws` from its shard. */
export const RegionLinkView = z.object({ slug: z.string(), name: z.string(), base_path: z.string() }).openapi('RegionLink');

const GateTransferView = z.object({ id: z.string().uuid(), state: z.enum(['arrived', 'in_transit', 'rolled_back']) }).openapi('GateTransfer');

export const moveRoute = createRoute({
  method: 'post',
  path: '/move',
  tags: ['player'],
  summary: "Fly one warp hop (costs the hull's turns per warp)",
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: MoveBody } }, required: true } },
  responses: {
    200: {
      description: 'Arrived',
      content: {
        'application/json': {
          schema: z
            .object({
              hop: HopView,
              player: PlayerView,
              sector: SectorView,
              defenses: MoveDefensesView.optional().openapi({ description: 'Present when hostile defenses acted on the move' }),
              region: RegionLinkView.optional().openapi({
                description: 'Present after a gate crossing into a region another shard serves: send its requests there',
              }),
              transfer: GateTransferView.optional(),
            })
            .openapi('MoveResult'),
        },
      },
    },
    202: {
      description: 'Entered a gate into another region; the pilot is crossing (actions answer in_transit until it arrives)',
      content: {
        'application/json': {
          schema: z.object({ hop: HopView, transfer: GateTransferView, region: RegionLinkView, sector_id: z.number().int() }).openapi('GateCrossing'),
        },
      },
    },
    ...problemResponses(
      ...AUTH_PROBLEMS,
      ...BODY_PROBLEMS,
      ...KEY_PROBLEMS,
      'not_adjacent',
      'one_way_warp',
      'already_here',
      'insufficient_turns',
      'toll_required',
      'universe_missing',
      'in_transit',
      'wrong_region',
      'region_unavailable',
    ),
  },
});

export const MapView = z
  .object({
    current_sector_id: z.number().int(),
    sectors: z.array(
      z.object({
        id: z.number().int(),
        x: z.number().int(),
        y: z.number().int(),
        region_id: z.number().int(),
        zone: z.string(),
        fedspace: z.boolean(),
        port_class: z.number().int().nullable(),
        planets: z.number().int().openapi({ description: 'Planets in the sector now' }),
        your_planets: z.number().int(),
        last_seen_at: z.string(),
      }),
    ),
    warps: z.array(z.object({ from: z.number().int(), to: z.number().int() })).openapi({
      description: 'Directed warps out of known sectors (targets may be unexplored)',
    }),
    unexplored: z
      .array(z.object({ id: z.number().int(), x: z.number().int(), y: z.number().int(), region_id: z.number().int() }))
      .openapi({ description: 'Sectors a known warp leads to that you have not visited: where they lie, nothing more' }),
  })
  .openapi('KnownMap');

export const mapRoute = createRoute({
  method: 'get',
  path: '/map',
  tags: ['player'],
  summary: 'The sectors you know and their warps, for the map',
  security: [{ bearer: [] }],
  responses: {
    200: { description: 'Known space', content: { 'application/json': { schema: MapView } } },
    ...problemResponses(...AUTH_PROBLEMS, 'universe_missing'),
  },
});

const Band = z.object({ min: z.number().int(), max: z.number().int().nullable() }).openapi('ScanBand');

export const ScanBody = z.strictObject({ sector: SectorId.openapi({ description: 'Your sector or an adjacent one' }) }).openapi('ScanRequest');

export const ScanResult = z
  .object({
    scan: z.object({
      sector_id: z.number().int(),
      ships: z.array(
        z.object({
          pilot: z.string(),
          hull: z.string(),
          hull_name: z.string(),
          npc: z.boolean(),
          escape_pod: z.boolean().openapi({ description: 'cannot be attacked' }),
          protected: z.boolean().openapi({ description: 'under new-pilot protection: cannot be attacked' }),
          fighters: Band.openapi({ description: 'fighters aboard, rounded to a band' }),
          shields: Band,
        }),
      ),
      defenses: z.object({
        fighters: z.number().int().openapi({ description: 'Your and friendly fighters exactly, plus the lower band of others' }),
        mines: z.number().int(),
        owners: z.array(z.string()),
        stacks: z.array(DefenseView).optional(),
      }),
      wrecks: z.array(WreckView),
    }),
    player: PlayerView,
  })
  .openapi('ScanResult');

export const scanRoute = createRoute({
  method: 'post',
  path: '/scan',
  tags: ['player'],
  summary: 'Scan your sector or an adjacent one (1 turn): ships, defenses, wrecks',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: ScanBody } }, required: true } },
  responses: {
    200: { description: 'What the scanner saw', content: { 'application/json': { schema: ScanResult } } },
    ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, ...KEY_PROBLEMS, 'not_adjacent', 'insufficient_turns', 'universe_missing'),
  },
});
