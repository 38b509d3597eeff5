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
