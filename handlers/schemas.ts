import { z } from '@hono/zod-openapi';

/** Response shapes shared by several bundles, named once so the OpenAPI document reuses them. */

/** A time as ISO 8601 text. */
export const iso = () => z.string().openapi({ format: 'date-time' });
/** A time as ISO 8601 text, or null (published as nullable: an explicit `type` would drop that). */
export const isoOrNull = () => z.string().nullable().openapi({ format: 'date-time' });

export const CommodityName = z.enum(['ore', 'organics', 'equipment', 'colonists']).openapi('Commodity');

export const Cargo = z.object({ ore: z.number().int(), organics: z.number().int(), equipment: z.number().int(), colonists: z.number().int() }).openapi('Cargo');

export const PlayerView = z
  .object({
    name: z.string(),
    credits: z.number().int(),
    turns: z.number().int(),
    max_turns: z.number().int(),
    next_turn_in_ms: z.number().int().nullable().openapi({ description: 'Until the next turn regenerates; null when the pool is full' }),
    sector_id: z.number().int(),
    region_id: z.number().int(),
    experience: z.number().int(),
    alignment: z.number().int(),
    rank: z.object({ level: z.number().int(), title: z.string() }),
    landed_planet_id: z.number().int().nullable().openapi({ description: 'The planet you are landed on; null in space' }),
  })
  .openapi('Player');

export const ShipView = z
  .object({
    id: z.number().int(),
    hull: z.string(),
    hull_name: z.string(),
    holds: z.number().int(),
    holds_free: z.number().int(),
    cargo: Cargo,
    fighters: z.number().int(),
    max_fighters: z.number().int(),
    shields: z.number().int(),
    max_shields: z.number().int(),
    max_holds: z.number().int().openapi({ description: 'the most holds Stardock purchases can bring this hull to' }),
    mines: z.number().int(),
    max_mines: z.number().int(),
    genesis_torpedoes: z.number().int(),
    max_genesis_torpedoes: z.number().int(),
    escape_pod: z.boolean().openapi({ description: 'true after a destruction: an indestructible pod; buy a hull at the Stardock' }),
    turns_per_warp: z.number().int(),
  })
  .openapi('Ship');

export const PortGoodView = z
  .object({
    good: CommodityName,
    port_action: z.enum(['sells', 'buys']).openapi({ description: '`sells`: you can buy it here; `buys`: you can sell it here' }),
    unit_price: z.number().int().openapi({ description: 'Price of the next unit; a batch is priced unit by unit along the curve' }),
    stock: z.number().int(),
    capacity: z.number().int(),
    tradable: z.number().int(),
  })
  .openapi('PortGood');

export const PortView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    class: z.number().int().min(0).max(9),
    class_code: z.string().openapi({ description: "B/S for ore, organics, equipment from the port's side" }),
    class_name: z.string(),
    goods: z.array(PortGoodView),
  })
  .openapi('Port');

export const WreckView = z.object({ id: z.string(), victim: z.string(), cargo: Cargo, expires_at: z.string() }).openapi('Wreck');

const DefenseBand = z.object({ min: z.number().int(), max: z.number().int().nullable() });

/** A deployed stack as a pilot sees it: exact counts for your own (or your team's), a band for others'. */
export const DefenseView = z
  .object({
    id: z.string(),
    owner: z.string(),
    yours: z.boolean(),
    friendly: z.boolean(),
    team_owned: z.boolean(),
    kind: z.enum(['fighters', 'mines']),
    mode: z.enum(['defensive', 'toll', 'offensive']).nullable(),
    toll: z.number().int().nullable(),
    quantity: z.number().int().nullable().openapi({ description: 'Exact for your own and friendly stacks; null for others (see band)' }),
    band: DefenseBand,
  })
  .openapi('DeployedDefense');

export const SectorView = z
  .object({
    id: z.number().int(),
    name: z.string().nullable(),
    region: z.object({ id: z.number().int(), name: z.string() }),
    zone: z.enum(['federation', 'border', 'frontier']),
    fedspace: z.boolean(),
    coordinates: z.object({ x: z.number().int(), y: z.number().int() }),
    warps: z.array(z.object({ to: z.number().int(), one_way: z.boolean(), gate: z.boolean() })),
    port: PortView.nullable(),
    planets: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        type: z.string(),
        claimable: z.boolean(),
        owned: z.boolean(),
        owner: z.string().nullable(),
        yours: z.boolean(),
        citadel_level: z.number().int(),
      }),
    ),
    players: z.array(
      z.object({
        name: z.string(),
        hull: z.string(),
        npc: z.boolean().openapi({ description: 'an NPC trader: always in the sky' }),
        online: z.boolean().openapi({ description: 'a pilot whose realtime link is up (false for NPCs, and while presence is unavailable)' }),
      }),
    ),
    defenses: z.object({
      fighters: z.number().int().openapi({ description: 'Your own fighters exactly, plus the lower band of others' }),
      mines: z.number().int(),
      owners: z.array(z.string()),
      stacks: z.array(DefenseView).optional(),
    }),
    wrecks: z.array(WreckView).openapi({ description: 'cargo left by destroyed ships, salvageable until it expires (POST /api/v1/combat/salvage)' }),
  })
  .openapi('Sector');

export const SectorLookup = SectorView.extend({
  live: z.boolean().openapi({ description: 'true: you are here and this is now; false: what you saw on your last visit' }),
  last_seen_at: z.string().nullable(),
}).openapi('SectorLookup');

export const HopView = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    turns_spent: z.number().int(),
    turns_left: z.number().int(),
    first_visit: z.boolean(),
    experience_gained: z.number().int(),
  })
  .openapi('Hop');

export const IdempotencyHeader = z.object({
  'idempotency-key': z.string().optional().openapi({ description: 'Makes the request safe to retry: a replay returns the first response and changes nothing' }),
});

/** A fight with deployed fighters, as a move or an attack reports it. */
export const DefenseFightView = z
  .object({
    log_id: z.string(),
    result: z.enum(['destroyed', 'repelled', 'stalemate']),
    rounds: z.number().int(),
    seed: z.string(),
    fighters_lost: z.number().int(),
    shields_lost: z.number().int(),
    defense_fighters_lost: z.number().int(),
    destroyed: z.boolean(),
  })
  .openapi('DefenseFight');

/** What the defenses of the sectors a move left and entered did. */
export const MoveDefensesView = z
  .object({
    departure: DefenseFightView.nullable().openapi({ description: 'Hostile defensive fighters fought you passing on (not when retreating the way you came)' }),
    mines: z.array(
      z.object({ defense_id: z.string(), owner: z.string(), mines: z.number().int(), shields_lost: z.number().int(), fighters_lost: z.number().int() }),
    ),
    toll: z.object({ amount: z.number().int(), paid: z.boolean() }).nullable(),
    fight: DefenseFightView.nullable(),
    destroyed: z.boolean(),
  })
  .openapi('MoveDefenses');
