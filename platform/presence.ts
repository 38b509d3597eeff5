import type { Bus } from './bus/index.js';

/**
 * Who is online and where, kept in one place: the bus, written only by the realtime processes
 * that hold the sockets. A pilot's durable location stays in the database; presence says who is
 * connected now. Every entry carries an expiry that the owning process refreshes on its
 * heartbeat, so the entries of a process that dies vanish within PRESENCE_TTL_MS.
 *
 * - `presence:user:<userId>` → the connection that owns the entry and its sector, with a TTL;
 * - `presence:sector:<sectorId>` → a sorted set of user ids scored by when their entry expires.
 */
export const PRESENCE_TTL_MS = 60_000;

export interface PresenceEntry {
  userId: string;
  connectionId: string;
  sectorId: number | null;
}

const userKey = (userId: string) => `presence:user:${userId}`;
const sectorKey = (sectorId: number) => `presence:sector:${sectorId}`;

/** The value stored for a user: it names the connection, so only that connection may remove it. */
function userValue(entry: PresenceEntry): string {
  return JSON.stringify({ connection: entry.connectionId, sector_id: entry.sectorId });
}

/** Mark (or keep) a connection online in its sector; called on open and on every heartbeat. */
export async function markOnline(bus: Bus, entry: PresenceEntry, nowMs = Date.now()): Promise<void> {
  const writes = [bus.set(userKey(entry.userId), userValue(entry), PRESENCE_TTL_MS)];
  if (entry.sectorId !== null) writes.push(bus.sortedAdd(sectorKey(entry.sectorId), entry.userId, nowMs + PRESENCE_TTL_MS, PRESENCE_TTL_MS));
  await Promise.all(writes);
}

/** The pilot flew on: present in the new sector, gone from the old one. */
export async function markMoved(bus: Bus, entry: PresenceEntry, fromSectorId: number | null, nowMs = Date.now()): Promise<void> {
  await Promise.all([
    markOnline(bus, entry, nowMs),
    fromSectorId !== null && fromSectorId !== entry.sectorId ? bus.sortedRemove(sectorKey(fromSectorId), entry.userId) : undefined,
  ]);
}

/**
 * The connection closed. A newer connection of the same user (on any process) owns the entry by
 * then when this one was superseded, and keeps it: the user entry is removed only if it is still ours.
 */
export async function markOffline(bus: Bus, entry: PresenceEntry): Promise<void> {
  const removed = await bus.delIfEquals(userKey(entry.userId), userValue(entry));
  if (removed && entry.sectorId !== null) await bus.sortedRemove(sectorKey(entry.sectorId), entry.userId);
}

/** Users online in a sector now (at most `limit`); entries of dead processes are pruned on the way. */
export async function onlineUserIds(bus: Bus, sectorId: number, limit = 200, nowMs = Date.now()): Promise<Set<string>> {
  await bus.sortedPrune(sectorKey(sectorId), nowMs);
  return new Set(await bus.sortedRange(sectorKey(sectorId), nowMs, limit));
}

/** Which of these users are online, and in which sector (null: connected without a pilot yet). */
export async function presenceOf(bus: Bus, userIds: string[]): Promise<Map<string, { sectorId: number | null }>> {
  const values = await bus.getMany(userIds.map(userKey));
  const online = new Map<string, { sectorId: number | null }>();
  values.forEach((value, i) => {
    if (value) online.set(userIds[i]!, { sectorId: (JSON.parse(value) as { sector_id: number | null }).sector_id });
  });
  return online;
}
