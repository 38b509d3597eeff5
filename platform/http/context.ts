import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { AdminScope } from '../admin-scopes.js';
import type { Deps } from '../deps.js';
import { Problem, type FieldError } from '../errors.js';
import type { Logger } from '../logger.js';

export type { Deps };

/** The authenticated caller, as `requireUser` leaves it on the context. */
export interface AuthUser {
  id: string;
  /** The refresh-token family, or `pat:<id>` for a personal access token. */
  sessionId: string;
  /** Admin scopes for a session; the token's scopes (`game:read`, `game:play`) for a token. */
  scopes: string[];
  kind: 'session' | 'token';
  tokenId?: string;
}

/** An admin who passed `requireAdmin`: the account's name and its admin scopes as they are now. */
export interface AdminCaller {
  id: string;
  name: string;
  scopes: AdminScope[];
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    clientIp: string;
    user: AuthUser;
    /** Set by `requireAdmin`: the admin as the accounts database says now. */
    admin: AdminCaller;
    /** Set by the app-wide rate limiter, which has to know the caller before any route runs. */
    caller: { ok: true; user: AuthUser } | { ok: false; error: unknown } | undefined;
  };
}

/** One handler bundle: an API area mounted at its base path. */
export interface Bundle {
  name: string;
  basePath: string;
  create(deps: Deps): OpenAPIHono<AppEnv>;
}

/** A router for one bundle; validation failures all become the same 422 problem. */
export function bundleRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error, result.target);
    },
  });
}

export function validationProblem(error: ZodError, target: string): Problem {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ path: base ? `${base}.${key}` : key, code: 'unknown_field', message: 'is not a known field' });
      }
      continue;
    }
    errors.push({ path: base || target, code: issue.code, message: issue.message });
  }
  return new Problem('validation_failed', {
    detail: `The ${target === 'json' ? 'body' : target} has ${errors.length} problem(s); see errors.`,
    errors,
  });
}
