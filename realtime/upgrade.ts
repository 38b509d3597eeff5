import { STATUS_CODES } from 'node:http';
import type { Bus } from '../platform/bus/index.js';
import type { AccountDb } from '../platform/db/database.js';
import { PROBLEM_CONTENT_TYPE, Problem } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { RealtimeMetrics } from '../platform/metrics.js';
import { redeemResumeToken, type ResumeTokens } from '../platform/realtime-resume.js';
import { redeemTicket, type TicketHolder } from '../platform/realtime-tickets.js';
import { sessionStatuses, type SessionStatus } from '../platform/session-status.js';
import { Batcher } from './batch.js';
import { Connection, type SocketData } from './connection.js';
import type { HttpRequest, HttpResponse } from './uws.js';

type UpgradeContext = Parameters<HttpResponse['upgrade']>[4];

export interface UpgradeDeps {
  bus: Bus;
  accounts: AccountDb;
  allowedOrigins: string[];
  logger: Logger;
  metrics: RealtimeMetrics;
  resumeTokens: ResumeTokens;
  /** True once the server is shutting down: late upgrades are refused rather than opened. */
  closing: () => boolean;
}

/**
 * The WebSocket handshake: a browser's Origin must be one of ours (clients without an Origin
 * header are not browsers, and a ticket is what they need), and the `ticket` query parameter
 * must redeem, once, on the bus, for a session that is still signed in (a ticket outlives a
 * logout by up to its 30 s). Instead of a ticket a client that was connected may bring the
 * `resume` token its last `welcome` gave it (platform/realtime-resume.ts): checked here, signature,
 * expiry and single use, then the same session check. Refusals are HTTP problems, before any socket exists.
 */
export function upgradeHandler(deps: UpgradeDeps) {
  const allowed = new Set(deps.allowedOrigins);
  // Upgrades of one turn (a reconnect storm) share one session check: one bus read, at most one query.
  const statuses = new Batcher((holders: TicketHolder[]) => sessionStatuses(deps, holders));
  return (res: HttpResponse, req: HttpRequest, context: UpgradeContext): void => {
    // The request object is only valid in this synchronous part: read everything now.
    const origin = req.getHeader('origin');
    const ticket = req.getQuery('ticket') ?? '';
    const resume = ticket ? '' : (req.getQuery('resume') ?? '');
    // `after`: resume at once, after this event id, without waiting for the client's `resume` frame.
    const afterText = req.getQuery('after') ?? '';
    const after = /^\d{1,15}$/.test(afterText) ? Number(afterText) : undefined;
    const key = req.getHeader('sec-websocket-key');
    const extensions = req.getHeader('sec-websocket-extensions');

    if (origin && !allowed.has(origin)) {
      refuse(res, deps.metrics, new Problem('origin_not_allowed', { detail: `Origin ${origin} is not in ALLOWED_ORIGINS.` }));
      return;
    }
    if (!ticket && !resume) {
      refuse(res, deps.metrics, new Problem('ticket_required'));
      return;
    }
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    redeem(deps, statuses, ticket, resume).then(
      ({ holder, status, seq }) => {
        if (aborted) return;
        res.cork(() => {
          if (deps.closing()) {
            refuse(res, deps.metrics, new Problem('shutting_down', { detail: 'This realtime server is shutting down; connect again' }));
          } else if (!holder) {
            const detail = resume ? 'The resume token is malformed, expired or already used: fetch a ticket' : undefined;
            refuse(res, deps.metrics, new Problem('invalid_ticket', detail ? { detail } : {}));
          } else if (status === 'disabled') {
            refuse(res, deps.metrics, new Problem('account_disabled'));
          } else if (status !== 'active') {
            refuse(res, deps.metrics, new Problem('session_revoked'));
          } else {
            // No subprotocols are spoken: a client asking for one is refused by its own WebSocket.
            // Known: the uWS builds we load close about one socket in 200 right after an upgrade made
            // in cork() (1006; uWebSockets#1929, fixed upstream). Without cork it warns on stderr at
            // every upgrade, so we keep it; the client reconnects from a 1006.
            const connection = new Connection(holder, seq!);
            connection.resumeAfter = after;
            res.upgrade<SocketData>({ connection }, key, '', extensions, context);
          }
        });
      },
      (err) => {
        deps.logger.warn({ err: (err as Error).message }, 'ticket redemption failed');
        if (aborted) return;
        res.cork(() => refuse(res, deps.metrics, new Problem('realtime_unavailable')));
      },
    );
  };
}

/** Every connection's place in the order that decides which of an account's connections stays. */
export const CONNECTION_SEQUENCE = 'realtime:connection-seq';

async function redeem(
  deps: UpgradeDeps,
  statuses: Batcher<TicketHolder, SessionStatus>,
  ticket: string,
  resume: string,
): Promise<{ holder: TicketHolder | null; status?: SessionStatus; seq?: number }> {
  const holder = ticket ? await redeemTicket(deps.bus, ticket) : await redeemResumeToken(deps.bus, deps.resumeTokens, resume, Date.now());
  if (resume) deps.metrics.resumeTokens.inc({ outcome: holder ? 'accepted' : 'refused' });
  if (!holder) return { holder };
  const status = await statuses.get(holder);
  return { holder, status, seq: status === 'active' ? await deps.bus.sequence(CONNECTION_SEQUENCE) : 0 };
}

function refuse(res: HttpResponse, metrics: RealtimeMetrics, problem: Problem): void {
  metrics.refused.inc({ reason: problem.code });
  res
    .writeStatus(`${problem.status} ${STATUS_CODES[problem.status] ?? ''}`)
    .writeHeader('content-type', PROBLEM_CONTENT_TYPE)
    .writeHeader('cache-control', 'no-store')
    .end(JSON.stringify(problem.toBody()));
}
