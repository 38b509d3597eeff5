import { ApiError } from '../../client/index.js';

/** What an admin reads when the API refuses: the catalog's codes in words, else the server's detail. */
const MESSAGES: Record<string, string> = {
  invalid_credentials: 'Wrong username or password.',
  totp_required: 'This change needs a fresh code from your authenticator app.',
  totp_invalid: 'That code is wrong, expired or already used. Wait for the next one.',
  totp_challenge_invalid: 'The sign-in took too long or had too many wrong codes. Sign in again.',
  second_factor_required: 'Sign in again with your authenticator code.',
  insufficient_scope: 'Your account does not hold the scope this needs.',
  scope_not_held: 'You can only grant, revoke or approve scopes you hold yourself.',
  self_approval: 'Nobody decides their own scope request: ask another admin.',
  cannot_target_self: 'You cannot grant scopes to yourself: file a request instead.',
  request_decided: 'That request was already decided.',
  account_link_invalid: 'This link was already used or has expired. Ask for a new one.',
  account_disabled: 'This account is disabled.',
  insufficient_credits: 'That would take the pilot below 0 credits.',
  rate_limited: 'Too many attempts. Wait a moment.',
  network_unreachable: 'The server cannot be reached. Check the connection and try again.',
  not_found: 'Not found.',
  username_taken: 'Another account has that name (names are unique whatever the case).',
  team_name_taken: 'Another team has that name.',
  team_tag_taken: 'Another team has that tag.',
};

export function describeProblem(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'validation_failed' && err.fieldErrors.length > 0) return err.fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ');
    return MESSAGES[err.code] ?? err.detail ?? err.title;
  }
  return err instanceof Error ? err.message : String(err);
}
