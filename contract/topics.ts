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

/** Events about accounts rather than the universe (written by world/notify.ts): mail, teams, broadcasts. */
const ACCOUNT_EVENT = /^(mail|team|broadcast)\./;
/** Notices to an owner who need not be anywhere near: its planet attacked, its defenses fired. */
const OWNER_NOTICES = new Set(['planet.attacked', 'defenses.fired']);

/**
 * Whether an event's audience reaches past its region, so it travels on the nexus bus in
 * multi-regional mode: everyone (`global`), a team, the admins, and account events and owner
 * notices for one pilot (who may be in any region). Sector and region events, and a pilot's own
 * game events (it is in the region that wrote them), stay on the region's bus.
 */
export function crossesRegions(event: { topic: string; type: string }): boolean {
  if (event.topic === topics.global || event.topic === topics.admin || event.topic.startsWith('team:')) return true;
  return event.topic.startsWith('player:') && (ACCOUNT_EVENT.test(event.type) || OWNER_NOTICES.has(event.type));
}

/**
 * Whether a chat channel is heard past its region, so its lines and history live on the nexus
 * bus: global, team and direct do; a sector's chat stays on its region's bus.
 */
export function chatCrossesRegions(channel: 'global' | 'sector' | 'team' | 'direct'): boolean {
  return channel !== 'sector';
}

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
