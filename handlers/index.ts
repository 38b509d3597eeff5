import type { Bundle } from '../platform/http/context.js';
import { adminAccessBundle } from './admin-access/index.js';
import { adminPlayersBundle } from './admin-players/index.js';
import { adminCombatBundle } from './admin-combat/index.js';
import { adminEconomyBundle } from './admin-economy/index.js';
import { adminModerationBundle } from './admin-moderation/index.js';
import { adminOpsBundle } from './admin-ops/index.js';
import { adminTeamsBundle } from './admin-teams/index.js';
import { adminUniverseBundle } from './admin-universe/index.js';
import { authBundle } from './auth/index.js';
import { combatBundle } from './combat/index.js';
import { computerBundle } from './computer/index.js';
import { defensesBundle } from './defenses/index.js';
import { eventsBundle } from './events/index.js';
import { messagesBundle, reportsBundle } from './mail/index.js';
import { navBundle } from './nav/index.js';
import { planetsBundle } from './planets/index.js';
import { playerBundle } from './player/index.js';
import { rankingsBundle } from './rankings/index.js';
import { realtimeBundle } from './realtime/index.js';
import { sectorsBundle } from './sectors/index.js';
import { shipyardBundle } from './shipyard/index.js';
import { invitationsBundle, teamsBundle } from './teams/index.js';
import { tradeBundle } from './trade/index.js';

/** Every handler bundle, by area. `api` mounts them all; `api --bundle <name>` mounts one. */
export const bundles: Bundle[] = [
  authBundle,
  playerBundle,
  sectorsBundle,
  navBundle,
  tradeBundle,
  eventsBundle,
  rankingsBundle,
  realtimeBundle,
  computerBundle,
  shipyardBundle,
  combatBundle,
  defensesBundle,
  planetsBundle,
  teamsBundle,
  invitationsBundle,
  messagesBundle,
  reportsBundle,
  adminAccessBundle,
  adminPlayersBundle,
  adminUniverseBundle,
  adminEconomyBundle,
  adminOpsBundle,
  adminModerationBundle,
  adminTeamsBundle,
  adminCombatBundle,
];

export function findBundles(names: string[] | undefined): Bundle[] {
  if (!names || names.length === 0) return bundles;
  return names.map((name) => {
    const bundle = bundles.find((b) => b.name === name);
    if (!bundle) throw new Error(`unknown bundle "${name}"; known: ${bundles.map((b) => b.name).join(', ')}`);
    return bundle;
  });
}
