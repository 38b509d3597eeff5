import { rankFor } from '../../game/catalog/experience.js';
import { msUntilNextTurn } from '../../game/turns.js';
import type { Player, Ship } from '../../platform/db/schema.js';
import { cargoUsed, currentTurns, hullOf, turnRegen } from './pilot.js';

export function playerView(player: Player, nowMs: number, timeScale: number) {
  const regen = turnRegen(player.experience, timeScale);
  const turns = currentTurns(player, nowMs, timeScale);
  const rank = rankFor(player.experience);
  return {
    name: player.name,
    credits: player.credits,
    turns: turns.turns,
    max_turns: regen.max,
    next_turn_in_ms: msUntilNextTurn(turns, nowMs, regen),
    sector_id: player.sector_id,
    region_id: player.region_id,
    experience: player.experience,
    alignment: player.alignment,
    rank: { level: rank.rank, title: rank.title },
  };
}

export function shipView(ship: Ship) {
  const hull = hullOf(ship);
  return {
    id: ship.id,
    hull: hull.id,
    hull_name: hull.name,
    holds: ship.holds,
    holds_free: ship.holds - cargoUsed(ship),
    cargo: { ore: ship.cargo_ore, organics: ship.cargo_organics, equipment: ship.cargo_equipment, colonists: ship.cargo_colonists },
    fighters: ship.fighters,
    max_fighters: hull.maxFighters,
    shields: ship.shields,
    max_shields: hull.maxShields,
    turns_per_warp: hull.turnsPerWarp,
  };
}
