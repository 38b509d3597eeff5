import type { JSX } from 'solid-js';
import type { AdminMe, AdminScope, ApiClient } from '../../client/index.js';
import type { Router } from './router.js';
import { AuditView } from './views/Audit.js';
import { CombatView } from './views/Combat.js';
import { Dashboard } from './views/Dashboard.js';
import { ModerationView } from './views/Moderation.js';
import { EconomyView } from './views/Economy.js';
import { JobsView } from './views/Jobs.js';
import { LiveOpsView } from './views/LiveOps.js';
import { PlayersView } from './views/Players.js';
import { RegionsView } from './views/Regions.js';
import { ScopesView } from './views/Scopes.js';
import { TeamsView } from './views/Teams.js';
import { UniverseView } from './views/Universe.js';

export interface ViewProps {
  api: ApiClient;
  me: AdminMe;
  router: Router;
  /** the part of the route after the section's path: `/<id>` under players */
  rest: string;
}

export interface Section {
  path: string;
  label: string;
  /** the scope that shows the section; the section's actions check their own */
  scope: AdminScope;
  view(props: ViewProps): JSX.Element;
}

/**
 * The admin SPA's sections, each shown only to an admin holding its scope. A new area of the
 * admin API (universe, economy, moderation, live operations, teams, regions) adds its view here.
 */
export const SECTIONS: Section[] = [
  { path: '/', label: 'Dashboard', scope: 'admin:read', view: Dashboard },
  { path: '/players', label: 'Players', scope: 'admin:read', view: PlayersView },
  { path: '/universe', label: 'Universe', scope: 'admin:read', view: UniverseView },
  { path: '/audit', label: 'Audit log', scope: 'admin:read', view: AuditView },
  { path: '/scopes', label: 'Scopes', scope: 'admin:read', view: ScopesView },
  { path: '/moderation', label: 'Moderation', scope: 'admin:moderation', view: ModerationView },
  { path: '/teams', label: 'Teams', scope: 'admin:read', view: TeamsView },
  { path: '/combat', label: 'Combat logs', scope: 'admin:read', view: CombatView },
  { path: '/economy', label: 'Economy', scope: 'admin:economy', view: EconomyView },
  { path: '/jobs', label: 'Jobs', scope: 'admin:read', view: JobsView },
  { path: '/live', label: 'Live operations', scope: 'admin:read', view: LiveOpsView },
  { path: '/regions', label: 'Regions', scope: 'admin:read', view: RegionsView },
];

export const holds = (me: AdminMe, scope: AdminScope) => me.scopes.includes(scope);
export const sectionsFor = (me: AdminMe) => SECTIONS.filter((s) => holds(me, s.scope));

/** The section a route belongs to: the longest path that prefixes it. */
export function sectionOf(route: string): Section | undefined {
  return [...SECTIONS]
    .sort((a, b) => b.path.length - a.path.length)
    .find((s) => (s.path === '/' ? route === '/' : route === s.path || route.startsWith(`${s.path}/`)));
}
