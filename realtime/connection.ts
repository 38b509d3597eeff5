import { randomBytes } from 'node:crypto';
import { topicsFor } from '../contract/topics.js';
import type { PresenceEntry } from '../platform/presence.js';
import type { TicketHolder } from '../platform/realtime-tickets.js';
import type { WebSocket } from './uws.js';

/**
 * - loading: open, reading the pilot's placement; client frames wait in `pending`;
 * - held: topics known, live frames kept in `held` until the client resumes (or the hold ends);
 * - live: subscribed to its topics in uWS;
 * - closed.
 */
export type Phase = 'loading' | 'held' | 'live' | 'closed';

/** A frame kept for a held connection, with its outbox id (null for chat) to drop what a replay sent. */
export interface HeldFrame {
  id: number | null;
  frame: string;
}

const NO_SCOPES: readonly string[] = Object.freeze([]);

/** What uWS keeps for each socket: one reference, so the per-socket cost is this object. */
export interface SocketData {
  connection: Connection;
}

/**
 * One client connection and the state its topics come from. Kept small on purpose: a realtime
 * process holds thousands of these.
 */
export class Connection {
  readonly id = randomBytes(8).toString('hex');
  readonly userId: string;
  readonly sessionId: string;
  readonly scopes: readonly string[];
  socket: WebSocket<SocketData> | undefined;
  phase: Phase = 'loading';
  /** Shown as the sender of chat lines: the pilot's name, or the username before there is a pilot. */
  name = '';
  sectorId: number | null = null;
  regionId: number | null = null;
  /** The pilot's team (accounts database), read at placement and moved by `team.joined` / `team.left` events. */
  teamId: string | null = null;
  /** A team join (its id) or leave (null) seen while the placement was loading. */
  teamMoved: string | null | undefined;
  /** A move seen while the placement was loading: newer than what the load may return. */
  movedTo: number | undefined;
  /** Frames the client sent while loading (rare: made when the first one comes). */
  pending: string[] | undefined;
  held: HeldFrame[] | undefined;
  holdTimer: NodeJS.Timeout | undefined;
  resuming = false;
  /** `after` given in the URL: the connection resumes as soon as it is placed (then cleared). */
  resumeAfter: number | undefined;
  /** Set when the server closes the connection, naming the cause for metrics and logs. */
  closeReason: string | undefined;
  lastHeardAt = Date.now();
  /** When this connection's current resume token was issued (ms): the sweep renews it at half-life. */
  resumeIssuedAt = 0;
  frameWindowStart = 0;
  frameCount = 0;

  constructor(
    holder: TicketHolder,
    /** From the bus at the upgrade: of two connections of one account, on any processes, the higher one stays. */
    readonly seq: number,
  ) {
    this.userId = holder.userId;
    this.sessionId = holder.sessionId;
    // Most accounts have no scopes: one shared empty list instead of one per socket.
    this.scopes = holder.scopes.length === 0 ? NO_SCOPES : holder.scopes;
  }

  /** Every topic this connection hears; clients cannot choose topics, the server derives them. */
  topics(): string[] {
    return topicsFor({ userId: this.userId, sectorId: this.sectorId, regionId: this.regionId, teamId: this.teamId, scopes: this.scopes });
  }

  presence(): PresenceEntry {
    return { userId: this.userId, connectionId: this.id, sectorId: this.sectorId };
  }

  get open(): boolean {
    return this.phase !== 'closed';
  }
}
