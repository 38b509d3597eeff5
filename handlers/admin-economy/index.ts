import { type Bundle, bundleRouter } from '../../platform/http/context.js';
import { creditFlows, moneySupply, npcActivity, priceHistory, pricesNow, topEarners } from '../../world/admin-economy.js';
import { guarded } from '../admin-route.js';
import { flowsRoute, moneySupplyRoute, npcsRoute, priceHistoryRoute, pricesRoute, topEarnersRoute } from './routes.js';

const DAY_MS = 86_400_000;

/** A window from the query: `from` defaults to 7 days before `to`, `to` to now. */
export function windowOf(query: { from?: string | undefined; to?: string | undefined }, defaultDays = 7) {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - defaultDays * DAY_MS);
  return { from, to };
}
const windowView = (w: { from: Date; to: Date }) => ({ from: w.from.toISOString(), to: w.to.toISOString() });

/**
 * The economy admin API (issue 19), reads only: the money supply over time, credits by source and
 * sink, prices and their band, top earners, NPC activity. Everything is read from the ledger, the
 * markets and the job runs as they are; nothing here changes the game.
 */
export const adminEconomyBundle: Bundle = {
  name: 'admin-economy',
  basePath: '/api/v1/admin/economy',
  create(deps) {
    const { region } = deps;
    return bundleRouter()
      .openapi(guarded(deps, moneySupplyRoute), async (c) => {
        const query = c.req.valid('query');
        const window = windowOf(query);
        return c.json({ window: windowView(window), bucket: query.bucket, ...(await moneySupply(region, query.bucket, window)) }, 200);
      })
      .openapi(guarded(deps, flowsRoute), async (c) => {
        const window = windowOf(c.req.valid('query'));
        return c.json({ window: windowView(window), ...(await creditFlows(region, window)) }, 200);
      })
      .openapi(guarded(deps, topEarnersRoute), async (c) => {
        const query = c.req.valid('query');
        const window = windowOf(query);
        return c.json({ window: windowView(window), earners: await topEarners(region, window, query.limit) }, 200);
      })
      .openapi(guarded(deps, pricesRoute), async (c) => {
        const now = Date.now();
        return c.json({ at: new Date(now).toISOString(), goods: await pricesNow(region, now, deps.config.gameTimeScale) }, 200);
      })
      .openapi(guarded(deps, priceHistoryRoute), async (c) => {
        const query = c.req.valid('query');
        const window = windowOf(query);
        return c.json(
          { window: windowView(window), good: query.good, side: query.side, points: await priceHistory(region, query.good, query.side, window) },
          200,
        );
      })
      .openapi(guarded(deps, npcsRoute), async (c) => {
        const window = windowOf(c.req.valid('query'));
        return c.json({ window: windowView(window), ...(await npcActivity(region, window)) }, 200);
      });
  },
};
