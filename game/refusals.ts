/**
 * Why a rule says no. Every code here is in the error catalog (contract/problems.ts), which
 * gives it its HTTP status and title; a refusal adds what is particular to this occurrence.
 */
export type RefusalCode =
  | 'insufficient_turns'
  | 'insufficient_credits'
  | 'already_here'
  | 'not_adjacent'
  | 'in_transit'
  | 'one_way_warp'
  | 'no_port'
  | 'good_not_sold_here'
  | 'good_not_bought_here'
  | 'exceeds_stock'
  | 'exceeds_demand'
  | 'insufficient_holds'
  | 'insufficient_cargo'
  | 'invalid_quantity'
  | 'no_stardock'
  | 'cargo_would_not_fit'
  | 'same_hull'
  | 'exceeds_capacity'
  | 'invalid_target'
  | 'target_not_here'
  | 'fedspace'
  | 'target_indestructible'
  | 'target_protected'
  | 'insufficient_fighters'
  | 'wreck_not_found'
  | 'exceeds_wreck'
  | 'teammate'
  | 'treasury_insufficient'
  | 'withdrawal_not_allowed'
  | 'team_full'
  | 'insufficient_mines'
  | 'not_in_team'
  | 'no_defenses'
  | 'exceeds_deployed'
  | 'toll_required'
  | 'sector_not_found'
  | 'planet_not_found'
  | 'planet_in_fedspace'
  | 'sector_planets_full'
  | 'no_genesis_torpedo'
  | 'not_planet_owner'
  | 'already_landed'
  | 'not_landed'
  | 'planet_population_full'
  | 'exceeds_planet_stock'
  | 'exceeds_planet_storage'
  | 'invalid_allocation'
  | 'citadel_building'
  | 'citadel_max'
  | 'insufficient_planet_goods'
  | 'planet_unclaimable'
  | 'own_planet'
  | 'invalid_warp_edit'
  | 'warp_exists'
  | 'warp_not_found'
  | 'breaks_connectivity'
  | 'invalid_port_edit'
  | 'invalid_planet_edit'
  | 'pilots_exist';

export interface Refusal {
  code: RefusalCode;
  detail?: string;
  /** figures the client can show: `available`, `needed`, … */
  facts?: Record<string, number | string>;
}

export function refuse(code: RefusalCode, detail?: string, facts?: Record<string, number | string>): { refused: Refusal } {
  return { refused: { code, ...(detail !== undefined ? { detail } : {}), ...(facts ? { facts } : {}) } };
}
