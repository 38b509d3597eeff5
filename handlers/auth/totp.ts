import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { sql } from 'kysely';
import type { Bus } from '../../platform/bus/index.js';
import type { User } from '../../platform/db/schema.js';
import { Problem } from '../../platform/errors.js';
import { type AppEnv, bundleRouter, type Deps } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { hashPassword } from '../../platform/passwords.js';
import { hashRefreshToken } from '../../platform/tokens.js';
import {
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpKey,
  RECOVERY_CODE_COUNT,
  spendRecoveryCode,
  spendTotpCode,
  totpEnrollment,
  totpVault,
} from '../../platform/totp.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, problemResponses } from '../openapi.js';
import { AuthResponse, TotpChallenge } from './routes.js';
import type { IssuedSession } from './sessions.js';

/** A sign-in waits this long for its TOTP code, and allows this many wrong ones. */
export const CHALLENGE = { ttlMs: 5 * 60_000, attempts: 5 } as const;
const challengeKey = (challenge: string) => `auth:totp-challenge:${hashRefreshToken(challenge)}`;

const TotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'six digits')
  .openapi({ example: '123456' });
const CodeOrRecovery = z.string().trim().min(6).max(16).openapi({ description: 'The six-digit TOTP code, or one of the recovery codes', example: '123456' });

const EnrollResponse = z
  .object({
    secret: z.string().openapi({ description: 'The key in base32, for apps that cannot scan a QR code' }),
    otpauth_url: z.string().openapi({ description: 'The otpauth:// URI to show as a QR code' }),
  })
  .openapi('TotpEnrollment');

const RecoveryCodes = z
  .object({
    recovery_codes: z.array(z.string()).openapi({ description: `${RECOVERY_CODE_COUNT} codes, each good once in place of a TOTP code; shown this once` }),
  })
  .openapi('TotpRecoveryCodes');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const session = [{ bearer: [] }];

const enrollRoute = createRoute({
  method: 'post',
  path: '/totp/enroll',
  tags: ['auth'],
  operationId: 'enrollTotp',
  summary: 'Start TOTP enrollment: a new key, not yet in force',
  description: 'TOTP is mandatory for accounts holding an admin scope. The key signs nobody in until POST /api/v1/auth/totp/verify confirms it with a code.',
  security: session,
  responses: {
    200: json(EnrollResponse, 'The key, to scan or type into an authenticator app'),
    ...problemResponses(...AUTH_PROBLEMS, 'insufficient_scope', 'totp_already_enrolled', 'rate_limited'),
  },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/totp/verify',
  tags: ['auth'],
  operationId: 'verifyTotp',
  summary: 'Confirm TOTP enrollment with a code; answers the recovery codes',
  description: 'From now on a password sign-in answers a challenge instead of tokens (POST /api/v1/auth/login/totp finishes it).',
  security: session,
  request: { body: { ...json(z.strictObject({ code: TotpCode }).openapi('TotpVerifyRequest'), 'A code from the app'), required: true } },
  responses: {
    200: json(RecoveryCodes, 'Enrolled'),
    ...problemResponses(
      ...BODY_PROBLEMS,
      ...AUTH_PROBLEMS,
      'insufficient_scope',
      'totp_invalid',
      'totp_already_enrolled',
      'totp_enrollment_missing',
      'rate_limited',
    ),
  },
});

const loginTotpRoute = createRoute({
  method: 'post',
  path: '/login/totp',
  tags: ['auth'],
  operationId: 'loginTotp',
  summary: 'Finish a sign-in with the TOTP code (or a recovery code)',
  description: `A challenge takes ${CHALLENGE.attempts} wrong codes, then it is spent; it waits ${CHALLENGE.ttlMs / 60_000} minutes. Each code is good once.`,
  request: {
    body: {
      ...json(z.strictObject({ challenge: z.string().min(1).max(64), code: CodeOrRecovery }).openapi('TotpLoginRequest'), 'The challenge and a code'),
      required: true,
    },
  },
  responses: {
    200: json(AuthResponse, 'Signed in; an admin account’s token now carries its admin scopes'),
    ...problemResponses(...BODY_PROBLEMS, 'totp_challenge_invalid', 'totp_invalid', 'account_disabled', 'session_check_unavailable', 'rate_limited'),
  },
});

const accountLinkRoute = createRoute({
  method: 'post',
  path: '/account-link',
  tags: ['auth'],
  operationId: 'redeemAccountLink',
  summary: 'Redeem a one-time account link: set the password and sign in',
  description:
    'The link is the one `sectorwars admin create` printed (enrollment) or the one an admin’s forced password reset answered. It is good once, for 24 hours. An account with TOTP answers a challenge (202) instead of tokens.',
  request: {
    body: {
      ...json(
        z
          .strictObject({
            token: z.string().min(1).max(128),
            password: z.string().min(10, 'at least 10 characters').max(256).openapi({ example: 'correct horse battery' }),
          })
          .openapi('AccountLinkRequest'),
        'The link’s token and the new password',
      ),
      required: true,
    },
  },
  responses: {
    200: json(AuthResponse, 'Password set; signed in (without admin scopes until TOTP)'),
    202: json(TotpChallenge, 'Password set; finish signing in with a TOTP code'),
    ...problemResponses(...BODY_PROBLEMS, 'account_link_invalid', 'account_disabled', 'session_check_unavailable', 'rate_limited'),
  },
});

/** A sign-in that waits for its second factor: the challenge, kept on the bus with the account it is for. */
export async function issueChallenge(bus: Bus, userId: string): Promise<z.infer<typeof TotpChallenge>> {
  const challenge = randomBytes(32).toString('base64url');
  await onBus(bus.set(challengeKey(challenge), userId, CHALLENGE.ttlMs));
  return { totp_required: true, challenge, expires_in: CHALLENGE.ttlMs / 1000 };
}

/** Challenges live on the bus only: while it is away, a TOTP sign-in waits (503), it never fails open. */
function onBus<T>(work: Promise<T>): Promise<T> {
  return work.catch(() => {
    throw new Problem('session_check_unavailable', { detail: 'Signing in with TOTP needs the bus; try again shortly', headers: { 'retry-after': '5' } });
  });
}

export interface SignInHelpers {
  signIn(c: Context<AppEnv>, user: User, options: { secondFactor: boolean }): Promise<{ session: IssuedSession; body: z.infer<typeof AuthResponse> }>;
}

export function totpRoutes(deps: Deps, helpers: SignInHelpers) {
  const { accounts: db, bus } = deps;
  const vault = totpVault(deps.config.jwt.secret);
  return bundleRouter()
    .openapi({ ...enrollRoute, middleware: [requireUser(deps)] as const }, async (c) => {
      const user = await db.selectFrom('users').select(['username', 'totp_enabled_at']).where('id', '=', c.get('user').id).executeTakeFirstOrThrow();
      if (user.totp_enabled_at) throw new Problem('totp_already_enrolled', { detail: 'Ask an admin to reset it if the app was lost' });
      const key = newTotpKey();
      await db
        .updateTable('users')
        .set({ totp_secret: vault.seal(c.get('user').id, key), totp_last_step: null })
        .where('id', '=', c.get('user').id)
        .execute();
      c.header('cache-control', 'no-store');
      return c.json(totpEnrollment(key, user.username), 200);
    })
    .openapi({ ...verifyRoute, middleware: [requireUser(deps)] as const }, async (c) => {
      const userId = c.get('user').id;
      const { code } = c.req.valid('json');
      const current = await db.selectFrom('users').select('totp_enabled_at').where('id', '=', userId).executeTakeFirstOrThrow();
      if (current.totp_enabled_at) throw new Problem('totp_already_enrolled');
      const check = await spendTotpCode(db, vault, userId, code, { pending: true });
      if (check === 'not_enrolled') throw new Problem('totp_enrollment_missing');
      if (check !== 'ok') throw new Problem('totp_invalid');
      const { codes, hashes } = newRecoveryCodes();
      const enrolled = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('users')
          .set({ totp_enabled_at: sql`now()` })
          .where('id', '=', userId)
          .where('totp_enabled_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!row) return false;
        await trx.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
        await trx
          .insertInto('totp_recovery_codes')
          .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
          .execute();
        return true;
      });
      if (!enrolled) throw new Problem('totp_already_enrolled');
      c.get('log').info({ user_id: userId }, 'totp enrolled');
      c.header('cache-control', 'no-store');
      return c.json({ recovery_codes: codes }, 200);
    })
    .openapi(loginTotpRoute, async (c) => {
      const { challenge, code } = c.req.valid('json');
      const key = challengeKey(challenge);
      const userId = await onBus(bus.get(key));
      if (!userId) throw new Problem('totp_challenge_invalid');
      const isTotp = /^\d{6}$/.test(code);
      const ok = isTotp ? (await spendTotpCode(db, vault, userId, code)) === 'ok' : looksLikeRecoveryCode(code) && (await spendRecoveryCode(db, userId, code));
      if (!ok) {
        // Wrong codes spend the challenge's attempts; past them, the password has to be given again.
        if ((await onBus(bus.increment(`${key}:wrong`, CHALLENGE.ttlMs))) >= CHALLENGE.attempts) await onBus(bus.del(key));
        throw new Problem('totp_invalid');
      }
      // Taken once: of two requests racing with good codes, one signs in.
      if ((await onBus(bus.take(key))) !== userId) throw new Problem('totp_challenge_invalid');
      const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
      if (user.status !== 'active') throw new Problem('account_disabled');
      if (!isTotp) c.get('log').warn({ user_id: userId }, 'signed in with a recovery code');
      const { body } = await helpers.signIn(c, user, { secondFactor: true });
      return c.json(body, 200);
    })
    .openapi(accountLinkRoute, async (c) => {
      const { token, password } = c.req.valid('json');
      const passwordHash = await hashPassword(password);
      const user = await db.transaction().execute(async (trx) => {
        const link = await trx
          .updateTable('account_links')
          .set({ used_at: sql`now()` })
          .where('token_hash', '=', hashRefreshToken(token))
          .where('used_at', 'is', null)
          .where('expires_at', '>', sql<Date>`now()`)
          .returning(['user_id', 'purpose'])
          .executeTakeFirst();
        if (!link) throw new Problem('account_link_invalid');
        return trx
          .updateTable('users')
          .set({ password_hash: passwordHash, password_reset_required: false })
          .where('id', '=', link.user_id)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      if (user.status !== 'active') throw new Problem('account_disabled');
      c.get('log').info({ user_id: user.id }, 'account link redeemed');
      c.header('cache-control', 'no-store');
      if (user.totp_enabled_at) return c.json(await issueChallenge(bus, user.id), 202);
      const { body } = await helpers.signIn(c, user, { secondFactor: false });
      return c.json(body, 200);
    });
}
