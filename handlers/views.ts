import { scanBand } from '../game/combat.js';
import { type Allegiance, type Defense, isHostile } from '../game/defenses.js';
import { rankFor } from '../game/catalog/experience.js';
import { cargoUsed, currentTurns, type GameTime, hullOf, type Pilot, type Ship, turnRegenFor } from '../game/pilot.js';
import { msUntilNextTurn } from '../game/turns.js';

/** How the API shows a pilot (shared by every bundle that answers with one: schemas.ts PlayerView). */
export function playerView(pilot: Pilot, at: GameTime) {
  const regen = turnRegenFor(pilot, at.timeScale);
  const turns = currentTurns(pilot, at);
  const rank = rankFor(pilot.experience);
  return {
    name: pilot.name,
    credits: pilot.credits,
    turns: turns.turns,
    max_turns: regen.max,
    next_turn_in_ms: msUntilNextTurn(turns, at.nowMs, regen),
    sector_id: pilot.sectorId,
    region_id: pilot.regionId,
    experience: pilot.experience,
    alignment: pilot.alignment,
    rank: { level: rank.rank, title: rank.title },
    landed_planet_id: pilot.landedPlanetId,
  };
}

/** How the API shows a ship (schemas.ts ShipView). */
export function shipView(ship: Ship) {
  const hull = hullOf(ship);
  return {
    id: ship.id,
    hull: hull.id,
    hull_name: hull.name,
    holds: ship.holds,
    holds_free: ship.holds - cargoUsed(ship),
    cargo: { ...ship.cargo },
    fighters: ship.fighters,
    max_fighters: hull.maxFighters,
    shields: ship.shields,
    max_shields: hull.maxShields,
    max_holds: hull.maxHolds,
    mines: ship.mines,
    max_mines: hull.maxMines,
    genesis_torpedoes: ship.genesisTorpedoes,
    max_genesis_torpedoes: hull.maxGenesisTorpedoes,
    escape_pod: hull.id === 'escape_pod',
    turns_per_warp: hull.turnsPerWarp,
  };
}

/** A deployed stack as `viewer` sees it: exact when it is yours or friendly, banded otherwise. */
export function defenseView(defense: Defense, who: Allegiance) {
  const friendly = !isHostile({ ...defense, quantity: Math.max(1, defense.quantity) }, who);
  return {
    id: defense.id,
    owner: defense.ownerName,
    yours: defense.ownerUserId === who.userId,
    friendly,
    team_owned: defense.teamId !== null,
    kind: defense.kind,
    mode: defense.mode,
    toll: defense.mode === 'toll' ? defense.toll : null,
    quantity: friendly ? defense.quantity : null,
    band: scanBand(defense.quantity),
  };
}

/** The scan's summary of a sector's stacks. */
export function defensesSummary(defenses: readonly Defense[], who: Allegiance) {
  const stacks = defenses.map((d) => defenseView(d, who));
  const count = (kind: 'fighters' | 'mines') => stacks.filter((s) => s.kind === kind).reduce((sum, s) => sum + (s.quantity ?? s.band.min), 0);
  return { fighters: count('fighters'), mines: count('mines'), owners: [...new Set(stacks.map((s) => s.owner))].sort(), stacks };
}
