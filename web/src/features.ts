/**
 * Parts of the game the server has started on but players cannot use yet. While one is false the
 * client offers nothing that depends on it and says plainly that it is coming; flip it when the
 * feature lands (planets: colonists have a use; teams: the teams screen forms them).
 */
export const FEATURES = {
  /** colonists can be carried to planets and settled there */
  colonization: true,
  /** pilots can form and join teams (the Team comms channel then has listeners) */
  teams: true,
} as const;
