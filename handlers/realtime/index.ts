import { Problem } from '../../platform/errors.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { enforceRateLimits, type RateRule } from '../../platform/rate-limit.js';
import { TICKET_TTL_SECONDS, issueTicket } from '../../platform/realtime-tickets.js';
import { ticketRoute } from './routes.js';

/** Reconnecting clients need a ticket per attempt; a loop asking for more is cut off. */
export const TICKET_LIMIT = { name: 'realtime-ticket', limit: 30, windowMs: 60_000 } satisfies RateRule;

export const realtimeBundle: Bundle = {
  name: 'realtime',
  basePath: '/api/v1/realtime',
  create(deps) {
    const { bus, config } = deps;
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app.openapi(ticketRoute, async (c) => {
      const user = c.get('user');
      let ticket: string;
      try {
        if (config.rateLimits) await enforceRateLimits(bus, [[TICKET_LIMIT, user.id]]);
        ticket = await issueTicket(bus, { userId: user.id, sessionId: user.sessionId, scopes: user.scopes });
      } catch (err) {
        if (err instanceof Problem) throw err;
        // Tickets live on the bus: without it there is nothing realtime could redeem.
        throw new Problem('realtime_unavailable', { headers: { 'retry-after': '5' } });
      }
      c.header('cache-control', 'no-store');
      return c.json({ ticket, url: `${config.realtime.publicUrl}?ticket=${ticket}`, expires_in: TICKET_TTL_SECONDS }, 201);
    });
  },
};
