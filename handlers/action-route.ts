import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { Problem } from '../platform/errors.js';
import type { AppEnv, Deps } from '../platform/http/context.js';
import { type ActionKey, type ActionPlan, runAction } from '../world/action.js';
import { withPilot } from '../world/pilots.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * A game action over HTTP: the thin wrapper around the action core that reads the caller's
 * Idempotency-Key (what makes two requests "the same": method, path and exact body), runs the
 * plan (creating the pilot on an account's first action), and answers with the response text
 * exactly as the core stored it.
 */
export async function answerAction<Scene, Outcome>(c: Context<AppEnv>, deps: Deps, plan: ActionPlan<Scene, Outcome>): Promise<Response> {
  const userId = c.get('user').id;
  const key = await actionKey(c);
  const result = await withPilot(deps, userId, () => runAction(deps, plan, { ...(key ? { key } : {}) }));
  return new Response(result.text, {
    status: result.status,
    headers: { 'content-type': 'application/json', ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}) },
  });
}

/** The request's Idempotency-Key as the action core takes it (what makes two requests the same: method, path, exact body). */
export async function actionKey(c: Context<AppEnv>): Promise<ActionKey | undefined> {
  const header = c.req.header('idempotency-key');
  if (header === undefined) return undefined;
  if (!KEY_PATTERN.test(header)) throw new Problem('invalid_idempotency_key');
  // Mutations carry bodies, which jsonBodies has already read into Hono's body cache.
  return { userId: c.get('user').id, key: header, requestHash: idempotencyHash(c.req.method, c.req.path, await c.req.text()) };
}

export function idempotencyHash(method: string, path: string, body: string): string {
  return createHash('sha256').update(`${method} ${path}\n${body}`).digest('hex');
}
