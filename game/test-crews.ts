import type { Cargo, Crew } from './pilot.js';
import type { HullId } from './catalog/hulls.js';
import { HULLS } from './catalog/hulls.js';

let nextShipId = 1;

/** A crew for rule tests: a Light Freighter with full turns unless told otherwise. */
export function crew(o: {
  userId: string;
  name: string;
  sectorId?: number;
  credits?: number;
  hull?: HullId;
  holds?: number;
  fighters?: number;
  shields?: number;
  mines?: number;
  cargo?: Cargo;
}): Crew {
  const hull = o.hull ?? 'light_freighter';
  const shipId = nextShipId++;
  return {
    pilot: {
      userId: o.userId,
      name: o.name,
      regionId: 1,
      sectorId: o.sectorId ?? 1,
      shipId,
      credits: o.credits ?? 20_000,
      turns: 1000,
      turnsAnchorMs: Date.UTC(2026, 0, 1),
      experience: 0,
      alignment: 0,
      npc: false,
      landedPlanetId: null,
    },
    ship: {
      id: shipId,
      hull,
      holds: o.holds ?? HULLS[hull].holds,
      fighters: o.fighters ?? 30,
      shields: o.shields ?? 50,
      mines: o.mines ?? 0,
      genesisTorpedoes: 0,
      cargo: o.cargo ?? { ore: 0, organics: 0, equipment: 0, colonists: 0 },
    },
  };
}
