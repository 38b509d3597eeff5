import type { Bus, SubscriptionState } from '../platform/bus/index.js';
import type { RegionDb } from '../platform/db/database.js';
import type { EventEnvelope } from '../contract/events.js';
import { crossesRegions } from '../contract/topics.js';
import { allEventsAfter, EVENTS_CHANNEL, latestEventId, NEXUS_EVENTS_CHANNEL, type NexusEventMessage, stampNow } from '../platform/outbox.js';
import type { Logger } from '../platform/logger.js';
import type { RealtimeMetrics } from '../platform/metrics.js';
import { markMoved } from '../platform/presence.js';
import { DISCONNECT_CHANNEL } from '../platform/session-status.js';
import type { Connection } from './connection.js';
import { CLOSE } from './protocol.js';
import type { Hub } from './hub.js';

/** Chat lines, published by whichever realtime process received them, delivered by all. */
export const CHAT_CHANNEL = 'realtime:chat';
/** A connection opened: every process closes its older connection of that user (one each, the newest). */
export const SESSIONS_CHANNEL = 'realtime:sessions';

const CATCH_UP_PAGE = 500;
/** An outage longer than this many events is not caught up here; clients resume from the outbox. */
const CATCH_UP_LIMIT = 20_000;

/**
 * The bus side of a realtime process: one subscription per channel for the whole process (never
 * one per socket), republished into uWS topics. Movement events move the pilot's sector
 * subscription here, in every process, whichever API process handled the move. After a bus
 * outage it reads what it missed from the outbox, so connected clients miss nothing.
 * In multi-regional mode it also listens to the nexus bus: events and chat that cross regions,
 * and the account-wide orders (one connection per account, disconnects).
 */
export class Fanout {
  /** The highest outbox id seen: where a catch-up starts, and the cursor a new connection is given. */
  lastEventId = 0;
  private readonly recent = new RecentIds<number>(8_192);
  /** Cross-region events by `origin:id` (ids count per region database). */
  private readonly recentAcross = new RecentIds<string>(8_192);
  private readonly regionOfSector = new Map<number, number>();
  private unsubscribes: Array<() => Promise<void>> = [];
  private unfollow: Array<() => void> = [];
  private catchingUp: Promise<void> | undefined;
  private started = false;

  constructor(
    private readonly deps: { bus: Bus; nexusBus?: Bus; region: RegionDb; logger: Logger; metrics: RealtimeMetrics; stamps?: boolean },
    private readonly hub: Hub,
  ) {}

  /** The nexus bus when it is not the region's own (multi-regional mode). */
  private get nexus(): Bus | undefined {
    const { bus, nexusBus } = this.deps;
    return nexusBus && nexusBus !== bus ? nexusBus : undefined;
  }

  async start(): Promise<void> {
    const { bus, metrics, logger } = this.deps;
    const nexus = this.nexus;
    const accountBus = nexus ?? bus;
    this.unfollow.push(bus.onSubscriptionChange((state) => this.onSubscriptionChange(state)));
    if (nexus) {
      // Nothing durable to catch up from across regions: account events are read again from the accounts database.
      this.unfollow.push(
        nexus.onSubscriptionChange((state) => state === 'down' && logger.warn('nexus bus subscription lost; cross-region chat and events wait for it')),
      );
    }
    this.unsubscribes = await Promise.all([
      bus.subscribe(EVENTS_CHANNEL, (message) => this.onEvent(message)),
      bus.subscribe(CHAT_CHANNEL, (message) => this.onChat(message)),
      ...(nexus
        ? [nexus.subscribe(NEXUS_EVENTS_CHANNEL, (message) => this.onNexusEvent(message)), nexus.subscribe(CHAT_CHANNEL, (message) => this.onChat(message))]
        : []),
      accountBus.subscribe(SESSIONS_CHANNEL, (message) => this.onSession(message)),
      accountBus.subscribe(DISCONNECT_CHANNEL, (message) => this.onDisconnect(message)),
    ]);
    // Subscribed first, then read the cursor: an event committed in between is seen twice at worst.
    this.lastEventId = Math.max(this.lastEventId, await latestEventId(this.deps.region));
    this.started = true;
    metrics.busUp.set(1);
  }

  async stop(): Promise<void> {
    for (const unfollow of this.unfollow) unfollow();
    await Promise.allSettled(this.unsubscribes.map((off) => off()));
    await this.catchingUp;
  }

  /** An outbox event from the bus (or from a catch-up): route it by its topic. */
  onEvent(message: string): void {
    const received = this.deps.stamps ? stampNow() : 0;
    const event = this.read<EventEnvelope>(message);
    if (!event || typeof event.id !== 'number' || typeof event.topic !== 'string') return;
    // At-least-once upstream (the relay republishes, a catch-up overlaps live delivery): once here.
    if (!this.recent.add(event.id)) return;
    if (event.id > this.lastEventId) this.lastEventId = event.id;
    if (event.type === 'player.moved' && event.topic.startsWith('player:')) {
      this.movePilot(event.topic.slice('player:'.length), Number(event.data?.to));
    }
    this.followTeam(event);
    this.hub.deliver(event.topic, this.deps.stamps ? stamped(message, received) : message, event.id);
    this.deps.metrics.deliveryLag.observe({ kind: 'event' }, lagSeconds(event.at));
  }

  /**
   * An event from any region's outbox, by the nexus bus. Its id counts in another database, so it
   * neither moves this process's cursor nor is it matched against a replay (delivered as chat is).
   */
  onNexusEvent(message: string): void {
    const parsed = this.read<NexusEventMessage>(message);
    const event = parsed?.event;
    if (!event || typeof parsed.origin !== 'string' || typeof event.id !== 'number' || typeof event.topic !== 'string') return;
    if (!this.recentAcross.add(`${parsed.origin}:${event.id}`)) return;
    this.followTeam(event);
    this.hub.deliver(event.topic, JSON.stringify(event), null);
    this.deps.metrics.deliveryLag.observe({ kind: 'event' }, lagSeconds(event.at));
  }

  private followTeam(event: EventEnvelope): void {
    if ((event.type === 'team.joined' || event.type === 'team.left') && event.topic.startsWith('player:')) {
      this.moveTeam(event.topic.slice('player:'.length), event.type === 'team.joined' ? String(event.data?.team_id) : null);
    }
  }

  private onChat(message: string): void {
    const frame = this.read<{ topic: string; at: string }>(message);
    if (!frame || typeof frame.topic !== 'string') return;
    this.hub.deliver(frame.topic, message, null);
    this.deps.metrics.deliveryLag.observe({ kind: 'chat' }, lagSeconds(frame.at));
  }

  private onSession(message: string): void {
    const session = this.read<{ user_id: string; connection_id: string; seq: number }>(message);
    if (!session || typeof session.user_id !== 'string' || typeof session.seq !== 'number') return;
    this.hub.announced(session.user_id, session.connection_id, session.seq);
  }

  /** An account banned, suspended or signed out everywhere by an admin: its socket here closes now. */
  private onDisconnect(message: string): void {
    const order = this.read<{ user_id: string }>(message);
    const connection = order && typeof order.user_id === 'string' ? this.hub.byUser.get(order.user_id) : undefined;
    if (connection) this.hub.close(connection, CLOSE.authRevoked);
  }

  /** Whatever else shares the bus, a message we cannot read is logged and skipped, never thrown. */
  private read<T>(message: string): T | undefined {
    try {
      return JSON.parse(message) as T;
    } catch {
      this.deps.logger.warn({ message: message.slice(0, 200) }, 'unreadable message on the bus');
      return undefined;
    }
  }

  /**
   * Switch the sector topic at once (the next frame on the bus may be for the new sector); the
   * region follows when known, which may take one lookup.
   */
  private movePilot(userId: string, to: number): void {
    const connection = this.hub.byUser.get(userId);
    if (!connection || !Number.isInteger(to)) return;
    if (connection.phase === 'loading') connection.movedTo = to;
    else this.applyMove(connection, to);
  }

  /** Join or leave the team topic at once: team chat and team events follow membership. */
  private moveTeam(userId: string, teamId: string | null): void {
    const connection = this.hub.byUser.get(userId);
    if (!connection) return;
    if (connection.phase === 'loading') connection.teamMoved = teamId;
    else this.hub.retopic(connection, () => (connection.teamId = teamId));
  }

  applyMove(connection: Connection, to: number): void {
    const from = connection.sectorId;
    const region = this.regionOfSector.get(to);
    this.hub.retopic(connection, () => {
      connection.sectorId = to;
      if (region !== undefined) connection.regionId = region;
    });
    markMoved(this.deps.bus, connection.presence(), from).catch((err) => this.deps.logger.debug({ err: (err as Error).message }, 'presence update failed'));
    if (region === undefined) {
      void this.lookUpRegion(to).then((found) => {
        if (found !== undefined && connection.open && connection.sectorId === to) this.hub.retopic(connection, () => (connection.regionId = found));
      });
    }
  }

  /** Sectors never change region, so what a placement read says is worth keeping. */
  rememberRegion(sectorId: number, regionId: number): void {
    this.regionOfSector.set(sectorId, regionId);
  }

  private async lookUpRegion(sectorId: number): Promise<number | undefined> {
    const known = this.regionOfSector.get(sectorId);
    if (known !== undefined) return known;
    const row = await this.deps.region
      .selectFrom('sectors')
      .select('region_id')
      .where('id', '=', sectorId)
      .executeTakeFirst()
      .catch(() => undefined);
    if (row) this.regionOfSector.set(sectorId, row.region_id);
    return row?.region_id;
  }

  private onSubscriptionChange(state: SubscriptionState): void {
    const { logger, metrics } = this.deps;
    metrics.busUp.set(state === 'up' ? 1 : 0);
    if (state === 'down') {
      logger.warn('bus subscription lost; delivering again once it is back');
      return;
    }
    // The first connection is not a recovery: start() reads the cursor itself.
    if (!this.started) return;
    metrics.busReconnects.inc();
    logger.info({ after: this.lastEventId }, 'bus subscription restored; catching up from the outbox');
    void this.catchUp();
  }

  /** Deliver what the outbox got while the bus was away (at most CATCH_UP_LIMIT events). */
  catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      let delivered = 0;
      try {
        while (delivered < CATCH_UP_LIMIT) {
          const page = await allEventsAfter(this.deps.region, this.lastEventId, CATCH_UP_PAGE);
          for (const event of page) {
            // Those came by the nexus bus, and were never on the region's.
            if (this.nexus && crossesRegions(event)) this.lastEventId = Math.max(this.lastEventId, event.id);
            else this.onEvent(JSON.stringify(event));
          }
          delivered += page.length;
          if (page.length < CATCH_UP_PAGE) break;
        }
        this.deps.logger.info({ delivered, last_event_id: this.lastEventId }, 'caught up from the outbox');
      } catch (err) {
        this.deps.logger.error({ err }, 'catching up from the outbox failed; clients recover with resume');
      } finally {
        this.catchingUp = undefined;
      }
    })();
    return this.catchingUp;
  }
}

function lagSeconds(at: string): number {
  return Math.max(0, (Date.now() - Date.parse(at)) / 1000);
}

/** The last `capacity` ids seen, to drop repeats in constant memory. */
class RecentIds<Id> {
  private readonly ring: Id[] = [];
  private readonly set = new Set<Id>();
  private next = 0;

  constructor(private readonly capacity: number) {}

  /** False when the id was seen recently. */
  add(id: Id): boolean {
    if (this.set.has(id)) return false;
    if (this.ring.length === this.capacity) this.set.delete(this.ring[this.next]!);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.set.add(id);
    return true;
  }
}

const PUBLISHED_STAMP = /,"hops":\{"published":[0-9.]+\}\}$/;

/** A stamped message (EVENT_STAMPS) with realtime's receipt and send times added to its `hops`. */
export function stamped(message: string, received: number): string {
  if (!PUBLISHED_STAMP.test(message)) return message;
  return `${message.slice(0, -2)},"received":${received},"sent":${stampNow()}}}`;
}
