import { createRoute, z } from '@hono/zod-openapi';
import { AUTH_PROBLEMS, BODY_PROBLEMS, problemResponses } from '../openapi.js';

export const Username = z
  .string()
  .regex(/^[A-Za-z0-9_]{3,24}$/, '3–24 letters, digits or underscores')
  .openapi({ example: 'han_solo' });
const Password = z.string().min(10, 'at least 10 characters').max(256, 'at most 256 characters').openapi({ example: 'correct horse battery' });

export const RegisterBody = z
  .strictObject({
    username: Username,
    email: z.email('must be an email address').max(254),
    password: Password,
  })
  .openapi('RegisterRequest');

export const LoginBody = z
  .strictObject({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .openapi('LoginRequest');

export const RefreshBody = z.strictObject({ refresh_token: z.string().min(1).max(256).optional() }).openapi('RefreshRequest');

export const UserView = z
  .object({
    id: z.uuid(),
    username: z.string(),
    email: z.string(),
    scopes: z.array(z.string()).openapi({ description: 'Admin scopes; empty for players' }),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('User');

export const AuthResponse = z
  .object({
    access_token: z.string().openapi({ description: 'JWT, sent as `Authorization: Bearer …`' }),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().openapi({ description: 'Seconds until the access token expires' }),
    refresh_token: z.string().openapi({
      description: 'Opaque, single use: exchange it at /refresh. Browsers also get it as an httpOnly cookie.',
    }),
    user: UserView,
  })
  .openapi('AuthResponse');

export const TotpChallenge = z
  .object({
    totp_required: z.literal(true),
    challenge: z.string().openapi({ description: 'Send it with a code to POST /api/v1/auth/login/totp' }),
    expires_in: z.number().int().openapi({ description: 'Seconds the challenge waits for its code' }),
  })
  .openapi('TotpChallenge');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const registerRoute = createRoute({
  method: 'post',
  path: '/register',
  tags: ['auth'],
  summary: 'Create an account and sign in',
  request: { body: { ...json(RegisterBody, 'The new account'), required: true } },
  responses: {
    201: json(AuthResponse, 'Registered and signed in'),
    ...problemResponses(...BODY_PROBLEMS, 'username_taken', 'email_taken', 'rate_limited'),
  },
});

export const loginRoute = createRoute({
  method: 'post',
  path: '/login',
  tags: ['auth'],
  summary: 'Sign in with username and password',
  description:
    'An account with TOTP gets a challenge (202) instead of tokens: POST /api/v1/auth/login/totp finishes the sign-in. Without the second factor, no access token carries an admin scope.',
  request: { body: { ...json(LoginBody, 'Credentials'), required: true } },
  responses: {
    200: json(AuthResponse, 'Signed in'),
    202: json(TotpChallenge, 'The password is right; the account has TOTP: send a code with the challenge'),
    ...problemResponses(...BODY_PROBLEMS, 'invalid_credentials', 'account_disabled', 'password_reset_required', 'session_check_unavailable', 'rate_limited'),
  },
});

export const refreshRoute = createRoute({
  method: 'post',
  path: '/refresh',
  tags: ['auth'],
  summary: 'Exchange a refresh token (body or cookie) for a new token pair',
  description:
    'The presented refresh token stops working. Within a short overlap after its exchange (REFRESH_REUSE_GRACE_SECONDS, 10 s by default: two tabs refreshing at once) it gets the same new refresh token again; presented later, it revokes every token of its session.',
  request: { body: { ...json(RefreshBody, 'The refresh token, unless sent as the cookie'), required: false } },
  responses: {
    200: json(AuthResponse, 'A new token pair'),
    ...problemResponses(...BODY_PROBLEMS, 'invalid_refresh_token', 'refresh_token_expired', 'refresh_token_reused', 'invalid_token', 'account_disabled'),
  },
});

export const logoutRoute = createRoute({
  method: 'post',
  path: '/logout',
  tags: ['auth'],
  summary: 'End the current session (bearer token, or refresh token in body or cookie)',
  request: { body: { ...json(RefreshBody, 'The refresh token, when no bearer token is sent'), required: false } },
  responses: {
    204: { description: 'Signed out' },
    ...problemResponses(...BODY_PROBLEMS, 'unauthenticated', 'invalid_token', 'invalid_refresh_token'),
  },
});

export const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'The signed-in account',
  security: [{ bearer: [] }],
  responses: {
    200: json(UserView, 'The account'),
    ...problemResponses(...AUTH_PROBLEMS),
  },
});
