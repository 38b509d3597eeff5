import { createHash } from 'node:crypto';
import pg from 'pg';
import { BASE_PRICE } from '../../game/catalog/goods.js';
import { EXPERIENCE, tradeExperience } from '../../game/catalog/experience.js';
import { HULLS, type HullId } from '../../game/catalog/hulls.js';
import { NEW_PILOT } from '../../game/catalog/new-pilot.js';
import { TURN_COSTS, TURN_POOL } from '../../game/catalog/turns.js';
import { currentUnitPrice, quoteBuy, quoteSell } from '../../game/pricing.js';
import { regenTurns, spendTurns, maxTurnsFor } from '../../game/turns.js';
import type { Player, Ship } from '../../platform/db/schema.js';
import { driftedGood, portView, type PortGoodRow } from '../../handlers/sectors/market.js';
import type { Good } from '../game-api.js';
import { mapLimit } from '../concurrency.js';
import { classify, learnSector, type ActionOutcome, type Decision, type Knowledge, type PlayerDriver } from '../virtual-player.js';

/**
 * The database's ceiling for the actions scenario: per action, the very statements the API's
 * handlers run (handlers/trade/trading.ts, handlers/player/movement.ts, handlers/sectors/view.ts,
 * platform/actions.ts, platform/ledger.ts, platform/events.ts), issued with `pg` straight from the
 * load generator, on a pool of the api's size, with the same transactions and row locks. What
 * it leaves out is everything that is not SQL: HTTP, routing, validation, JWT, JSON responses,
 * the bus (Redis) round trips of auth and event publishing.
 */

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export const q = {
  pilot:
    'select "players".*, "ships"."id" as "ship_id", "ships"."owner_user_id" as "ship_owner_user_id", "ships"."region_id" as "ship_region_id", "ships"."hull" as "ship_hull", "ships"."holds" as "ship_holds", "ships"."fighters" as "ship_fighters", "ships"."shields" as "ship_shields", "ships"."cargo_ore" as "ship_cargo_ore", "ships"."cargo_organics" as "ship_cargo_organics", "ships"."cargo_equipment" as "ship_cargo_equipment", "ships"."cargo_colonists" as "ship_cargo_colonists", "ships"."created_at" as "ship_created_at" from "players" inner join "ships" on "ships"."id" = "players"."ship_id" where "players"."user_id" = $1',
  pilotForUpdate:
    'select "players".*, "ships"."id" as "ship_id", "ships"."owner_user_id" as "ship_owner_user_id", "ships"."region_id" as "ship_region_id", "ships"."hull" as "ship_hull", "ships"."holds" as "ship_holds", "ships"."fighters" as "ship_fighters", "ships"."shields" as "ship_shields", "ships"."cargo_ore" as "ship_cargo_ore", "ships"."cargo_organics" as "ship_cargo_organics", "ships"."cargo_equipment" as "ship_cargo_equipment", "ships"."cargo_colonists" as "ship_cargo_colonists", "ships"."created_at" as "ship_created_at" from "players" inner join "ships" on "ships"."id" = "players"."ship_id" where "players"."user_id" = $1 for update',
  sector:
    'select "sectors"."id", "sectors"."name", "sectors"."x", "sectors"."y", "sectors"."zone", "sectors"."fedspace", "sectors"."region_id", "regions"."name" as "region_name" ' +
    'from "sectors" inner join "regions" on "regions"."id" = "sectors"."region_id" where "sectors"."id" = $1',
  warps: 'select "from_sector_id", "to_sector_id", "gate" from "warps" where ("from_sector_id" = $1 or "to_sector_id" = $2) order by "to_sector_id"',
  portWithGoods:
    'select "ports"."id", "ports"."name", "ports"."port_class", "port_goods"."port_id", "port_goods"."good", "port_goods"."region_id", "port_goods"."mode", ' +
    '"port_goods"."capacity", "port_goods"."stock", "port_goods"."fixed_price", "port_goods"."anchor_at" from "ports" ' +
    'left join "port_goods" on "port_goods"."port_id" = "ports"."id" where "ports"."sector_id" = $1 order by "port_goods"."good"',
  planets: 'select "id", "name", "planet_type", "claimable", "owner_user_id" from "planets" where "sector_id" = $1 order by "id"',
  // The sector route with nobody online lists NPC traders only (no bench player holds a socket).
  pilotsHere:
    'select "players"."name", "ships"."hull" from "players" inner join "ships" on "ships"."id" = "players"."ship_id" ' +
    'where "players"."sector_id" = $1 and "players"."user_id" != $2 and "players"."npc" = $3 order by "players"."name" limit $4',
  portForTrade: 'select "id", "name", "sector_id" from "ports" where "sector_id" = $1',
  portGood: 'select * from "port_goods" where "port_id" = $1 and "good" = $2',
  portGoodForUpdate: 'select * from "port_goods" where "port_id" = $1 and "good" = $2 for update',
  claimKey:
    'insert into "idempotency_keys" ("user_id", "key", "request_hash", "state") values ($1, $2, $3, $4) on conflict ("user_id", "key") do nothing returning "key"',
  releaseKey: 'delete from "idempotency_keys" where "user_id" = $1 and "key" = $2 and "state" = $3',
  finishKey: 'update "idempotency_keys" set "state" = $1, "response_status" = $2, "response_body" = $3 where "user_id" = $4 and "key" = $5',
  spendTurns: 'update "players" set "turns" = $1, "turns_anchor_at" = $2 where "user_id" = $3',
  changeCredits: 'update "players" set "credits" = credits + $1 where "user_id" = $2 and credits + $3 >= 0 returning "credits"',
  ledger: 'insert into "credit_ledger" ("user_id", "delta", "balance_after", "reason", "ref") values ($1, $2, $3, $4, $5)',
  portStock: 'update "port_goods" set "stock" = $1, "anchor_at" = $2 where "port_id" = $3 and "good" = $4',
  experience: 'update "players" set "experience" = "experience" + $1 where "user_id" = $2',
  warp: 'select "gate" from "warps" where "from_sector_id" = $1 and "to_sector_id" = $2',
  sectorRegion: 'select "region_id" from "sectors" where "id" = $1',
  markKnown:
    'insert into "known_sectors" ("user_id", "sector_id", "snapshot") values ($1, $2, $3) on conflict ("user_id", "sector_id") do update set "last_seen_at" = now(), "snapshot" = $4 returning (xmax = 0) as "inserted"',
  movePlayer: 'update "players" set "sector_id" = $1, "region_id" = $2, "experience" = "experience" + $3 where "user_id" = $4',
  moveShip: 'update "ships" set "region_id" = $1 where "id" = $2',
  published: (n: number) => `update "outbox" set "published_at" = $1 where "id" in (${Array.from({ length: n }, (_v, i) => `$${i + 2}`).join(', ')})`,
  outbox: (n: number) =>
    `insert into "outbox" ("topic", "type", "data") values ${Array.from({ length: n }, (_v, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ')} returning "id", "topic", "type", "data", "created_at"`,
};

type Queryable = pg.Pool | pg.PoolClient;

interface Event {
  topic: string;
  type: string;
  data: Record<string, unknown>;
}

const CARGO_COLUMN = { ore: 'cargo_ore', organics: 'cargo_organics', equipment: 'cargo_equipment' } as const satisfies Record<Good, keyof Ship>;

/** A refusal inside a transaction: rolled back, its idempotency key released, reported like the API's 409. */
class Refused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export class RawSqlPlayer implements PlayerDriver {
  private sequence = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly userId: string,
    private readonly timeScale: number,
    private readonly keyPrefix: string,
  ) {}

  async perform(d: Decision, k: Knowledge): Promise<ActionOutcome> {
    try {
      switch (d.action) {
        case 'state': {
          const { player, ship } = await this.readPilot();
          learnPilot(k, player, ship, this.timeScale);
          break;
        }
        case 'sector': {
          const { player } = await this.readPilot();
          const view = await sectorView(this.pool, player.sector_id, this.userId, Date.now(), this.timeScale);
          if (view) learnSector(k, view);
          break;
        }
        case 'quote': {
          const { player } = await this.readPilot();
          const port = (await this.pool.query(q.portForTrade, [player.sector_id])).rows[0];
          if (!port) throw new Refused('no_port');
          const row = (await this.pool.query(q.portGood, [port.id, d.good])).rows[0] as PortGoodRow | undefined;
          priceTrade(row, d.side, d.quantity, Date.now(), this.timeScale);
          break;
        }
        case 'buy':
        case 'sell':
          await this.trade(d.action, d.good, d.quantity, k);
          break;
        case 'move':
          await this.move(d.to, k);
          break;
      }
      return classify(200, null);
    } catch (err) {
      if (err instanceof Refused) {
        if (d.action === 'buy' || d.action === 'sell') k.warps.delete(k.sectorId);
        return classify(409, err.code);
      }
      return classify(500, `sql:${(err as { code?: string }).code ?? (err as Error).message.slice(0, 40)}`);
    }
  }

  private async readPilot(): Promise<{ player: Player; ship: Ship }> {
    return splitPilot((await this.pool.query(q.pilot, [this.userId])).rows[0]);
  }

  /**
   * runAction's shape: claim the Idempotency-Key, one transaction locking player then ship (then
   * the port good), the outbox rows and the stored response inside it, then mark the events
   * published after commit.
   */
  private async action(method: string, path: string, body: unknown, work: (c: pg.PoolClient, events: Event[]) => Promise<unknown>): Promise<void> {
    const key = `${this.keyPrefix}-${++this.sequence}`;
    const text = JSON.stringify(body);
    const hash = createHash('sha256').update(`${method} ${path}\n${text}`).digest('hex');
    await this.pool.query(q.claimKey, [this.userId, key, hash, 'in_flight']);
    const client = await this.pool.connect();
    let ids: number[] = [];
    try {
      await client.query('begin');
      const events: Event[] = [];
      const response = await work(client, events);
      if (events.length > 0) {
        const params = events.flatMap((e) => [e.topic, e.type, JSON.stringify(e.data)]);
        ids = (await client.query(q.outbox(events.length), params)).rows.map((r) => Number(r.id));
      }
      await client.query(q.finishKey, ['done', 200, JSON.stringify(response), this.userId, key]);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => {});
      await this.pool.query(q.releaseKey, [this.userId, key, 'in_flight']);
      throw err;
    } finally {
      client.release();
    }
    if (ids.length > 0) await this.pool.query(q.published(ids.length), [new Date(), ...ids]);
  }

  private async lockPilot(c: pg.PoolClient): Promise<{ player: Player; ship: Ship }> {
    return splitPilot((await c.query(q.pilotForUpdate, [this.userId])).rows[0]);
  }

  private async spendTurns(c: pg.PoolClient, player: Player, cost: number, now: number): Promise<number> {
    const regen = { max: maxTurnsFor(player.experience), perDay: TURN_POOL.perDay, timeScale: this.timeScale };
    const result = spendTurns({ turns: player.turns, anchorMs: player.turns_anchor_at.getTime() }, cost, now, regen);
    if ('error' in result) throw new Refused('insufficient_turns');
    await c.query(q.spendTurns, [result.turns, new Date(result.anchorMs), this.userId]);
    player.turns = result.turns;
    player.turns_anchor_at = new Date(result.anchorMs);
    return result.turns;
  }

  private async trade(side: 'buy' | 'sell', good: Good, quantity: number, k: Knowledge): Promise<void> {
    await this.action('POST', `/api/v1/trade/${side}`, { good, quantity }, async (c, events) => {
      const now = Date.now();
      const { player, ship } = await this.lockPilot(c);
      const port = (await c.query(q.portForTrade, [player.sector_id])).rows[0] as { id: number; name: string } | undefined;
      if (!port) throw new Refused('no_port');
      const row = (await c.query(q.portGoodForUpdate, [port.id, good])).rows[0] as PortGoodRow | undefined;
      const { priced, drifted } = priceTrade(row, side, quantity, now, this.timeScale);
      const turns = regenTurns({ turns: player.turns, anchorMs: player.turns_anchor_at.getTime() }, now, {
        max: maxTurnsFor(player.experience),
        perDay: TURN_POOL.perDay,
        timeScale: this.timeScale,
      }).turns;
      if (turns < TURN_COSTS.trade) throw new Refused('insufficient_turns');
      if (side === 'buy') {
        const used = ship.cargo_ore + ship.cargo_organics + ship.cargo_equipment + ship.cargo_colonists;
        if (quantity > ship.holds - used) throw new Refused('insufficient_holds');
        if (priced.total > player.credits) throw new Refused('insufficient_credits');
      } else if (quantity > ship[CARGO_COLUMN[good]]) throw new Refused('insufficient_cargo');
      await this.spendTurns(c, player, TURN_COSTS.trade, now);

      const delta = side === 'buy' ? -priced.total : priced.total;
      const updated = (await c.query(q.changeCredits, [delta, this.userId, delta])).rows[0] as { credits: number } | undefined;
      if (!updated) throw new Refused('insufficient_credits');
      await c.query(q.ledger, [
        this.userId,
        delta,
        updated.credits,
        side === 'buy' ? 'trade_buy' : 'trade_sell',
        JSON.stringify({ port_id: port.id, good, quantity }),
      ]);
      const column = CARGO_COLUMN[good];
      const cargoDelta = side === 'buy' ? quantity : -quantity;
      await c.query(`update "ships" set "${column}" = "${column}" + $1 where "id" = $2`, [cargoDelta, ship.id]);
      await c.query(q.portStock, [priced.stockAfter, new Date(drifted.anchorMs), port.id, good]);
      const experience = side === 'sell' ? tradeExperience(priced.total - quantity * BASE_PRICE[good]) : 0;
      if (experience > 0) await c.query(q.experience, [experience, this.userId]);

      player.credits = updated.credits;
      player.experience += experience;
      ship[column] += cargoDelta;
      const nextPrice = currentUnitPrice({ ...drifted, stock: priced.stockAfter });
      const trade = {
        side,
        good,
        quantity,
        total: priced.total,
        average_unit_price: priced.averageUnitPrice,
        port_stock_after: priced.stockAfter,
        turns: TURN_COSTS.trade,
        port_id: port.id,
      };
      events.push(
        {
          topic: `player:${this.userId}`,
          type: 'trade.completed',
          data: { ...trade, port_name: port.name, sector_id: player.sector_id, credits_after: updated.credits, experience_gained: experience },
        },
        {
          topic: `sector:${player.sector_id}`,
          type: 'port.traded',
          data: { port_id: port.id, sector_id: player.sector_id, trader: player.name, side, good, quantity, unit_price: nextPrice, stock: priced.stockAfter },
        },
      );
      learnPilot(k, player, ship, this.timeScale);
      const seen = k.ports.get(k.sectorId)?.find((g) => g.good === good);
      if (seen) seen.tradable = seen.portSells ? priced.stockAfter : Math.max(0, seen.tradable - quantity);
      return { trade: { ...trade, credits_after: updated.credits, experience_gained: experience }, player: playerRow(player), ship: shipRow(ship) };
    });
  }

  private async move(to: number, k: Knowledge): Promise<void> {
    await this.action('POST', '/api/v1/player/move', { to }, async (c, events) => {
      const now = Date.now();
      const { player, ship } = await this.lockPilot(c);
      const from = player.sector_id;
      if (!(await c.query(q.warp, [from, to])).rows[0]) throw new Refused('not_adjacent');
      const hull = HULLS[ship.hull as HullId];
      const turnsLeft = await this.spendTurns(c, player, hull.turnsPerWarp, now);
      const region = (await c.query(q.sectorRegion, [to])).rows[0] as { region_id: number };
      const snapshot = await sectorView(c, to, this.userId, now, this.timeScale);
      const known = (await c.query(q.markKnown, [this.userId, to, JSON.stringify(snapshot), JSON.stringify(snapshot)])).rows[0] as { inserted: boolean };
      const experience = known.inserted ? EXPERIENCE.newSector : 0;
      await c.query(q.movePlayer, [to, region.region_id, experience, this.userId]);
      await c.query(q.moveShip, [region.region_id, ship.id]);
      player.sector_id = to;
      player.region_id = region.region_id;
      player.experience += experience;
      events.push(
        { topic: `player:${this.userId}`, type: 'player.moved', data: { from, to, turns_left: turnsLeft, first_visit: known.inserted } },
        { topic: `sector:${from}`, type: 'sector.departed', data: { sector_id: from, player: player.name } },
        { topic: `sector:${to}`, type: 'sector.arrived', data: { sector_id: to, player: player.name, hull: ship.hull } },
      );
      // The move route answers with the snapshot it stored: what the pilot sees on arrival.
      const sector = snapshot!;
      learnPilot(k, player, ship, this.timeScale);
      learnSector(k, sector);
      return {
        hop: { from, to, turns_spent: hull.turnsPerWarp, turns_left: turnsLeft, first_visit: known.inserted, experience_gained: experience },
        player: playerRow(player),
        sector,
      };
    });
  }
}

/** priceAtPort's checks and curve, on a port good row (drifted to now). */
function priceTrade(row: PortGoodRow | undefined, side: 'buy' | 'sell', quantity: number, now: number, timeScale: number) {
  const wanted = side === 'buy' ? 'sell' : 'buy';
  if (!row || row.mode !== wanted) throw new Refused(side === 'buy' ? 'good_not_sold_here' : 'good_not_bought_here');
  const drifted = driftedGood(row, now, timeScale);
  const quote = side === 'buy' ? quoteBuy(drifted, quantity) : quoteSell(drifted, quantity);
  if ('error' in quote) throw new Refused(quote.error);
  return { priced: quote, drifted };
}

/**
 * buildSectorView's queries, on one connection (a pinned pool client outside a transaction, as
 * the handler pins one): the sector, then warps both ways, the port with its goods, planets and
 * the pilots here (NPC traders only, as no bench player is online).
 */
async function sectorView(db: Queryable, sectorId: number, viewerId: string, now: number, timeScale: number) {
  if (db instanceof pg.Pool) {
    const client = await db.connect();
    try {
      return await sectorView(client, sectorId, viewerId, now, timeScale);
    } finally {
      client.release();
    }
  }
  const sector = (await db.query(q.sector, [sectorId])).rows[0];
  if (!sector) return undefined;
  const warps = await db.query(q.warps, [sectorId, sectorId]);
  const portRows = (await db.query(q.portWithGoods, [sectorId])).rows as Array<PortGoodRow & { id: number; name: string; port_class: number }>;
  const planets = await db.query(q.planets, [sectorId]);
  const pilots = await db.query(q.pilotsHere, [sectorId, viewerId, true, 100]);
  const portRow = portRows[0];
  const goods = portRows.filter((row) => row.good !== null);
  const inbound = new Set(warps.rows.filter((w) => w.to_sector_id === sectorId).map((w) => w.from_sector_id as number));
  return {
    id: sector.id as number,
    name: sector.name as string | null,
    region: { id: sector.region_id as number, name: sector.region_name as string },
    zone: sector.zone,
    fedspace: sector.fedspace,
    coordinates: { x: sector.x, y: sector.y },
    warps: warps.rows
      .filter((w) => w.from_sector_id === sectorId)
      .map((w) => ({ to: w.to_sector_id as number, one_way: !inbound.has(w.to_sector_id), gate: w.gate as boolean })),
    port: portRow
      ? portView(
          portRow,
          goods.map((g) => driftedGood(g, now, timeScale)),
        )
      : null,
    planets: planets.rows.map((p) => ({ id: p.id, name: p.name, type: p.planet_type, claimable: p.claimable, owned: p.owner_user_id !== null })),
    players: pilots.rows.map((p) => ({ name: p.name, hull: p.hull })),
    defenses: { fighters: 0, mines: 0, owners: [] as string[] },
  };
}

const SHIP_COLUMNS = [
  'id',
  'owner_user_id',
  'region_id',
  'hull',
  'holds',
  'fighters',
  'shields',
  'cargo_ore',
  'cargo_organics',
  'cargo_equipment',
  'cargo_colonists',
  'created_at',
] as const;

/** The joined pilot row (players.* and ship_-prefixed ship columns), split as the handler splits it. */
function splitPilot(row: Record<string, unknown>): { player: Player; ship: Ship } {
  const ship = Object.fromEntries(SHIP_COLUMNS.map((column) => [column, row[`ship_${column}`]])) as unknown as Ship;
  const player = Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('ship_') || key === 'ship_id')) as unknown as Player;
  return { player, ship };
}

function learnPilot(k: Knowledge, player: Player, ship: Ship, timeScale: number): void {
  k.sectorId = player.sector_id;
  k.credits = player.credits;
  k.turns = regenTurns({ turns: player.turns, anchorMs: player.turns_anchor_at.getTime() }, Date.now(), {
    max: maxTurnsFor(player.experience),
    perDay: TURN_POOL.perDay,
    timeScale,
  }).turns;
  k.holdsFree = ship.holds - ship.cargo_ore - ship.cargo_organics - ship.cargo_equipment - ship.cargo_colonists;
  k.cargo.ore = ship.cargo_ore;
  k.cargo.organics = ship.cargo_organics;
  k.cargo.equipment = ship.cargo_equipment;
}

/** The stored response's player and ship, about the size of the API's views. */
function playerRow(p: Player) {
  return { name: p.name, credits: p.credits, turns: p.turns, sector_id: p.sector_id, region_id: p.region_id, experience: p.experience, alignment: p.alignment };
}

function shipRow(s: Ship) {
  return {
    id: s.id,
    hull: s.hull,
    holds: s.holds,
    cargo: { ore: s.cargo_ore, organics: s.cargo_organics, equipment: s.cargo_equipment, colonists: s.cargo_colonists },
    fighters: s.fighters,
    shields: s.shields,
  };
}

/**
 * N accounts with pilots in sector 1, written directly (the baseline measures actions, not
 * registration): the users rows, then createPilot's statements for each.
 */
export async function seedRawPilots(pool: pg.Pool, runId: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_v, i) => `r${runId}_${i}`);
  const { rows } = await pool.query(
    'insert into "users" ("username", "email", "password_hash") select u, u || \'@bench.invalid\', \'not-a-hash\' from unnest($1::text[]) as u returning "id", "username"',
    [names],
  );
  const users = rows as Array<{ id: string; username: string }>;
  const start = (await pool.query('select "id", "region_id" from "sectors" where "id" = $1', [NEW_PILOT.sectorId])).rows[0] as {
    id: number;
    region_id: number;
  };
  const hull = HULLS[NEW_PILOT.hullId];
  await mapLimit(users, 8, async (user) => {
    const c = await pool.connect();
    try {
      await c.query('begin');
      const ship = (
        await c.query(
          'insert into "ships" ("owner_user_id", "region_id", "hull", "holds", "fighters", "shields") values ($1, $2, $3, $4, $5, 0) returning "id"',
          [user.id, start.region_id, hull.id, hull.holds, NEW_PILOT.fighters],
        )
      ).rows[0] as { id: number };
      await c.query(
        'insert into "players" ("user_id", "region_id", "name", "sector_id", "ship_id", "credits", "turns", "turns_anchor_at") values ($1, $2, $3, $4, $5, 0, $6, $7)',
        [user.id, start.region_id, user.username, start.id, ship.id, TURN_POOL.max, new Date()],
      );
      const credits = (await c.query(q.changeCredits, [NEW_PILOT.credits, user.id, NEW_PILOT.credits])).rows[0] as { credits: number };
      await c.query(q.ledger, [user.id, NEW_PILOT.credits, credits.credits, 'starting_credits', '{}']);
      await c.query('insert into "known_sectors" ("user_id", "sector_id", "snapshot") values ($1, $2, null) on conflict do nothing', [user.id, start.id]);
      await c.query('commit');
    } catch (err) {
      await c.query('rollback').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  });
  return users.map((u) => u.id);
}
