import type { RealtimeMetrics } from '../platform/metrics.js';
import type { Connection } from './connection.js';
import { CLOSE, type CloseCause } from './protocol.js';
import type { TemplatedApp } from './uws.js';

/** More frames than this waiting for a held connection mean it will not catch up by itself. */
export const HOLD_LIMIT = 500;

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
    if (!this.heardOf(connection.userId, connection.seq)) {
      this.close(connection, CLOSE.superseded);
      return false;
    }
    const previous = this.byUser.get(connection.userId);
    if (previous && previous !== connection) this.close(previous, CLOSE.superseded);
    this.byUser.set(connection.userId, connection);
    return true;
  }

  /** Another process opened a connection of this user: ours goes if it is the older. */
  announced(userId: string, connectionId: string, seq: number): void {
    this.heardOf(userId, seq);
    const local = this.byUser.get(userId);
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
    this.unhold(connection, connection.topics());
    if (this.byUser.get(connection.userId) === connection) this.byUser.delete(connection.userId);
  }

  /** Publish a frame to a topic: to every live subscriber in this process, and to held connections. */
  deliver(topic: string, frame: string, id: number | null): void {
    this.app.publish(topic, frame);
    this.metrics.messagesOut.inc(this.app.numSubscribers(topic));
    const held = this.holds.get(topic);
    if (!held) return;
    for (const connection of held) {
      connection.held!.push({ id, frame });
      if (connection.held!.length > HOLD_LIMIT) this.close(connection, CLOSE.fellBehind);
    }
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
    this.addHolds(connection, connection.topics());
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
      this.unhold(connection, connection.topics());
      for (const topic of connection.topics()) socket.subscribe(topic);
    });
    this.metrics.messagesOut.inc(frames.length);
    if (!connection.open) return;
    connection.held = undefined;
    connection.phase = 'live';
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
