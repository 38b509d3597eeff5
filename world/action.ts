import type { ChangeSet, Decision } from '../game/changes.js';
import type { Refusal, RefusalCode } from '../game/refusals.js';
import { PROBLEMS } from '../contract/problems.js';
import type { AuditEntry } from '../platform/audit.js';
import type { RegionDb, RegionTrx } from '../platform/db/database.js';
import { Problem } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { OutboxPublisher } from '../platform/outbox.js';
import { applyChanges } from './applier.js';
import { stageAudit } from './audit-outbox.js';

// Every refusal a rule can give is in the error catalog, with its status and title.
const _refusalsAreProblems: Record<RefusalCode, unknown> = PROBLEMS;
void _refusalsAreProblems;

/** What the action core needs of a process: the region database and where events go. */
export interface World {
  region: RegionDb;
  outbox: OutboxPublisher;
  logger: Logger;
}

/**
 * One game action: the one locked read, the pure decision, and the answer built from them. The
 * core runs it for any caller (a player over HTTP, an NPC in a job, an admin tool, a transfer).
 */
export interface ActionPlan<Scene, Outcome> {
  /** read and lock what the decision needs, in the fixed order (pilots by id, then ships, ports…) */
  read(trx: RegionTrx): Promise<Scene>;
  decide(scene: Scene): Decision<Outcome>;
  /** what the caller is told, from the scene before, the outcome and the changes */
  respond(scene: Scene, outcome: Outcome, changes: ChangeSet): { status: 200 | 201 | 202; body: unknown };
  /** an admin change's audit row, staged in the same transaction (world/audit-outbox.ts) */
  audit?(scene: Scene, outcome: Outcome): AuditEntry;
}

/** An Idempotency-Key as the core sees it: whose, which, and what request it was first sent with. */
export interface ActionKey {
  userId: string;
  key: string;
  requestHash: string;
}

export interface ActionResult {
  status: number;
  /** the response exactly as first sent: a replay answers the same bytes */
  text: string;
  replayed: boolean;
  /** the audit-outbox row the plan's `audit` staged, to move after commit */
  auditId?: string;
}

export type Transact = <T>(work: (trx: RegionTrx) => Promise<T>) => Promise<T>;

class KeyAlreadyUsed extends Error {}

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
  }
}

export function refusalProblem(refusal: Refusal): Problem {
  return new Problem(refusal.code, { ...(refusal.detail !== undefined ? { detail: refusal.detail } : {}), ...refusal.facts });
}

/**
 * Run an action in one transaction: read, decide, and write the change set, its ledger rows,
 * its outbox events and (with a key) its response in one statement; publish the events after
 * commit. A refusal changes nothing and is thrown as its Problem.
 *
 * With a key, the response is claimed at commit: a retry of an action that committed finds the
 * key taken, rolls back whatever it did and replays the stored answer (a retry that the state
 * now refuses replays it too); the same key with another request is 422. Nothing is held
 * between attempts, so a crash leaves no key stuck.
 */
export async function runAction<Scene, Outcome>(
  world: World,
  plan: ActionPlan<Scene, Outcome>,
  options: { key?: ActionKey; transact?: Transact } = {},
): Promise<ActionResult> {
  const { key } = options;
  const transact: Transact = options.transact ?? ((work) => world.region.transaction().execute(work));
  let committed: { status: number; text: string; envelopes: Awaited<ReturnType<typeof applyChanges>>['envelopes']; auditId?: string };
  for (let attempt = 1; ; attempt++) {
    try {
      committed = await transact(async (trx) => {
        const scene = await plan.read(trx);
        const decision = plan.decide(scene);
        if ('refused' in decision) throw new Refused(decision.refused);
        const { status, body } = plan.respond(scene, decision.outcome, decision.changes);
        const text = JSON.stringify(body);
        const applied = await applyChanges(trx, decision.changes, key ? { ...key, status, text } : undefined);
        if (!applied.claimed) throw new KeyAlreadyUsed();
        const auditId = plan.audit ? await stageAudit(trx, plan.audit(scene, decision.outcome)) : undefined;
        return { status, text, envelopes: applied.envelopes, ...(auditId ? { auditId } : {}) };
      });
      break;
    } catch (err) {
      if (isDeadlock(err) && attempt < DEADLOCK_ATTEMPTS) continue;
      if (key && (err instanceof KeyAlreadyUsed || err instanceof Refused)) {
        const stored = await storedResponse(world.region, key);
        if (stored) return stored;
      }
      if (err instanceof Refused) throw refusalProblem(err.refusal);
      throw err;
    }
  }
  await world.outbox.publish(committed.envelopes);
  return { status: committed.status, text: committed.text, replayed: false, ...(committed.auditId ? { auditId: committed.auditId } : {}) };
}

/**
 * Reads lock their rows in id order, so two actions cannot wait on each other, except when a
 * change set writes a row its read did not lock: a toll owed to the owner of a stack deployed
 * after the move looked its owners up. PostgreSQL then aborts one of the two (deadlock_detected);
 * nothing of it was written, so it runs again, reading the world as it now is.
 */
const DEADLOCK_ATTEMPTS = 3;

function isDeadlock(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '40P01';
}

/** The answer stored under a key, if an earlier request committed one. */
async function storedResponse(db: RegionDb, key: ActionKey): Promise<ActionResult | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response_status', 'response_text'])
    .where('user_id', '=', key.userId)
    .where('key', '=', key.key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== key.requestHash) throw new Problem('idempotency_key_reused');
  return { status: row.response_status, text: row.response_text, replayed: true };
}
