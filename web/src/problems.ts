import { ApiError, type ProblemCode } from '../../client/index.js';

/** What the pilot reads when the game refuses something, in the game's words. */
const MESSAGES: Partial<Record<ProblemCode, string>> = {
  network_unreachable: 'No contact with the server. Check your connection and try again.',
  rate_limited: 'Too many attempts. Wait a moment and try again.',
  internal_error: 'Something broke on the server. Try again in a moment.',
  invalid_credentials: 'Wrong pilot name or password.',
  account_disabled: 'This account has been disabled.',
  username_taken: 'That pilot name is taken.',
  email_taken: 'That email is already registered.',
  session_revoked: 'Your session ended. Sign in again.',
  insufficient_turns: 'Not enough turns left. They regenerate over time.',
  insufficient_credits: 'You cannot afford that.',
  insufficient_holds: 'Not enough free holds.',
  insufficient_cargo: 'You do not carry that much.',
  exceeds_stock: 'The port does not have that much.',
  exceeds_demand: 'The port will not buy that much.',
  no_port: 'There is no port in this sector.',
  good_not_sold_here: 'This port does not sell that.',
  good_not_bought_here: 'This port does not buy that.',
  not_adjacent: 'No warp leads there from here.',
  one_way_warp: 'That warp only runs the other way.',
  already_here: 'You are already there.',
  no_route: 'No known course leads there. Explore closer first.',
  sector_unknown: 'You have no charts of that sector.',
  no_stardock: 'The shipyard is at the Stardock. Fly there first.',
  cargo_would_not_fit: 'Your cargo would not fit in that hull. Sell some first.',
  same_hull: 'You already fly that hull.',
  exceeds_capacity: 'Your hull cannot carry that many.',
  invalid_target: 'You cannot attack that pilot.',
  target_not_here: 'That pilot is no longer in this sector.',
  fedspace: 'The Federation forbids combat in FedSpace.',
  target_indestructible: 'An Escape Pod cannot be attacked.',
  target_protected: 'That pilot is a newcomer under Federation protection.',
  insufficient_fighters: 'You do not have that many fighters aboard.',
  wreck_not_found: 'That wreck is gone.',
  exceeds_wreck: 'The wreck does not hold that much.',
  teammate: 'That pilot is on your team.',
  toll_required: 'The fighters there demand a toll: pay it or refuse.',
  no_defenses: 'There are no such defenses here.',
  exceeds_deployed: 'You do not have that many deployed here.',
  insufficient_mines: 'You do not have that many mines aboard.',
  not_in_team: 'You are not in a team.',
  unknown_pilot: 'No pilot by that name.',
  team_name_taken: 'A team already has that name.',
  team_tag_taken: 'A team already has that tag.',
  already_in_team: 'You are already in a team.',
  pilot_in_team: 'That pilot is already in a team.',
  not_team_member: 'You are not in this team.',
  not_team_leader: 'Only the team leader can do that.',
  team_full: 'The team is full.',
  already_invited: 'That pilot already has an invitation from your team.',
  leader_must_transfer: 'Hand the leadership to another member before you leave.',
  cannot_target_self: 'You cannot do that to yourself.',
  treasury_insufficient: 'The treasury does not hold that much.',
  withdrawal_not_allowed: 'The leader has not allowed you to withdraw.',
  broadcast_limited: 'You have broadcast too recently.',
  insufficient_scope: 'A personal access token cannot do that.',
  token_limit_reached: 'You have as many tokens as you may. Revoke one first.',
  provider_not_configured: 'That sign-in provider is not available on this server.',
  oauth_state_invalid: 'That sign-in expired or was already used. Start again.',
  oauth_exchange_failed: 'The provider did not confirm the sign-in. Try again.',
  oauth_id_token_invalid: 'The provider’s answer could not be trusted. Try again.',
  oauth_pending_invalid: 'That sign-up expired. Sign in with the provider again.',
  identity_taken: 'That provider account is already linked to another pilot.',
  last_sign_in_method: 'That is your last way to sign in. Set a password or link another provider first.',
};

/** A problem code alone (as a redirect carries it in `?oauth_error=`), in the game's words. */
export function describeCode(code: string): string {
  return MESSAGES[code as ProblemCode] ?? 'Something went wrong. Try again.';
}

export function describeProblem(err: unknown): string {
  if (err instanceof ApiError) {
    const known = MESSAGES[err.code];
    if (known) return err.code === 'rate_limited' && err.retryAfter ? `Too many attempts. Try again in ${err.retryAfter} s.` : known;
    return err.detail ?? err.title;
  }
  return err instanceof Error ? err.message : String(err);
}
