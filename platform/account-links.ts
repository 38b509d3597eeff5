import { randomBytes } from 'node:crypto';
import type { AccountDb, AccountTrx } from './db/database.js';
import { hashRefreshToken } from './tokens.js';

/**
 * One-time account links: what `sectorwars admin create` prints for a new admin (enroll: set a
 * password, then TOTP) and what an admin's forced password reset answers (reset). Good once, for
 * a day; only the token's hash is stored. POST /api/v1/auth/account-link redeems one.
 */
export const ACCOUNT_LINK_TTL_MS = 24 * 3_600_000;

const LINK_PATHS = { enroll: '/admin/enroll', reset: '/reset-password' } as const;

export async function createAccountLink(
  db: AccountDb | AccountTrx,
  publicUrl: string,
  userId: string,
  purpose: 'enroll' | 'reset',
): Promise<{ token: string; url: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ACCOUNT_LINK_TTL_MS);
  // A new link replaces any the account had for the same purpose.
  await db.deleteFrom('account_links').where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
  await db
    .insertInto('account_links')
    .values({ user_id: userId, purpose, token_hash: hashRefreshToken(token), expires_at: expiresAt })
    .execute();
  return { token, url: `${publicUrl}${LINK_PATHS[purpose]}?token=${token}`, expiresAt };
}
