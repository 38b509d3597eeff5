import { sql } from 'kysely';
import type { Commodity } from '../game/catalog/goods.js';
import { currentUnitPrice, portGoodAt } from '../game/pricing.js';
import type { RegionDb, RegionTrx } from '../platform/db/database.js';

/**
 * What the economy and live-operations admin views read, region-side: aggregates over the credit
 * ledger (the one record of every credit), the markets as they stand now, NPCs, job runs, and the
 * outbox (what happened where, recently). Reads only.
 */
export type Bucket = 'hour' | 'day';

export interface Window {
  from: Date;
  to: Date;
}

/** Credits created and destroyed per bucket, and the money supply (every pilot's credits) after each. */
export async function moneySupply(db: RegionDb, bucket: Bucket, window: Window) {
  const unit = bucket === 'hour' ? sql.lit('hour') : sql.lit('day');
  const [{ rows }, opening] = await Promise.all([
    sql<{ bucket: Date; minted: string; burned: string; entries: string }>`
      select date_trunc(${unit}, created_at) as bucket,
        coalesce(sum(delta) filter (where delta > 0), 0) as minted,
        coalesce(-sum(delta) filter (where delta < 0), 0) as burned,
        count(*) as entries
      from credit_ledger where created_at >= ${window.from} and created_at < ${window.to}
      group by 1 order by 1`.execute(db),
    db.selectFrom('credit_ledger').select(sql<string>`coalesce(sum(delta), 0)`.as('total')).where('created_at', '<', window.from).executeTakeFirstOrThrow(),
  ]);
  let supply = Number(opening.total);
  const buckets = rows.map((r) => {
    const minted = Number(r.minted);
    const burned = Number(r.burned);
    supply += minted - burned;
    return { start: new Date(r.bucket).toISOString(), minted, burned, net: minted - burned, entries: Number(r.entries), supply };
  });
  return { opening_supply: Number(opening.total), buckets };
}

/** Where credits come from and go to: the ledger by reason. */
export async function creditFlows(db: RegionDb, window: Window) {
  const { rows } = await sql<{ reason: string; credits_in: string; credits_out: string; entries: string }>`
    select reason,
      coalesce(sum(delta) filter (where delta > 0), 0) as credits_in,
      coalesce(-sum(delta) filter (where delta < 0), 0) as credits_out,
      count(*) as entries
    from credit_ledger where created_at >= ${window.from} and created_at < ${window.to}
    group by reason order by reason`.execute(db);
  const flows = rows.map((r) => ({ reason: r.reason, credits_in: Number(r.credits_in), credits_out: Number(r.credits_out), entries: Number(r.entries) }));
  return {
    sources: flows.filter((f) => f.credits_in > 0).sort((a, b) => b.credits_in - a.credits_in),
    sinks: flows.filter((f) => f.credits_out > 0).sort((a, b) => b.credits_out - a.credits_out),
  };
}

/** The pilots whose credits grew most in the window (NPCs left out), with their balance now. */
export async function topEarners(db: RegionDb, window: Window, limit: number) {
  const { rows } = await sql<{ user_id: string; name: string; net: string; earned: string; credits: string }>`
    select l.user_id, p.name, sum(l.delta) as net, coalesce(sum(l.delta) filter (where l.delta > 0), 0) as earned, p.credits
    from credit_ledger l join players p on p.user_id = l.user_id
    where l.created_at >= ${window.from} and l.created_at < ${window.to} and not p.npc
    group by l.user_id, p.name, p.credits
    order by sum(l.delta) desc, l.user_id limit ${limit}`.execute(db);
  return rows.map((r) => ({ user_id: r.user_id, name: r.name, net: Number(r.net), earned: Number(r.earned), credits: Number(r.credits) }));
}

/** Each good's price now across the ports that trade it: the band (lowest, highest) and the mean, for each side. */
export async function pricesNow(db: RegionDb | RegionTrx, nowMs: number, timeScale: number) {
  const rows = await db.selectFrom('port_goods').select(['good', 'mode', 'stock', 'capacity', 'fixed_price', 'anchor_at']).execute();
  const bands = new Map<string, { good: string; mode: 'buy' | 'sell'; ports: number; min: number; max: number; sum: number }>();
  for (const row of rows) {
    if (row.fixed_price) continue; // Earth Station's fixed prices are not a market
    const good = portGoodAt(
      {
        good: row.good as Commodity,
        mode: row.mode,
        capacity: row.capacity,
        stock: row.stock,
        anchorMs: new Date(row.anchor_at).getTime(),
        fixedPrice: false,
      },
      nowMs,
      timeScale,
    );
    const price = currentUnitPrice(good);
    const key = `${row.good}:${row.mode}`;
    const band = bands.get(key) ?? { good: row.good, mode: row.mode, ports: 0, min: price, max: price, sum: 0 };
    band.ports++;
    band.min = Math.min(band.min, price);
    band.max = Math.max(band.max, price);
    band.sum += price;
    bands.set(key, band);
  }
  return [...bands.values()]
    .sort((a, b) => a.good.localeCompare(b.good) || a.mode.localeCompare(b.mode))
    .map((b) => ({ good: b.good, port_side: b.mode, ports: b.ports, min: b.min, max: b.max, mean: Math.round((b.sum / b.ports) * 100) / 100 }));
}

/** NPC traders and pirates: how many are out there, how many pirates were destroyed, and their jobs' recent runs. */
export async function npcActivity(db: RegionDb, window: Window) {
  const [traders, pirates, destroyed, runs] = await Promise.all([
    db
      .selectFrom('npc_traders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    // A pirate is an NPC pilot that is not a trader; a destroyed one flies a pod until it respawns.
    sql<{ alive: string; in_pods: string }>`
      select count(*) filter (where s.hull <> 'escape_pod') as alive, count(*) filter (where s.hull = 'escape_pod') as in_pods
      from players p join ships s on s.id = p.ship_id
      where p.npc and not exists (select 1 from npc_traders t where t.user_id = p.user_id)`.execute(db),
    sql<{ n: string }>`
      select count(*) as n from combat_logs c join players p on p.user_id = c.defender_user_id
      where p.npc and c.result = 'destroyed' and c.created_at >= ${window.from} and c.created_at < ${window.to}`.execute(db),
    db
      .selectFrom('job_runs')
      .select(['job', 'window_start', 'status', 'finished_at', 'stats', 'error'])
      .where('job', 'in', ['npc-traders', 'npc-patrols'])
      .where('window_start', '>=', window.from)
      .where('window_start', '<', window.to)
      .orderBy('window_start', 'desc')
      .limit(48)
      .execute(),
  ]);
  return {
    traders: Number(traders.n),
    pirates_alive: Number(pirates.rows[0]?.alive ?? 0),
    pirates_awaiting_respawn: Number(pirates.rows[0]?.in_pods ?? 0),
    pirates_destroyed: Number(destroyed.rows[0]?.n ?? 0),
    runs: runs.map((r) => ({
      job: r.job,
      window_start: new Date(r.window_start).toISOString(),
      status: r.status,
      finished_at: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      stats: r.stats ?? null,
      error: r.error,
    })),
  };
}

/** The jobs: each one's newest run, its failures in the window, and who leads. */
export async function jobsOverview(db: RegionDb, window: Window) {
  const [latest, failures, leases] = await Promise.all([
    sql<{
      job: string;
      window_start: Date;
      status: string;
      trigger: string;
      owner: string;
      attempts: number;
      started_at: Date;
      finished_at: Date | null;
      stats: unknown;
      error: string | null;
    }>`
      select distinct on (job) job, window_start, status, trigger, owner, attempts, started_at, finished_at, stats, error
      from job_runs order by job, window_start desc`.execute(db),
    sql<{ job: string; n: string; last_error: string | null }>`
      select job, count(*) as n, (array_agg(error order by window_start desc))[1] as last_error from job_runs
      where status = 'failed' and window_start >= ${window.from} and window_start < ${window.to} group by job`.execute(db),
    db.selectFrom('job_leases').selectAll().execute(),
  ]);
  const failed = new Map(failures.rows.map((f) => [f.job, f]));
  const now = Date.now();
  return {
    leaders: leases.map((l) => ({
      name: l.name,
      owner: l.owner,
      acquired_at: new Date(l.acquired_at).toISOString(),
      expires_at: new Date(l.expires_at).toISOString(),
      live: new Date(l.expires_at).getTime() > now,
    })),
    jobs: latest.rows.map((r) => ({
      job: r.job,
      last: {
        window_start: new Date(r.window_start).toISOString(),
        status: r.status,
        trigger: r.trigger,
        owner: r.owner,
        attempts: Number(r.attempts),
        started_at: new Date(r.started_at).toISOString(),
        finished_at: r.finished_at ? new Date(r.finished_at).toISOString() : null,
        stats: r.stats ?? null,
        error: r.error,
      },
      failures: Number(failed.get(r.job)?.n ?? 0),
      last_failure: failed.get(r.job)?.last_error ?? null,
    })),
  };
}

/** What happened where lately: arrivals and trades per sector, from the outbox's sector events. */
export async function sectorActivity(db: RegionDb, since: Date, limit: number) {
  const { rows } = await sql<{ topic: string; arrivals: string; trades: string; combats: string }>`
    select topic,
      count(*) filter (where type = 'sector.arrived') as arrivals,
      count(*) filter (where type = 'port.traded') as trades,
      count(*) filter (where type like 'combat.%') as combats
    from outbox where created_at >= ${since} and topic like 'sector:%'
      and (type in ('sector.arrived', 'port.traded') or type like 'combat.%')
    group by topic order by count(*) desc, topic limit ${limit}`.execute(db);
  return rows.map((r) => ({
    sector_id: Number(r.topic.slice('sector:'.length)),
    arrivals: Number(r.arrivals),
    trades: Number(r.trades),
    combats: Number(r.combats),
  }));
}

/** The hourly price snapshots of one good and side, oldest first: the price history with its band. */
export async function priceHistory(db: RegionDb, good: string, side: 'buy' | 'sell', window: Window) {
  const rows = await db
    .selectFrom('price_snapshots')
    .selectAll()
    .where('good', '=', good)
    .where('port_side', '=', side)
    .where('window_start', '>=', window.from)
    .where('window_start', '<', window.to)
    .orderBy('window_start')
    .execute();
  return rows.map((r) => ({
    at: new Date(r.window_start).toISOString(),
    ports: r.ports,
    min: Number(r.min_price),
    max: Number(r.max_price),
    mean: Number(r.mean_price),
  }));
}
