import type { RealtimeMetrics } from '../platform/metrics.js';
import type { Connection } from './connection.js';
import { CLOSE, type CloseCause } from './protocol.js';
import type { TemplatedApp } from './uws.js';

/** More frames than this waiting for a held connection mean it will not catch up by itself. */
export const HOLD_LIMIT = 500;

const PLAYER_TOPIC = 'player:';

/**
 * The topics a connection shares with others, subscribed in uWS. Its own `player:<id>` topic has
 * one listener at most, so it is not a uWS topic (each one costs the native topic tree a node per
 * socket): frames for it go straight to the user's connection (deliver()).
 */
function sharedTopics(connection: Connection): string[] {
  return connection.topics().filter((t) => !t.startsWith(PLAYER_TOPIC));
}

/**
 * This process's connections and the topics they hear. Live connections are subscribed in uWS,
 * which fans a frame out to all of them in native code; held connections (waiting for `resume`)
 * keep their frames here instead, so nothing published meanwhile is lost.
 */
export class Hub {
  /** One connection per user per process; across processes the sessions channel keeps one in all. */
  readonly byUser = new Map<string, Connection>();
  /**
   * The highest connection sequence heard of for each user, here or announced by another process,
   * and when: a connection that opens here after a newer one was announced elsewhere is superseded
   * at once. Entries of users with no connection here are pruned after a while.
   */
  private readonly newest = new Map<string, { seq: number; at: number }>();
  private readonly holds = new Map<string, Set<Connection>>();

  constructor(
    private readonly app: TemplatedApp,
    private readonly metrics: RealtimeMetrics,
  ) {}

  get size(): number {
    return this.byUser.size;
  }

  /**
   * Register a new connection. Of one user's connections the one with the highest sequence stays,
   * wherever they are and in whatever order the news arrives: an older one here is superseded, and
   * so is this one, at once, if a newer one is already known. False when it was.
   */
  add(connection: Connection): boolean {
    const { userId, seq } = connection;
    const known = this.newest.get(userId);
    const previous = this.byUser.get(userId);
    if ((known && known.seq > seq) || (previous && previous !== connection && previous.seq > seq)) {
      this.close(connection, CLOSE.superseded);
      return false;
    }
    if (previous && previous !== connection) this.close(previous, CLOSE.superseded);
    // While a connection is here it carries the newest sequence itself: no entry per socket.
    this.newest.delete(userId);
    this.byUser.set(userId, connection);
    return true;
  }

  /** Another process opened a connection of this user: ours goes if it is the older. */
  announced(userId: string, connectionId: string, seq: number): void {
    const local = this.byUser.get(userId);
    // Our own connection's announcement, back from the bus: its sequence is on the connection already.
    if (local && local.id === connectionId) return;
    this.heardOf(userId, seq);
    if (local && local.id !== connectionId && local.seq < seq) this.close(local, CLOSE.superseded);
  }

  /** Forget what was announced before `cutoff` about users with no connection here. */
  pruneAnnouncements(cutoff: number): void {
    for (const [userId, entry] of this.newest) if (entry.at < cutoff && !this.byUser.has(userId)) this.newest.delete(userId);
  }

  /** Note a user's connection sequence; false when a higher one is already known. */
  private heardOf(userId: string, seq: number): boolean {
    const known = this.newest.get(userId);
    if (known && known.seq > seq) return false;
    this.newest.set(userId, { seq, at: Date.now() });
    return true;
  }

  remove(connection: Connection): void {
    this.unhold(connection, sharedTopics(connection));
    if (this.byUser.get(connection.userId) === connection) {
      this.byUser.delete(connection.userId);
      // Remembered a while after it closes, as announcements are: an older connection opening late is still superseded.
      this.heardOf(connection.userId, connection.seq);
    }
  }

  /** Publish a frame to a topic: to every live subscriber in this process, and to held connections. */
  deliver(topic: string, frame: string, id: number | null): void {
    if (topic.startsWith(PLAYER_TOPIC)) {
      const connection = this.byUser.get(topic.slice(PLAYER_TOPIC.length));
      if (connection?.phase === 'live') this.send(connection, frame);
      else if (connection?.phase === 'held') this.keep(connection, id, frame);
      return;
    }
    this.app.publish(topic, frame);
    this.metrics.messagesOut.inc(this.app.numSubscribers(topic));
    const held = this.holds.get(topic);
    if (!held) return;
    for (const connection of held) this.keep(connection, id, frame);
  }

  private keep(connection: Connection, id: number | null, frame: string): void {
    connection.held!.push({ id, frame });
    if (connection.held!.length > HOLD_LIMIT) this.close(connection, CLOSE.fellBehind);
  }

  /** A frame for one connection only. */
  send(connection: Connection, frame: string): void {
    if (!connection.open) return;
    connection.socket!.send(frame);
    this.metrics.messagesOut.inc();
  }

  hold(connection: Connection): void {
    connection.phase = 'held';
    connection.held = [];
    this.addHolds(connection, sharedTopics(connection));
  }

  /**
   * Go live: send `first` (replayed events, chat history), then what was held except events the
   * replay already carried (ids up to `replayedUpTo`), then subscribe; all in one tick, so no frame
   * falls between the held buffer and the subscriptions.
   */
  goLive(connection: Connection, first: string[], replayedUpTo: number, last: string): void {
    if (connection.phase !== 'held') return;
    const socket = connection.socket!;
    const frames = [...first, ...(connection.held ?? []).filter((e) => e.id === null || e.id > replayedUpTo).map((e) => e.frame), last];
    socket.cork(() => {
      // A send can close the socket (backpressure limit); nothing may touch it after that.
      for (const frame of frames) {
        if (!connection.open) return;
        socket.send(frame);
      }
      if (!connection.open) return;
      const shared = sharedTopics(connection);
      this.unhold(connection, shared);
      for (const topic of shared) socket.subscribe(topic);
    });
    this.metrics.messagesOut.inc(frames.length);
    if (!connection.open) return;
    connection.held = undefined;
    connection.phase = 'live';
    // Nothing of the handshake stays: a live idle connection is its object and its uWS socket.
    connection.holdTimer = undefined;
  }

  /** The pilot is somewhere else now: its sector and region topics follow, whatever its phase. */
  retopic(connection: Connection, change: () => void): void {
    const before = connection.topics();
    change();
    const after = connection.topics();
    const gone = before.filter((t) => !after.includes(t));
    const added = after.filter((t) => !before.includes(t));
    if (connection.phase === 'live') {
      for (const topic of gone) connection.socket!.unsubscribe(topic);
      for (const topic of added) connection.socket!.subscribe(topic);
    } else if (connection.phase === 'held') {
      this.unhold(connection, gone);
      this.addHolds(connection, added);
    }
  }

  close(connection: Connection, cause: CloseCause): void {
    if (!connection.open) return;
    connection.closeReason = cause.reason;
    // end() runs the close handler at once, which removes the connection everywhere.
    connection.socket!.end(cause.code, cause.reason);
  }

  private addHolds(connection: Connection, topicList: string[]): void {
    for (const topic of topicList) {
      let set = this.holds.get(topic);
      if (!set) this.holds.set(topic, (set = new Set()));
      set.add(connection);
    }
  }

  private unhold(connection: Connection, topicList: string[]): void {
    for (const topic of topicList) {
      const set = this.holds.get(topic);
      if (!set) continue;
      set.delete(connection);
      if (set.size === 0) this.holds.delete(topic);
    }
  }
}
