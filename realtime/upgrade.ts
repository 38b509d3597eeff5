import { STATUS_CODES } from 'node:http';
import type { Bus } from '../platform/bus/index.js';
import { PROBLEM_CONTENT_TYPE, Problem } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { RealtimeMetrics } from '../platform/metrics.js';
import { redeemTicket } from '../platform/realtime-tickets.js';
import { Connection, type SocketData } from './connection.js';
import type { HttpRequest, HttpResponse } from './uws.js';

type UpgradeContext = Parameters<HttpResponse['upgrade']>[4];

export interface UpgradeDeps {
  bus: Bus;
  allowedOrigins: string[];
  logger: Logger;
  metrics: RealtimeMetrics;
  /** True once the server is shutting down: late upgrades are refused rather than opened. */
  closing: () => boolean;
}

/**
 * The WebSocket handshake: a browser's Origin must be one of ours (clients without an Origin
 * header are not browsers, and a ticket is what they need), and the `ticket` query parameter
 * must redeem, once, on the bus. Refusals are HTTP problems, before any socket exists.
 */
export function upgradeHandler(deps: UpgradeDeps) {
  const allowed = new Set(deps.allowedOrigins);
  return (res: HttpResponse, req: HttpRequest, context: UpgradeContext): void => {
    // The request object is only valid in this synchronous part: read everything now.
    const origin = req.getHeader('origin');
    const ticket = req.getQuery('ticket') ?? '';
    const key = req.getHeader('sec-websocket-key');
    const extensions = req.getHeader('sec-websocket-extensions');

    if (origin && !allowed.has(origin)) {
      refuse(
        res,
        deps.metrics,
        new Problem(403, 'origin_not_allowed', 'This origin may not open realtime connections', { detail: `Origin ${origin} is not in ALLOWED_ORIGINS.` }),
      );
      return;
    }
    if (!ticket) {
      refuse(res, deps.metrics, new Problem(401, 'ticket_required', 'Connect with ?ticket= from POST /api/v1/realtime/ticket'));
      return;
    }
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    redeemTicket(deps.bus, ticket).then(
      (holder) => {
        if (aborted) return;
        res.cork(() => {
          if (deps.closing()) {
            refuse(res, deps.metrics, new Problem(503, 'shutting_down', 'This realtime server is shutting down; connect again'));
          } else if (!holder) {
            refuse(res, deps.metrics, new Problem(401, 'invalid_ticket', 'The ticket is unknown, expired or already used'));
          } else {
            // No subprotocols are spoken: a client asking for one is refused by its own WebSocket.
            res.upgrade<SocketData>({ connection: new Connection(holder) }, key, '', extensions, context);
          }
        });
      },
      (err) => {
        deps.logger.warn({ err: (err as Error).message }, 'ticket redemption failed');
        if (aborted) return;
        res.cork(() => refuse(res, deps.metrics, new Problem(503, 'realtime_unavailable', 'Realtime is unavailable right now; try again shortly')));
      },
    );
  };
}

function refuse(res: HttpResponse, metrics: RealtimeMetrics, problem: Problem): void {
  metrics.refused.inc({ reason: problem.code });
  res
    .writeStatus(`${problem.status} ${STATUS_CODES[problem.status] ?? ''}`)
    .writeHeader('content-type', PROBLEM_CONTENT_TYPE)
    .writeHeader('cache-control', 'no-store')
    .end(JSON.stringify(problem.toBody()));
}
