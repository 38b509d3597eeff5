import { z } from 'zod';

/**
 * The one event catalog: every domain event type and the shape of its data. Decisions in game/
 * produce these, the outbox stores them, realtime and the events feed deliver them, and the
 * typed client reads them; the OpenAPI document publishes the same schemas.
 */
const Commodity = z.enum(['ore', 'organics', 'equipment', 'colonists']);
const Side = z.enum(['buy', 'sell']);

const CombatSummary = z.object({
  log_id: z.string(),
  sector_id: z.number().int(),
  attacker: z.string(),
  defender: z.string(),
  result: z.enum(['destroyed', 'repelled', 'stalemate']),
  rounds: z.number().int(),
  attacker_fighters_lost: z.number().int(),
  defender_fighters_lost: z.number().int(),
  destroyed: z.boolean(),
});

export const EVENT_SCHEMAS = {
  /** to the trader: what it paid or got, and where its credits stand */
  'trade.completed': z.object({
    side: Side,
    good: Commodity,
    quantity: z.number().int(),
    total: z.number().int(),
    average_unit_price: z.number(),
    port_stock_after: z.number().int(),
    turns: z.number().int(),
    port_id: z.number().int(),
    port_name: z.string(),
    sector_id: z.number().int(),
    credits_after: z.number().int(),
    experience_gained: z.number().int(),
  }),
  /** to the sector: a port's market moved */
  'port.traded': z.object({
    port_id: z.number().int(),
    sector_id: z.number().int(),
    trader: z.string(),
    side: Side,
    good: Commodity,
    quantity: z.number().int(),
    unit_price: z.number().int(),
    stock: z.number().int(),
  }),
  /** to the pilot: it flew a warp (realtime moves its sector subscription on this) */
  'player.moved': z.object({ from: z.number().int(), to: z.number().int(), turns_left: z.number().int(), first_visit: z.boolean() }),
  /** to the pilot: it entered a gate to another region; it arrives there once the hand-off is done */
  'player.gate_departed': z.object({ transfer_id: z.string(), from: z.number().int(), to: z.number().int(), to_region: z.string() }),
  /** to the pilot, from the region it arrived in (or back where it started, `rolled_back`) */
  'player.gate_arrived': z.object({ transfer_id: z.string(), sector_id: z.number().int(), region: z.string(), rolled_back: z.boolean() }),
  /** to the sector left */
  'sector.departed': z.object({ sector_id: z.number().int(), player: z.string() }),
  /** to the sector entered */
  'sector.arrived': z.object({ sector_id: z.number().int(), player: z.string(), hull: z.string() }),
  /** to both pilots of an engagement, and (as `sector.combat`) to its sector */
  'combat.resolved': CombatSummary,
  'sector.combat': CombatSummary,
  /** to everyone: a ship was destroyed */
  'ship.destroyed': z.object({ log_id: z.string(), sector_id: z.number().int(), victim: z.string(), hull: z.string(), attacker: z.string() }),
  /** to the pilot: it joined a team (realtime adds the team topic on this) */
  'team.joined': z.object({ team_id: z.number().int(), name: z.string(), tag: z.string() }),
  /** to the pilot: it is no longer in that team (left, kicked or disbanded; realtime drops the topic) */
  'team.left': z.object({ team_id: z.number().int(), reason: z.enum(['left', 'kicked', 'disbanded']) }),
  /** to the pilot: a team invited it */
  'team.invited': z.object({ invitation_id: z.number().int(), team_id: z.number().int(), name: z.string(), tag: z.string(), from: z.string() }),
  /** to the team: who joined, left, was kicked or now leads; or the team was disbanded */
  'team.changed': z.object({
    team_id: z.number().int(),
    change: z.enum(['joined', 'left', 'kicked', 'leader', 'rights', 'disbanded']),
    pilot: z.string().nullable(),
  }),
  /** to the team: credits went into or out of the treasury */
  'team.treasury': z.object({
    team_id: z.number().int(),
    pilot: z.string(),
    action: z.enum(['deposit', 'withdraw', 'payout']),
    amount: z.number().int(),
    treasury: z.number().int(),
  }),
  /** to the recipient: mail arrived, and how many unread messages it now has */
  'mail.received': z.object({ message_id: z.number().int(), from: z.string(), subject: z.string(), unread: z.number().int() }),
  /** to the sector: someone deployed or recalled fighters or mines there */
  'sector.defenses': z.object({
    sector_id: z.number().int(),
    owner: z.string(),
    kind: z.enum(['fighters', 'mines']),
    change: z.enum(['deployed', 'recalled']),
  }),
  /** to a stack's owner (and its team): its defenses hit, were paid, were attacked or destroyed */
  'defenses.fired': z.object({
    sector_id: z.number().int(),
    kind: z.enum(['fighters', 'mines']),
    pilot: z.string(),
    log_id: z.string().nullable(),
    lost: z.number().int(),
    result: z.string(),
    credits: z.number().int(),
  }),
  /** to the pilot: the bounty on a pirate it destroyed was paid */
  'bounty.paid': z.object({ pirate: z.string(), log_id: z.string(), credits: z.number().int() }),
  /** to the pilot: the Federation police fined it in FedSpace for attacking good pilots */
  'police.fined': z.object({ sector_id: z.number().int(), credits: z.number().int(), alignment: z.number().int() }),
  /** to the sector: a genesis torpedo made a planet here */
  'planet.created': z.object({ planet_id: z.number().int(), name: z.string(), type: z.string(), sector_id: z.number().int(), owner: z.string() }),
  /** to the owner, at once: its planet was attacked (and perhaps captured) */
  'planet.attacked': z.object({
    planet_id: z.number().int(),
    planet: z.string(),
    sector_id: z.number().int(),
    attacker: z.string(),
    log_id: z.string(),
    fighters_lost: z.number().int(),
    shields_lost: z.number().int(),
    captured: z.boolean(),
  }),
  /** to everyone: a planet changed hands */
  'planet.captured': z.object({
    planet_id: z.number().int(),
    planet: z.string(),
    sector_id: z.number().int(),
    captured_by: z.string(),
    previous_owner: z.string().nullable(),
    log_id: z.string(),
  }),
  /** to everyone: a paid global broadcast */
  'broadcast.sent': z.object({ from: z.string(), body: z.string() }),
  /** to admins (topic `admin`): a galaxy generation job wrote some more rows of a table */
  'admin.generate.progress': z.object({ job_id: z.string(), table: z.string(), written: z.number().int(), total: z.number().int() }),
  /** to admins: a generation job wrote its galaxy, or its new region (`region_id`) */
  'admin.generate.done': z.object({
    job_id: z.string(),
    seed: z.string(),
    sectors: z.number().int(),
    warps: z.number().int(),
    ports: z.number().int(),
    region_id: z.number().int().optional(),
  }),
  /** to admins: a generation job stopped (if it had wiped the old galaxy, the universe is empty until a commit succeeds) */
  'admin.generate.failed': z.object({ job_id: z.string(), error: z.string() }),
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

/** An event as a decision produces it: where it goes, what it is, what it says. */
export type DomainEvent = { [T in EventType]: { topic: string; type: T; data: EventData<T> } }[EventType];

export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

/** An event as clients receive it: with its outbox id (for dropping duplicates) and commit time. */
export type EventEnvelope = DomainEvent & { id: number; at: string };

/** Check an event against the catalog; throws on an unknown type or a malformed payload. */
export function parseEvent(event: { type: string; data: unknown }): DomainEvent['data'] {
  const schema = (EVENT_SCHEMAS as Record<string, z.ZodType>)[event.type];
  if (!schema) throw new Error(`unknown event type ${event.type}`);
  return schema.parse(event.data) as DomainEvent['data'];
}
