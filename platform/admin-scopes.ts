/**
 * The admin scopes: what an account may do in the admin API. An account holds them in
 * `users.scopes`; an access token carries them only after the account's second factor (TOTP),
 * and then lives ADMIN_ACCESS_TOKEN_TTL_SECONDS (5 minutes by default). Every admin route
 * declares the one scope it needs (handlers/admin-route.ts), which the server checks against
 * both the token and the account as it is now, so a revoked scope stops at once.
 */
export const ADMIN_SCOPES = ['admin:read', 'admin:players', 'admin:economy', 'admin:universe', 'admin:moderation', 'admin:regions', 'admin:scopes'] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

export const ADMIN_SCOPE_DESCRIPTIONS: Record<AdminScope, string> = {
  'admin:read': 'read every admin view: players, the audit log, the economy, the universe',
  'admin:players': 'suspend, ban and unban accounts, move pilots, revoke sessions and tokens, force a password reset',
  'admin:economy': 'adjust credits (through the ledger, with a reason)',
  'admin:universe': 'generate regions and edit sectors, warps, ports and planets',
  'admin:moderation': 'the report queue, chat mutes, message deletion, pilot renames',
  'admin:regions': 'the region registry and regional servers',
  'admin:scopes': 'grant and revoke scopes, and approve scope requests (only scopes the granter holds)',
};

export function isAdminScope(scope: string): scope is AdminScope {
  return (ADMIN_SCOPES as readonly string[]).includes(scope);
}

/** The admin scopes among `scopes`. */
export function adminScopesOf(scopes: readonly string[]): AdminScope[] {
  return scopes.filter(isAdminScope);
}

/** What a session is given before its second factor: the account's scopes without the admin ones. */
export function withoutAdminScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => !isAdminScope(s));
}
