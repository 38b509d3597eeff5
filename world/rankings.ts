import type { HullId } from '../game/catalog/hulls.js';
import { netWorth } from '../game/net-worth.js';
import { sql } from 'kysely';
import type { Planet } from '../game/planets.js';
import { ownedPlanets } from './planets.js';
import type { AccountDb, RegionDb } from '../platform/db/database.js';

export interface Standing {
  user_id: string;
  name: string;
  net_worth: number;
  experience: number;
  networth_position: number;
  experience_position: number;
}

/**
 * Every human pilot's standing now: net worth by the game's one rule (game/net-worth.ts) and
 * experience, with both positions. Ties go to the name, in byte order. NPCs are not ranked.
 */
export async function currentStandings(db: RegionDb): Promise<Standing[]> {
  const pilots = await db
    .selectFrom('players')
    .innerJoin('ships', 'ships.id', 'players.ship_id')
    .select([
      'players.user_id',
      'players.name',
      'players.credits',
      'players.experience',
      'ships.hull',
      'ships.cargo_ore',
      'ships.cargo_organics',
      'ships.cargo_equipment',
      'ships.cargo_colonists',
    ])
    .where('players.npc', '=', false)
    .execute();
  const planetsBy = new Map<string, Planet[]>();
  for (const planet of await ownedPlanets(db)) planetsBy.set(planet.ownerUserId!, [...(planetsBy.get(planet.ownerUserId!) ?? []), planet]);
  const ranked = pilots.map((p) => ({
    user_id: p.user_id,
    name: p.name,
    experience: p.experience,
    net_worth: netWorth({
      credits: Number(p.credits),
      hull: p.hull as HullId,
      cargo: { ore: p.cargo_ore, organics: p.cargo_organics, equipment: p.cargo_equipment, colonists: p.cargo_colonists },
      planets: planetsBy.get(p.user_id) ?? [],
    }),
  }));
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const networth = new Map([...ranked].sort((a, b) => b.net_worth - a.net_worth || byName(a, b)).map((p, i) => [p.user_id, i + 1]));
  const experience = new Map([...ranked].sort((a, b) => b.experience - a.experience || byName(a, b)).map((p, i) => [p.user_id, i + 1]));
  return ranked.map((p) => ({ ...p, networth_position: networth.get(p.user_id)!, experience_position: experience.get(p.user_id)! }));
}

/**
 * The kills leaderboard: ships each pilot destroyed (with its own fighters or its deployed ones;
 * fighters shot down in an attack on defenses are not kills), from the combat logs. NPCs are not ranked.
 */
export async function killStandings(db: RegionDb, limit: number, offset: number): Promise<{ total: number; rows: Array<{ name: string; kills: number }> }> {
  const kills = db
    .selectFrom('combat_logs as l')
    .innerJoin('players as p', 'p.user_id', 'l.attacker_user_id')
    .where('l.result', '=', 'destroyed')
    .where('p.npc', '=', false)
    .where(sql<boolean>`coalesce(l.detail->>'kind', 'ship') not in ('attack_defenses', 'attack_planet')`);
  const [rows, total] = await Promise.all([
    kills
      .select(['p.name', sql<string>`count(*)`.as('kills')])
      .groupBy('p.name')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('p.name')
      .limit(limit)
      .offset(offset)
      .execute(),
    kills.select(sql<string>`count(distinct l.attacker_user_id)`.as('n')).executeTakeFirst(),
  ]);
  return { total: Number(total?.n ?? 0), rows: rows.map((r) => ({ name: r.name, kills: Number(r.kills) })) };
}

/**
 * The planets leaderboard, live: planets owned, then colonists on them, then the name. NPCs are
 * not ranked.
 */
export async function planetStandings(
  db: RegionDb,
  limit: number,
  offset: number,
): Promise<{ total: number; rows: Array<{ name: string; planets: number; colonists: number; top_citadel: number }> }> {
  const owned = db.selectFrom('planets as pl').innerJoin('players as p', 'p.user_id', 'pl.owner_user_id').where('p.npc', '=', false);
  const [rows, total] = await Promise.all([
    owned
      .select([
        'p.name',
        sql<string>`count(*)`.as('planets'),
        sql<string>`coalesce(sum(pl.colonists), 0)`.as('colonists'),
        sql<number>`max(pl.citadel_level)`.as('top_citadel'),
      ])
      .groupBy('p.name')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy(sql`coalesce(sum(pl.colonists), 0)`, 'desc')
      .orderBy('p.name')
      .limit(limit)
      .offset(offset)
      .execute(),
    owned.select(sql<string>`count(distinct pl.owner_user_id)`.as('n')).executeTakeFirst(),
  ]);
  return {
    total: Number(total?.n ?? 0),
    rows: rows.map((r) => ({ name: r.name, planets: Number(r.planets), colonists: Number(r.colonists), top_citadel: Number(r.top_citadel) })),
  };
}

// ---- across regions (multi-regional mode) --------------------------------------------------

export type Board = 'networth' | 'experience';

/**
 * Put this region's snapshot of `windowStart` on the nexus in place of its previous one, in one
 * accounts transaction. Again for the same window it changes nothing; a window older than the one
 * the nexus holds (a leader that lost its lease) is left out. Returns the rows written.
 */
export async function publishRegionStandings(dbs: { accounts: AccountDb; region: RegionDb }, regionSlug: string, windowStart: Date): Promise<number> {
  const rows = await dbs.region
    .selectFrom('ranking_snapshots')
    .select(['user_id', 'name', 'net_worth', 'experience'])
    .where('window_start', '=', windowStart)
    .execute();
  return dbs.accounts.transaction().execute(async (trx) => {
    // The registry row locked: two writers of one region's rows take turns.
    const home = await trx.selectFrom('region_registry').select('id').where('slug', '=', regionSlug).forUpdate().executeTakeFirst();
    if (!home) throw new Error(`region ${regionSlug} is not in the region registry`);
    const held = await trx
      .selectFrom('region_rankings')
      .select((eb) => eb.fn.max('window_start').as('at'))
      .where('region_id', '=', home.id)
      .executeTakeFirst();
    if (held?.at && new Date(held.at).getTime() >= windowStart.getTime()) return 0;
    await trx.deleteFrom('region_rankings').where('region_id', '=', home.id).execute();
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const batch = rows.slice(i, i + INSERT_BATCH).map((r) => ({ ...r, net_worth: Number(r.net_worth), region_id: home.id, window_start: windowStart }));
      await trx.insertInto('region_rankings').values(batch).execute();
    }
    return rows.length;
  });
}

const INSERT_BATCH = 1_000;

/**
 * Every region's latest rows, one per pilot: a pilot two regions snapshotted either side of a
 * crossing counts where it lives now (pilot_homes), else in the newer snapshot.
 */
const MERGED = sql`
  select distinct on (r.user_id) r.user_id, r.name, r.net_worth, r.experience
  from region_rankings r left join pilot_homes h on h.user_id = r.user_id
  order by r.user_id, (h.region_id = r.region_id) is true desc, r.window_start desc`;

/**
 * One page of a leaderboard across all regions, positions taken over the merged rows with the
 * single-region rule (ties to the name, in byte order). `asOf` is the oldest region's snapshot: the
 * board is at least that fresh. Undefined while no region has published a snapshot.
 */
export async function mergedBoard(
  accounts: AccountDb,
  by: Board,
  page: number,
  perPage: number,
): Promise<{ asOf: Date; total: number; rows: Array<{ position: number; name: string; net_worth: number; experience: number }> } | undefined> {
  const summary = await accounts
    .selectFrom('region_rankings')
    .select((eb) => [eb.fn.min('window_start').as('as_of'), sql<string>`count(distinct user_id)`.as('total')])
    .executeTakeFirst();
  if (!summary?.as_of) return undefined;
  const value = by === 'networth' ? sql.ref('net_worth') : sql.ref('experience');
  const rows = await sql<{ position: string; name: string; net_worth: string; experience: number }>`
    select position, name, net_worth, experience from (
      select name, net_worth, experience, row_number() over (order by ${value} desc, name collate "C") as position
      from (${MERGED}) merged
    ) ranked
    order by position
    limit ${perPage} offset ${(page - 1) * perPage}`.execute(accounts);
  return {
    asOf: new Date(summary.as_of),
    total: Number(summary.total),
    rows: rows.rows.map((r) => ({ position: Number(r.position), name: r.name, net_worth: Number(r.net_worth), experience: r.experience })),
  };
}

/** The merged standings of these pilots (for the team board), and when taken; undefined while no region has published. */
export async function mergedStandingsOf(
  accounts: AccountDb,
  userIds: string[],
): Promise<{ asOf: Date; standings: Array<{ user_id: string; net_worth: number; experience: number }> } | undefined> {
  const summary = await accounts
    .selectFrom('region_rankings')
    .select((eb) => eb.fn.min('window_start').as('as_of'))
    .executeTakeFirst();
  if (!summary?.as_of) return undefined;
  const rows =
    userIds.length === 0
      ? []
      : (
          await sql<{ user_id: string; net_worth: string; experience: number }>`
            select user_id, net_worth, experience from (${MERGED}) merged where user_id = any(${userIds}::uuid[])`.execute(accounts)
        ).rows;
  return { asOf: new Date(summary.as_of), standings: rows.map((r) => ({ user_id: r.user_id, net_worth: Number(r.net_worth), experience: r.experience })) };
}
