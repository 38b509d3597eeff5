import { nexusBusOf } from '../platform/bus/index.js';
import { PROBLEM_CONTENT_TYPE, Problem } from '../platform/errors.js';
import type { Deps } from '../platform/http/context.js';
import { readiness } from '../platform/readiness.js';
import { createRealtimeMetrics, type RealtimeMetrics } from '../platform/metrics.js';
import { markOffline, markOnline } from '../platform/presence.js';
import { RESUME_RENEW_AFTER_SECONDS, RESUME_TTL_SECONDS, ResumeTokens } from '../platform/realtime-resume.js';
import { sessionStatuses } from '../platform/session-status.js';
import { CHAT, sendChat } from './chat.js';
import type { Connection, SocketData } from './connection.js';
import { Fanout, SESSIONS_CHANNEL } from './fanout.js';
import { serveFetch, type FetchHandler } from './http-bridge.js';
import { Batcher } from './batch.js';
import { Hub } from './hub.js';
import { CLOSE, errorFrame, parseClientFrame, serverFrame } from './protocol.js';
import { HOLD_MS, replayBatcher, resumeConnection, type ResumeDeps } from './resume.js';
import { upgradeHandler } from './upgrade.js';
import { loadUws, type HttpResponse, type us_listen_socket } from './uws.js';

export type RealtimeDeps = Pick<Deps, 'config' | 'accounts' | 'region' | 'bus' | 'nexusBus' | 'logger' | 'metrics'>;

export interface RealtimeOptions {
  host: string;
  port: number;
  /** Serve every other HTTP request with this handler (the `all` role); without it only /healthz, /readyz and /metrics. */
  http?: FetchHandler;
  /** uWS pings a quiet socket and drops it when nothing comes back within this many seconds (multiples of 4). */
  idleTimeoutSeconds?: number;
  /** How often presence is refreshed, sessions re-checked and the bus pinged. */
  sweepIntervalMs?: number;
  holdMs?: number;
}

export interface RealtimeServer {
  port: number;
  metrics: RealtimeMetrics;
  /** Open connections on this process. */
  connections(): number;
  close(): Promise<void>;
}

/** Client → server frames: 4 KiB holds the longest chat line (500 characters) with room to spare. */
const MAX_PAYLOAD_BYTES = 4 * 1024;
/**
 * A consumer this far behind is cut off (its close frame would sit behind the backlog anyway) and
 * resumes on reconnect. Room for a full replay (RESUME_LIMIT events); memory is only used while backlogged.
 */
const MAX_BACKPRESSURE_BYTES = 1024 * 1024;
/** Frames a client may send in a window before it is closed with `rate_limited`. */
const FRAME_LIMIT = { count: 40, windowMs: 10_000 };
/** Connections a sweep refreshes (presence, session, resume token) before it lets the loop run events again. */
const SWEEP_SLICE = 500;
/** Far longer than an upgrade takes: a connection announced elsewhere is remembered this long. */
const ANNOUNCEMENT_MEMORY_MS = 60_000;

/**
 * The realtime server: uWS on one port, `/ws` for clients with a ticket, fed by the bus. Any
 * number of these run side by side, each delivering to its own sockets.
 */
export async function startRealtimeServer(deps: RealtimeDeps, options: RealtimeOptions): Promise<RealtimeServer> {
  const { bus, accounts, region, logger, config } = deps;
  const nexusBus = nexusBusOf(deps);
  const uws = loadUws(logger);
  const metrics = createRealtimeMetrics(deps.metrics.registry);
  const idleTimeout = options.idleTimeoutSeconds ?? 60;
  const holdMs = options.holdMs ?? HOLD_MS;
  const app = uws.App();
  const hub = new Hub(app, metrics);
  const fanout = new Fanout({ bus, nexusBus, region, logger, metrics, stamps: config.eventStamps }, hub);
  const resumeDeps: ResumeDeps = { bus, nexusBus, region, hub, logger, metrics, replays: replayBatcher(region) };
  const chatDeps = { bus, nexusBus, accounts, config };
  const resumeTokens = new ResumeTokens(config.jwt.secret);
  const resumeToken = (connection: Connection) => {
    connection.resumeIssuedAt = Date.now();
    return resumeTokens.issue({ userId: connection.userId, sessionId: connection.sessionId, scopes: [...connection.scopes] }, connection.resumeIssuedAt);
  };
  const background = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  /** Fire-and-forget bus writes, kept so shutdown can wait for them. */
  const track = (work: Promise<unknown>, what: string) => {
    const tracked = work.catch((err) => logger.debug({ err: (err as Error).message }, `${what} failed`)).finally(() => background.delete(tracked));
    background.add(tracked);
  };

  const handleFrame = (connection: Connection, text: string) => {
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      metrics.messagesIn.inc({ type: 'invalid' });
      hub.send(connection, errorFrame(parsed.code, parsed.message, { ref: parsed.ref }));
      return;
    }
    const frame = parsed.frame;
    metrics.messagesIn.inc({ type: frame.type });
    switch (frame.type) {
      case 'ping':
        hub.send(connection, serverFrame('pong', { ...(frame.ref !== undefined ? { ref: frame.ref } : {}), server_time: new Date().toISOString() }));
        return;
      case 'resume':
        void resumeConnection(resumeDeps, connection, frame.after, frame.ref);
        return;
      case 'chat':
        void sendChat(chatDeps, connection, frame).then((error) => error && hub.send(connection, error));
        return;
    }
  };

  // Connections placed in one turn (a reconnect storm) share their reads: one query each per batch.
  const byId = <R, K extends keyof R>(rows: R[], key: K, ids: string[]) => {
    const found = new Map(rows.map((r) => [r[key] as unknown as string, r]));
    return ids.map((id) => found.get(id));
  };
  const users = new Batcher(async (ids: string[]) =>
    byId(await accounts.selectFrom('users').select(['id', 'username', 'status']).where('id', 'in', ids).execute(), 'id', ids),
  );
  const pilots = new Batcher(async (ids: string[]) =>
    byId(await region.selectFrom('players').select(['user_id', 'name', 'sector_id', 'region_id']).where('user_id', 'in', ids).execute(), 'user_id', ids),
  );
  const teams = new Batcher(async (ids: string[]) =>
    byId(await accounts.selectFrom('team_members').select(['user_id', 'team_id']).where('user_id', 'in', ids).execute(), 'user_id', ids),
  );

  /** Read where the pilot is, hold its topics, greet it, and replay what it sent meanwhile. */
  const place = async (connection: Connection) => {
    // The account (accounts database) and its pilot if it has played (its region's): separate reads, never a join.
    const [user, pilot, team] = await Promise.all([users.get(connection.userId), pilots.get(connection.userId), teams.get(connection.userId)]);
    if (!connection.open) return;
    if (user?.status !== 'active') {
      hub.close(connection, CLOSE.authRevoked);
      return;
    }
    connection.name = pilot?.name ?? user.username;
    connection.sectorId = pilot?.sector_id ?? null;
    connection.regionId = pilot?.region_id ?? null;
    // A join or leave seen while loading is newer than what the read returned.
    connection.teamId = connection.teamMoved !== undefined ? connection.teamMoved : team ? String(team.team_id) : null;
    if (pilot) fanout.rememberRegion(pilot.sector_id, pilot.region_id);
    hub.hold(connection);
    if (connection.movedTo !== undefined && connection.movedTo !== connection.sectorId) fanout.applyMove(connection, connection.movedTo);
    hub.send(
      connection,
      serverFrame('welcome', {
        connection_id: connection.id,
        user_id: connection.userId,
        name: connection.name,
        sector_id: connection.sectorId,
        region_id: connection.regionId,
        team_id: connection.teamId,
        topics: connection.topics(),
        // Everything after this id on these topics reaches this connection (send `resume` to replay older ones).
        last_event_id: fanout.lastEventId,
        hold_ms: holdMs,
        idle_timeout_seconds: idleTimeout,
        chat_max_length: CHAT.maxLength,
        // Connect again with `?resume=<token>` instead of a new ticket (once, within the lifetime).
        resume_token: resumeToken(connection),
        resume_expires_in: RESUME_TTL_SECONDS,
      }),
    );
    track(markOnline(bus, connection.presence()), 'presence update');
    if (connection.resumeAfter !== undefined) {
      // Asked for in the URL: no round trip, and no hold that could run out before the frame came.
      const after = connection.resumeAfter;
      connection.resumeAfter = undefined;
      void resumeConnection(resumeDeps, connection, after);
    } else connection.holdTimer = setTimeout(() => void resumeConnection(resumeDeps, connection, undefined), holdMs);
    const pending = connection.pending ?? [];
    connection.pending = undefined;
    for (const text of pending) handleFrame(connection, text);
  };

  app.ws<SocketData>('/ws', {
    maxPayloadLength: MAX_PAYLOAD_BYTES,
    maxBackpressure: MAX_BACKPRESSURE_BYTES,
    // The types say number; uWS takes it as a flag.
    closeOnBackpressureLimit: true as unknown as number,
    idleTimeout,
    sendPingsAutomatically: true,
    upgrade: upgradeHandler({ bus, accounts, allowedOrigins: config.allowedOrigins, logger, metrics, resumeTokens, closing: () => closing !== undefined }),
    open: (ws) => {
      const connection = ws.getUserData().connection;
      connection.socket = ws;
      metrics.opened.inc();
      metrics.connections.inc();
      if (!hub.add(connection)) return;
      track(
        // On the nexus: the account's newest connection wins in every region (a crossing pilot reconnects elsewhere).
        nexusBus.publish(SESSIONS_CHANNEL, JSON.stringify({ user_id: connection.userId, connection_id: connection.id, seq: connection.seq })),
        'session announcement',
      );
      place(connection).catch((err) => {
        logger.error({ err, user_id: connection.userId }, 'could not set up a realtime connection');
        hub.close(connection, CLOSE.serverError);
      });
    },
    message: (ws, message, isBinary) => {
      const connection = ws.getUserData().connection;
      const now = Date.now();
      connection.lastHeardAt = now;
      if (now - connection.frameWindowStart > FRAME_LIMIT.windowMs) {
        connection.frameWindowStart = now;
        connection.frameCount = 0;
      }
      if (++connection.frameCount > FRAME_LIMIT.count) {
        hub.close(connection, CLOSE.rateLimited);
        return;
      }
      if (isBinary) {
        metrics.messagesIn.inc({ type: 'binary' });
        hub.send(connection, errorFrame('binary_not_supported', 'Frames are JSON text'));
        return;
      }
      // The message buffer is reused once this callback returns: decode it now.
      const text = Buffer.from(message).toString('utf8');
      if (connection.phase === 'loading') (connection.pending ??= []).push(text);
      else handleFrame(connection, text);
    },
    pong: (ws) => {
      ws.getUserData().connection.lastHeardAt = Date.now();
    },
    close: (ws, code) => {
      const connection = ws.getUserData().connection;
      const placed = connection.phase !== 'loading';
      hub.remove(connection);
      connection.phase = 'closed';
      clearTimeout(connection.holdTimer);
      const reason = connection.closeReason ?? closedBy(code, connection.lastHeardAt, idleTimeout);
      metrics.closed.inc({ reason });
      metrics.connections.dec();
      logger.debug({ user_id: connection.userId, connection_id: connection.id, code, reason }, 'realtime connection closed');
      if (placed) track(markOffline(bus, connection.presence()), 'presence removal');
    },
  });

  if (options.http) {
    serveFetch(app, options.http, { bodyLimitBytes: config.bodyLimitBytes, logger });
  } else {
    app.get('/healthz', (res) => {
      res.writeHeader('content-type', 'application/json').end('{"status":"ok"}');
    });
    app.get('/readyz', (res) => {
      respondLater(res, async () => {
        // As the API's: connections stay up and are caught up from the outbox when the bus returns.
        const { httpStatus, body } = await readiness({ accounts, region, bus });
        return {
          status: httpStatus === 200 ? '200 OK' : '503 Service Unavailable',
          type: 'application/json',
          body: JSON.stringify({ ...body, connections: hub.size }),
        };
      });
    });
    app.get('/metrics', (res) => {
      respondLater(res, async () => ({ status: '200 OK', type: deps.metrics.registry.contentType, body: await deps.metrics.registry.metrics() }));
    });
    app.any('/*', (res, req) => {
      const problem = new Problem('not_found', {
        detail: `${req.getMethod().toUpperCase()} ${req.getUrl()} (this is the realtime server: /ws, /healthz, /readyz, /metrics)`,
      });
      res.writeStatus('404 Not Found').writeHeader('content-type', PROBLEM_CONTENT_TYPE).end(JSON.stringify(problem.toBody()));
    });
  }

  await fanout.start();

  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    hub.pruneAnnouncements(Date.now() - ANNOUNCEMENT_MEMORY_MS);
    const placed = [...hub.byUser.values()].filter((c) => c.phase === 'held' || c.phase === 'live');
    try {
      const started = performance.now();
      await bus.ping();
      metrics.busPing.set((performance.now() - started) / 1000);
    } catch (err) {
      logger.debug({ err: (err as Error).message }, 'bus ping failed');
    }
    // In slices, the loop free in between: 10,000 sockets' presence writes and session checks
    // issued in one tick held every event behind them (the fan-out's tail, every sweep).
    const renewBefore = Date.now() - RESUME_RENEW_AFTER_SECONDS * 1000;
    try {
      for (let i = 0; i < placed.length; i += SWEEP_SLICE) {
        const slice = placed.slice(i, i + SWEEP_SLICE).filter((c) => c.open);
        try {
          await Promise.all(slice.map((c) => markOnline(bus, c.presence())));
        } catch (err) {
          logger.debug({ err: (err as Error).message }, 'presence refresh failed; next sweep retries');
        }
        try {
          // Logged out or disabled since the ticket was issued: the same check as the API's, which
          // asks the database when the bus cannot answer.
          const statuses = await sessionStatuses({ accounts, bus }, slice);
          slice.forEach((c, j) => {
            if (statuses[j] !== 'active') hub.close(c, CLOSE.authRevoked);
          });
        } catch (err) {
          logger.debug({ err: (err as Error).message }, 'session re-check failed; next sweep retries');
        }
        // A connection's resume token is renewed at half-life: whenever it drops, it holds a valid one.
        for (const c of slice) {
          if (c.open && c.resumeIssuedAt < renewBefore) {
            hub.send(c, serverFrame('resume_token', { resume_token: resumeToken(c), resume_expires_in: RESUME_TTL_SECONDS }));
          }
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      sweeping = false;
    }
  };
  const sweeper = setInterval(() => void sweep(), options.sweepIntervalMs ?? 20_000);
  sweeper.unref();

  const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(options.host, options.port, (socket) =>
      socket ? resolve(socket) : reject(new Error(`realtime could not listen on ${options.host}:${options.port}`)),
    );
  });
  const port = uws.us_socket_local_port(listenSocket as never);

  return {
    port,
    metrics,
    connections: () => hub.size,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        uws.us_listen_socket_close(listenSocket);
        for (const connection of [...hub.byUser.values()]) hub.close(connection, CLOSE.serverShutdown);
        await fanout.stop();
        await Promise.allSettled([...background]);
        // Also ends idle keep-alive HTTP connections, which would otherwise keep the loop alive.
        (app as unknown as { close?: () => void }).close?.();
      })();
      return closing;
    },
  };
}

/** Why a socket closed that the server did not close itself. */
function closedBy(code: number, lastHeardAt: number, idleTimeoutSeconds: number): string {
  if (code !== 1006) return 'client';
  // No close frame. uWS closes a socket that answered no ping at least idleTimeout - 4 s (its
  // timer resolution) after it was last heard; sooner, it was a consumer past the backpressure
  // limit (uWS cuts those off when it drains topics), or the network.
  return Date.now() - lastHeardAt >= (idleTimeoutSeconds - 5) * 1000 ? 'idle' : 'dropped';
}

/** Answer an HTTP request after some async work, as uWS requires: abort-aware and corked. */
function respondLater(res: HttpResponse, work: () => Promise<{ status: string; type: string; body: string }>): void {
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  work().then(
    ({ status, type, body }) => {
      if (!aborted) res.cork(() => res.writeStatus(status).writeHeader('content-type', type).end(body));
    },
    () => {
      if (!aborted) res.cork(() => res.writeStatus('500 Internal Server Error').end());
    },
  );
}
