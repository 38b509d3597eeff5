import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { NEW_PILOT } from '../../game/catalog/new-pilot.js';
import { priceTrade } from '../../game/trade.js';
import { movePlan } from '../../handlers/player/index.js';
import { tradePlan } from '../../handlers/trade/index.js';
import { playerView, shipView } from '../../handlers/views.js';
import { MemoryBus } from '../../platform/bus/memory-bus.js';
import { NAMED_STATEMENTS_PER_CONNECTION, nameStatements } from '../../platform/db/named-statements.js';
import type { AccountTables, RegionTables } from '../../platform/db/schema.js';
import { createLogger } from '../../platform/logger.js';
import { OutboxPublisher } from '../../platform/outbox.js';
import { type ActionPlan, runAction, type World } from '../../world/action.js';
import { newPilotSpawn, readCrew, spawnPilot } from '../../world/pilots.js';
import { readSectorView } from '../../world/sector-view.js';
import { readForTrade } from '../../world/trading.js';
import { mapLimit } from '../concurrency.js';
import { type ActionOutcome, classify, type Decision, type Knowledge, learnSector, learnState, learnTrade, type PlayerDriver } from '../virtual-player.js';

/**
 * The database's ceiling for the actions scenario: per action, exactly what the API does to the
 * database (the handlers' own action plans, run by the same action core: the one locked read,
 * the pure decision, the applier's one statement, its idempotent response), straight from the
 * load generator on a pool of the api's size. What it leaves out is everything that is not SQL:
 * HTTP, routing, validation, JWT, the bus round trips of auth and event publishing.
 */
export interface RawSqlTarget {
  world: World;
  close(): Promise<void>;
}

export function openRawSqlTarget(connectionString: string, poolSize: number): RawSqlTarget {
  // named statements, as the api's pool sends them (platform/db/named-statements.ts; DATABASE_NAMED_STATEMENTS=0 turns both off)
  const pool = nameStatements(
    new pg.Pool({ connectionString, max: poolSize }),
    Number(process.env.DATABASE_NAMED_STATEMENTS ?? NAMED_STATEMENTS_PER_CONNECTION),
  );
  const db = new Kysely<AccountTables & RegionTables>({ dialect: new PostgresDialect({ pool }) });
  const region = db as unknown as Kysely<RegionTables>;
  const logger = createLogger({ logLevel: 'silent' }, 'raw-sql');
  // Events go to an in-process bus (what the API sends to Redis is not SQL) and are marked published in batches, as the API marks them.
  const outbox = new OutboxPublisher(region, new MemoryBus(), logger);
  return {
    world: { region, outbox, logger },
    close: async () => {
      await outbox.close();
      await db.destroy();
    },
  };
}

export class RawSqlPlayer implements PlayerDriver {
  private sequence = 0;

  constructor(
    private readonly target: RawSqlTarget,
    private readonly userId: string,
    private readonly timeScale: number,
    private readonly keyPrefix: string,
  ) {}

  async perform(d: Decision, k: Knowledge): Promise<ActionOutcome> {
    const { region } = this.target.world;
    const at = { nowMs: Date.now(), timeScale: this.timeScale };
    try {
      switch (d.action) {
        case 'state': {
          const { pilot, ship } = (await readCrew(region, this.userId))!;
          learnState(k, { player: playerView(pilot, at), ship: shipView(ship) });
          break;
        }
        case 'sector': {
          const crew = (await readCrew(region, this.userId))!;
          const view = await readSectorView(region, crew.pilot.sectorId, this.userId, [], at.nowMs, this.timeScale);
          if (view) learnSector(k, view);
          break;
        }
        case 'quote': {
          const scene = (await readForTrade(region, this.userId, d.good, false, at.nowMs, this.timeScale))!;
          const price = priceTrade(scene.port, { side: d.side, good: d.good, quantity: d.quantity });
          if ('refused' in price) return this.refused(d, k, price.refused.code);
          break;
        }
        case 'buy':
        case 'sell': {
          const text = await this.act(
            'POST',
            `/api/v1/trade/${d.action}`,
            { good: d.good, quantity: d.quantity },
            tradePlan(this.userId, { side: d.action, good: d.good, quantity: d.quantity }, at),
          );
          learnTrade(k, JSON.parse(text));
          break;
        }
        case 'move': {
          // No bench player holds a socket: presence lists nobody.
          const text = await this.act('POST', '/api/v1/player/move', { to: d.to }, movePlan(this.userId, d.to, [], at));
          const body = JSON.parse(text);
          learnState(k, body);
          learnSector(k, body.sector);
          break;
        }
      }
      return classify(200, null);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if ((err as Error).name === 'Problem' && typeof code === 'string') return this.refused(d, k, code);
      return classify(500, `sql:${typeof code === 'string' ? code : (err as Error).message.slice(0, 40)}`);
    }
  }

  private refused(d: Decision, k: Knowledge, code: string): ActionOutcome {
    if (d.action === 'buy' || d.action === 'sell') k.warps.delete(k.sectorId);
    return classify(409, code);
  }

  /** The action core with an Idempotency-Key, as the API's players send one with every action. */
  private async act<S, O>(method: string, path: string, body: unknown, plan: ActionPlan<S, O>): Promise<string> {
    const key = `${this.keyPrefix}-${++this.sequence}`;
    const requestHash = createHash('sha256')
      .update(`${method} ${path}\n${JSON.stringify(body)}`)
      .digest('hex');
    return (await runAction(this.target.world, plan, { key: { userId: this.userId, key, requestHash } })).text;
  }
}

/**
 * N accounts with pilots in sector 1, written directly (the baseline measures actions, not
 * registration): the users rows, then the same spawn a first play runs.
 */
export async function seedRawPilots(target: RawSqlTarget, pool: pg.Pool, runId: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_v, i) => `r${runId}_${i}`);
  const { rows } = await pool.query(
    'insert into "users" ("username", "email", "password_hash") select u, u || \'@bench.invalid\', \'not-a-hash\' from unnest($1::text[]) as u returning "id", "username"',
    [names],
  );
  const users = rows as Array<{ id: string; username: string }>;
  const { region } = target.world;
  const start = await region.selectFrom('sectors').select(['id', 'region_id']).where('id', '=', NEW_PILOT.sectorId).executeTakeFirstOrThrow();
  await mapLimit(users, 8, (user) => region.transaction().execute((trx) => spawnPilot(trx, newPilotSpawn(user.id, user.username, start))));
  return users.map((u) => u.id);
}
