/**
 * The one error catalog: every `code` the API can answer with, its HTTP status and its title
 * (stable per code, as RFC 9457 asks; what differs per occurrence goes in `detail`). The server
 * builds every problem from here, the OpenAPI document lists each operation's codes from here,
 * and the typed client's `ProblemCode` is this catalog's keys.
 */
export const PROBLEMS = {
  // ---- the request itself ----
  bad_request: { status: 400, title: 'Bad request' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  unsupported_media_type: { status: 415, title: 'Request bodies must be application/json' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  validation_failed: { status: 422, title: 'The request is not valid' },
  invalid_cursor: { status: 422, title: 'The cursor is not one this server issued' },
  not_found: { status: 404, title: 'No such resource' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },

  // ---- accounts and sessions ----
  username_taken: { status: 409, title: 'That username is taken' },
  email_taken: { status: 409, title: 'That email is already registered' },
  invalid_credentials: { status: 401, title: 'Wrong username or password' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_token: { status: 401, title: 'The access token is invalid or expired' },
  session_revoked: { status: 401, title: 'This session has been logged out' },
  account_disabled: { status: 403, title: 'This account is disabled' },
  session_check_unavailable: { status: 503, title: 'Signed-in requests cannot be checked right now; try again shortly' },
  database_unavailable: { status: 503, title: 'The game’s database cannot be reached right now; try again shortly' },
  invalid_refresh_token: { status: 401, title: 'The refresh token is not valid' },
  refresh_token_expired: { status: 401, title: 'The refresh token has expired; sign in again' },
  insufficient_scope: { status: 403, title: 'The token does not have the scope this needs' },
  provider_not_configured: { status: 404, title: 'That sign-in provider is not configured on this server' },
  oauth_state_invalid: { status: 400, title: 'The sign-in is unknown, expired or already finished; start again' },
  oauth_exchange_failed: { status: 400, title: 'The provider did not confirm the sign-in' },
  oauth_id_token_invalid: { status: 400, title: 'The provider’s ID token is not valid for this sign-in' },
  oauth_pending_invalid: { status: 400, title: 'The sign-up is unknown or expired; sign in with the provider again' },
  identity_taken: { status: 409, title: 'That provider account is already linked to an account' },
  last_sign_in_method: { status: 409, title: 'That is the last way to sign in to this account' },
  token_limit_reached: { status: 409, title: 'This account has as many personal access tokens as it may' },
  refresh_token_reused: { status: 401, title: 'This refresh token was already used; the session has been revoked for safety' },

  // ---- admin identity: TOTP, scopes, account links (issue 19) ----
  second_factor_required: { status: 403, title: 'Admin routes need an account with TOTP, signed in with a code' },
  totp_required: { status: 403, title: 'This change needs a fresh TOTP code in the X-TOTP-Code header' },
  totp_invalid: { status: 403, title: 'The TOTP code is wrong, expired or already used' },
  totp_challenge_invalid: { status: 401, title: 'The sign-in challenge is unknown, expired or used up; sign in again' },
  totp_already_enrolled: { status: 409, title: 'This account already has TOTP' },
  totp_enrollment_missing: { status: 409, title: 'Start TOTP enrollment first (POST /api/v1/auth/totp/enroll)' },
  account_link_invalid: { status: 400, title: 'The link is unknown, expired or already used' },
  password_reset_required: { status: 403, title: 'An admin asked for a new password: use the reset link you were given' },
  scope_not_held: { status: 403, title: 'Nobody grants or approves a scope they do not hold' },
  self_approval: { status: 403, title: 'Nobody approves their own request' },
  request_decided: { status: 409, title: 'That request has already been decided' },

  // ---- realtime tickets and upgrades ----
  invalid_ticket: { status: 401, title: 'The ticket is unknown, expired or already used' },
  ticket_required: { status: 401, title: 'Connect with ?ticket= from POST /api/v1/realtime/ticket' },
  origin_not_allowed: { status: 403, title: 'This origin may not open realtime connections' },
  realtime_unavailable: { status: 503, title: 'Realtime is unavailable right now; try again shortly' },
  shutting_down: { status: 503, title: 'This server is shutting down; connect again' },

  // ---- actions ----
  invalid_idempotency_key: { status: 422, title: 'Idempotency-Key must be 1–255 visible ASCII characters' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used for a different request' },
  universe_missing: { status: 503, title: 'No galaxy has been generated yet' },

  // ---- the game: refusals a decision in game/ can give (see game/refusals.ts) ----
  wrong_region: { status: 409, title: 'Your pilot is in another region: send this request there (see `region`)' },
  in_transit: { status: 409, title: 'That pilot is crossing a gate between regions; try again in a moment' },
  region_unavailable: { status: 503, title: 'That region cannot be reached right now; try again shortly' },
  insufficient_turns: { status: 409, title: 'Not enough turns' },
  insufficient_credits: { status: 409, title: 'Not enough credits' },
  already_here: { status: 422, title: 'You are already in that sector' },
  not_adjacent: { status: 422, title: 'That sector is not one warp away' },
  one_way_warp: { status: 422, title: 'That warp only runs the other way' },
  no_route: { status: 404, title: 'No course through known space' },
  sector_unknown: { status: 404, title: 'You have no knowledge of that sector' },
  no_port: { status: 409, title: 'There is no port in this sector' },
  good_not_sold_here: { status: 409, title: 'This port does not sell that good' },
  good_not_bought_here: { status: 409, title: 'This port does not buy that good' },
  exceeds_stock: { status: 409, title: 'The port does not have that many units' },
  exceeds_demand: { status: 409, title: 'The port will not buy that many units' },
  insufficient_holds: { status: 409, title: 'Not enough free holds' },
  insufficient_cargo: { status: 409, title: 'You do not carry that many units' },
  invalid_quantity: { status: 422, title: 'Quantity must be a whole number of at least 1' },
  // the Stardock and combat (issue 13)
  no_stardock: { status: 409, title: 'There is no Stardock in this sector' },
  cargo_would_not_fit: { status: 409, title: 'Your cargo would not fit in that hull' },
  same_hull: { status: 409, title: 'You already fly that hull' },
  exceeds_capacity: { status: 409, title: 'Your hull cannot carry that many' },
  invalid_target: { status: 422, title: 'That is not a pilot you can attack' },
  target_not_here: { status: 409, title: 'That pilot is not in this sector' },
  fedspace: { status: 409, title: 'Combat is forbidden in FedSpace' },
  target_indestructible: { status: 409, title: 'An Escape Pod cannot be attacked' },
  target_protected: { status: 409, title: 'That pilot is under new-pilot protection' },
  insufficient_fighters: { status: 409, title: 'You do not have that many fighters aboard' },
  wreck_not_found: { status: 404, title: 'There is no such wreck in this sector' },
  exceeds_wreck: { status: 409, title: 'The wreck does not hold that many units' },
  teammate: { status: 409, title: 'That pilot is on your team' },

  // ---- people: teams, treasury, mail (issue 16) ----
  unknown_pilot: { status: 404, title: 'No pilot by that name' },
  team_name_taken: { status: 409, title: 'A team already has that name' },
  team_tag_taken: { status: 409, title: 'A team already has that tag' },
  already_in_team: { status: 409, title: 'You are already in a team' },
  pilot_in_team: { status: 409, title: 'That pilot is already in a team' },
  not_team_member: { status: 403, title: 'You are not a member of this team' },
  not_team_leader: { status: 403, title: 'Only the team leader may do that' },
  team_full: { status: 409, title: 'The team already has the most members it may have' },
  already_invited: { status: 409, title: 'That pilot already has an invitation from this team' },
  leader_must_transfer: { status: 409, title: 'Hand the leadership to another member before leaving' },
  cannot_target_self: { status: 422, title: 'You cannot do that to yourself' },
  treasury_insufficient: { status: 409, title: 'The treasury does not hold that many credits' },
  withdrawal_not_allowed: { status: 403, title: 'The leader has not allowed you to withdraw from the treasury' },
  broadcast_limited: { status: 429, title: 'You have broadcast too recently' },

  // ---- territory: deployed fighters and mines (issue 14) ----
  insufficient_mines: { status: 409, title: 'You do not have that many mines aboard' },
  not_in_team: { status: 409, title: 'You are not in a team' },
  no_defenses: { status: 409, title: 'There are no such defenses in this sector' },
  exceeds_deployed: { status: 409, title: 'You do not have that many deployed here' },
  toll_required: { status: 409, title: 'The fighters in that sector demand a toll: say whether you pay' },

  // ---- admin changes to the game (issue 19) ----
  sector_not_found: { status: 404, title: 'There is no such sector' },

  // ---- planets (issue 15) ----
  planet_not_found: { status: 404, title: 'There is no such planet in your sector' },
  planet_in_fedspace: { status: 409, title: 'Planets cannot be created in FedSpace' },
  sector_planets_full: { status: 409, title: 'This sector already has as many planets as it may' },
  no_genesis_torpedo: { status: 409, title: 'You have no genesis torpedo aboard' },
  not_planet_owner: { status: 403, title: 'That planet is not yours' },
  already_landed: { status: 409, title: 'You are already landed on that planet' },
  not_landed: { status: 409, title: 'You must be landed on the planet' },
  planet_population_full: { status: 409, title: 'The planet cannot hold that many colonists at its citadel level' },
  exceeds_planet_stock: { status: 409, title: 'The planet does not have that many' },
  exceeds_planet_storage: { status: 409, title: 'The planet cannot store that many at its citadel level' },
  invalid_allocation: { status: 422, title: 'The allocation must be whole percentages adding up to at most 100' },
  citadel_building: { status: 409, title: 'A citadel level is already being built' },
  citadel_max: { status: 409, title: 'The citadel is at its highest level' },
  insufficient_planet_goods: { status: 409, title: 'The planet does not hold the goods the citadel needs' },
  planet_unclaimable: { status: 409, title: 'That planet cannot be attacked or captured' },
  own_planet: { status: 409, title: 'That planet is already yours' },

  // ---- admin: the universe (issue 19) ----
  invalid_warp_edit: { status: 422, title: 'That is not a warp edit: name other sectors, each once' },
  warp_exists: { status: 409, title: 'That warp is there already' },
  warp_not_found: { status: 404, title: 'There is no such warp' },
  breaks_connectivity: { status: 409, title: 'The edit would leave sectors that cannot reach sector 1 or be reached from it' },
  invalid_port_edit: { status: 422, title: 'That port edit is not possible' },
  invalid_planet_edit: { status: 422, title: 'That planet edit is not possible' },
  pilots_exist: { status: 409, title: 'Pilots are playing in this universe: its galaxy is not replaced' },
  job_not_found: { status: 404, title: 'No such job' },
  generation_running: { status: 409, title: 'A galaxy is being generated already' },
  slug_taken: { status: 409, title: 'A region with that slug exists already' },
  map_too_large: { status: 409, title: 'The galaxy has too many sectors for the admin map' },

  // ---- the region manager (the `regions` role) ----
  region_not_found: { status: 404, title: 'No region with that slug in the registry' },
  region_not_managed: { status: 409, title: 'That region is run outside the region manager; change it where it runs' },
  region_busy: { status: 409, title: 'The region is being created or changed; try again when that is done' },
  regions_unconfigured: { status: 503, title: 'The region manager has no database server to create regions on (REGIONS_DATABASE_SERVER_URL)' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEMS, code);
}
