import type { HullId } from '../game/catalog/hulls.js';
import { netWorth } from '../game/net-worth.js';
import { sql } from 'kysely';
import type { Planet } from '../game/planets.js';
import { ownedPlanets } from './planets.js';
import type { RegionDb } from '../platform/db/database.js';

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
