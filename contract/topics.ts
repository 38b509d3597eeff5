/**
 * Where events go. A topic names an audience; the server derives which topics a pilot hears
 * (never the client), with one function for realtime subscriptions and the events feed alike.
 */
export const topics = {
  player: (userId: string) => `player:${userId}`,
  sector: (sectorId: number) => `sector:${sectorId}`,
  region: (regionId: number) => `region:${regionId}`,
  team: (teamId: number | string) => `team:${teamId}`,
  global: 'global',
  admin: 'admin',
} as const;

/** Where the realtime process keeps a chat channel's recent lines (the bus's capped lists): realtime writes, reports read. */
export function chatHistoryKey(channel: 'global' | 'sector' | 'team' | 'direct', scope?: string | number): string {
  return scope === undefined ? `chat:${channel}` : `chat:${channel}:${scope}`;
}

export interface Listener {
  userId: string;
  sectorId: number | null;
  regionId: number | null;
  teamId?: number | string | null;
  scopes?: readonly string[];
}

/** Every topic a pilot hears where it is now: its own, its sector, its region, its team, global, and admin for admins. */
export function topicsFor(listener: Listener): string[] {
  const names = [topics.player(listener.userId)];
  if (listener.sectorId !== null) names.push(topics.sector(listener.sectorId));
  if (listener.regionId !== null) names.push(topics.region(listener.regionId));
  if (listener.teamId !== null && listener.teamId !== undefined) names.push(topics.team(listener.teamId));
  names.push(topics.global);
  if (listener.scopes?.some((scope) => scope.startsWith('admin:'))) names.push(topics.admin);
  return names;
}
