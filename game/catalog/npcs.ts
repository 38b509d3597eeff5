import type { HullId } from './hulls.js';

/** Pirates (GAME.md "NPCs"): roam the frontier, raid weak traders, flee stronger ships. */
export const PIRATE = {
  hullId: 'defender' as HullId,
  fighters: 150,
  shields: 100,
  /** a trader is weak with cargo aboard and fewer fighters than this share of the pirate's */
  weakShare: 0.5,
  /** a pilot in the sector with more fighters than the pirate makes it flee */
  fleeShare: 1,
  /** the fighters a pirate commits to a raid: this share of its own */
  commitShare: 0.8,
  /** credits paid to whoever destroys a pirate */
  bounty: 5_000,
  /** a destroyed pirate comes back after this much game time */
  respawnGameMs: 6 * 3_600_000,
  /** pirates are outlaws from the start: destroying one is a good deed (it raises alignment) */
  alignment: -100,
} as const;

/** Federation police (GAME.md "NPCs"): pilots who attacked good pilots are fined in FedSpace. */
export const POLICE = {
  /** a pilot whose alignment is below this is wanted */
  alignmentBelow: -20,
  /** the fine per point of alignment below zero, capped, and never more than the pilot holds */
  finePerPoint: 100,
  maxFine: 50_000,
} as const;
