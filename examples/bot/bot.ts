/**
 * A small SectorWars trading bot on the shared typed client (client/), signed in with a personal
 * access token (scope `game:play`). It explores outward from Terra until it finds a port that buys
 * one of Earth Station's goods at a good margin, then runs that trade: buy a full hold at Terra,
 * autopilot to the buyer, sell, autopilot home, again.
 *
 *   npm run example:bot -- --token swp_… [--url http://127.0.0.1:8080] [--trips 5] [--seconds 120]
 *
 * It paces itself by the RateLimit header (the server's per-token limit), retries what the server
 * says to retry (429 with Retry-After, 503), reuses an Idempotency-Key when it retries an action,
 * and prints one JSON summary line at the end.
 */
import { parseArgs } from 'node:util';
import { ApiError, createApiClient, newActionKey } from '../../client/index.js';

const { values } = parseArgs({
  options: {
    token: { type: 'string' },
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    trips: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '120' },
    margin: { type: 'string', default: '1.08' },
  },
});
if (!values.token?.startsWith('swp_')) {
  process.stderr.write('usage: npm run example:bot -- --token swp_… [--url URL] [--trips N] [--seconds S]\n');
  process.exit(2);
}

const statuses: Record<string, number> = {};
let remaining = Number.POSITIVE_INFINITY;
let resetSeconds = 0;
const api = createApiClient({
  baseUrl: values.url!,
  token: values.token,
  onResponse(res) {
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    // `"token";r=87;t=23, "account";r=250;t=23`: the tightest limit is the one to respect.
    const header = res.headers.get('ratelimit');
    if (!header) return;
    const limits = [...header.matchAll(/r=(\d+);t=(\d+)/g)].map((m) => ({ r: Number(m[1]), t: Number(m[2]) }));
    const tightest = limits.sort((a, b) => a.r - b.r)[0];
    if (tightest) ({ r: remaining, t: resetSeconds } = tightest);
  },
});

const deadline = Date.now() + Number(values.seconds) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (msg: string, extra: Record<string, unknown> = {}) => process.stderr.write(`${JSON.stringify({ msg, ...extra })}\n`);

/** One call, paced and retried the way the server asks. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (remaining <= 1) {
      log('pacing', { wait_s: resetSeconds });
      await sleep(resetSeconds * 1000 + 100);
      remaining = Number.POSITIVE_INFINITY;
    }
    try {
      return await run();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 429 || err.status === 503) && attempt < 5) {
        await sleep((err.retryAfter ?? 1) * 1000);
        continue;
      }
      throw err;
    }
  }
}

interface Good {
  good: string;
  port_action: 'sells' | 'buys';
  unit_price: number;
  tradable: number;
}

/** Whether a course through known space leads from here to `to`. */
async function reachable(to: number): Promise<boolean> {
  try {
    await call(() => api.nav.plot(to));
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'no_route') return false;
    throw err;
  }
}

/** Whether the way out is known too: plotted from Terra, by the route finder's own rule (known warps). */
async function reachableFrom1(to: number): Promise<boolean> {
  const map = await call(() => api.player.map());
  const warps = new Map<number, number[]>();
  for (const w of map.warps) warps.set(w.from, [...(warps.get(w.from) ?? []), w.to]);
  const seen = new Set([1]);
  const queue = [1];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === to) return true;
    for (const n of warps.get(at) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return false;
}

async function findBuyer(earth: Map<string, number>): Promise<{ sector: number; good: string } | undefined> {
  const terra = await call(() => api.sectors.get(1));
  const visited = new Set<number>([1]);
  const frontier = terra.warps.map((w) => ({ via: 1, to: w.to }));
  for (let steps = 0; steps < 80 && frontier.length > 0 && Date.now() < deadline; steps++) {
    const next = frontier.shift()!;
    if (visited.has(next.to)) continue;
    const here = (await call(() => api.player.state())).player.sector_id;
    if (here !== next.via) {
      try {
        await call(() => api.nav.autopilot(next.via, newActionKey()));
      } catch (err) {
        if (err instanceof ApiError && err.code === 'no_route') continue; // one-way warps: no known way back there
        throw err;
      }
    }
    const key = newActionKey();
    let moved: Awaited<ReturnType<typeof api.player.move>>;
    try {
      moved = await call(() => api.player.move(next.to, key));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) continue; // a one-way warp, or no warp from here
      throw err;
    }
    visited.add(next.to);
    for (const w of moved.sector.warps) if (!visited.has(w.to)) frontier.push({ via: next.to, to: w.to });
    const goods = ((moved.sector.port?.goods ?? []) as Good[]).filter((g) => g.port_action === 'buys' && g.tradable >= 50 && earth.has(g.good));
    const best = goods.map((g) => ({ good: g.good, margin: g.unit_price / earth.get(g.good)! })).sort((a, b) => b.margin - a.margin)[0];
    // A buyer is only worth it with known courses both ways (one-way warps can strand a hauler).
    if (best && best.margin >= Number(values.margin) && (await reachable(1)) && (await reachableFrom1(next.to))) {
      log('found a buyer', { sector: next.to, good: best.good, margin: Math.round(best.margin * 100) / 100 });
      return { sector: next.to, good: best.good };
    }
  }
  return undefined;
}

async function main() {
  const start = await call(() => api.player.state());
  const startCredits = start.player.credits;
  const earthSector = await call(() => api.sectors.get(1));
  const earth = new Map(((earthSector.port?.goods ?? []) as Good[]).filter((g) => g.port_action === 'sells').map((g) => [g.good, g.unit_price]));
  const buyer = await findBuyer(earth);
  let trips = 0;
  let credits = startCredits;
  if (buyer) {
    while (trips < Number(values.trips) && Date.now() < deadline) {
      const state = await call(() => api.player.state());
      if (state.player.sector_id !== 1) await call(() => api.nav.autopilot(1, newActionKey()));
      const price = earth.get(buyer.good)!;
      const quantity = Math.min(
        state.ship.holds - Object.values(state.ship.cargo ?? {}).reduce((a, b) => a + (b ?? 0), 0),
        Math.floor(state.player.credits / price),
      );
      if (quantity <= 0) break;
      const buyKey = newActionKey();
      await call(() => api.trade.buy({ good: buyer.good as never, quantity }, buyKey));
      const flight = await call(() => api.nav.autopilot(buyer.sector, newActionKey()));
      if (!flight.arrived) break; // out of turns
      const sellKey = newActionKey();
      const sold = await call(() => api.trade.sell({ good: buyer.good as never, quantity }, sellKey));
      credits = sold.player.credits;
      trips++;
      log('trip', { trips, credits });
    }
  }
  const summary = { start_credits: startCredits, end_credits: credits, profit: credits - startCredits, trips, statuses };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((err) => {
  log('bot stopped', { error: err instanceof ApiError ? `${err.status} ${err.code}: ${err.message}` : String(err) });
  process.stdout.write(`${JSON.stringify({ error: String(err), statuses })}\n`);
  process.exit(1);
});
