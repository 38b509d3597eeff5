import { topics } from '../contract/topics.js';
import { BROADCAST, TEAM } from './catalog/people.js';
import { type ChangeSet, type Decision, noChanges } from './changes.js';
import type { Crew } from './pilot.js';
import { refuse, type Refusal } from './refusals.js';

/** A move of credits between a pilot and its team's treasury, named by the transfer's id on both sides. */
export interface TransferOrder {
  id: string;
  teamId: number;
  kind: 'deposit' | 'withdraw' | 'payout';
  amount: number;
}

/** What the pilot's side of a transfer came to: recorded under the transfer's id, so a retry finds the same answer. */
export interface TransferOutcome {
  applied: boolean;
  credits_after: number;
  refusal: Refusal['code'] | null;
}

const REASONS = { deposit: 'team_deposit', withdraw: 'team_withdraw', payout: 'team_payout' } as const;

/**
 * The pilot's side of a transfer. A deposit the pilot cannot pay is not a refusal here but an
 * outcome (applied: false) so that it is stored under the transfer's id like a success: whoever
 * drives the transfer again gets the same answer, and the treasury side settles to it.
 */
export function decideTransfer(crew: Crew, order: TransferOrder): Decision<TransferOutcome> {
  const { pilot } = crew;
  const delta = order.kind === 'deposit' ? -order.amount : order.amount;
  if (pilot.credits + delta < 0) {
    return { changes: noChanges(), outcome: { applied: false, credits_after: pilot.credits, refusal: 'insufficient_credits' } };
  }
  const changes: ChangeSet = noChanges();
  changes.credits.push({ userId: pilot.userId, delta, reason: REASONS[order.kind], ref: { transfer_id: order.id, team_id: order.teamId } });
  return { changes, outcome: { applied: true, credits_after: pilot.credits + delta, refusal: null } };
}

/** Whether a member may take `amount` from a treasury holding `treasury`. */
export function withdrawalRefusal(member: { leader: boolean; canWithdraw: boolean }, treasury: number, amount: number): { refused: Refusal } | null {
  if (!member.leader && !member.canWithdraw) return refuse('withdrawal_not_allowed', 'The leader has not allowed you to withdraw');
  if (amount > treasury) return refuse('treasury_insufficient', `The treasury holds ${treasury} credits`, { available: treasury, needed: amount });
  return null;
}

/** Whether a team of `members` (with `pending` accepted-but-not-counted seats) can take one more. */
export function teamFullRefusal(members: number): { refused: Refusal } | null {
  if (members >= TEAM.maxMembers) return refuse('team_full', `A team has at most ${TEAM.maxMembers} members`, { max: TEAM.maxMembers });
  return null;
}

/**
 * A treasury paid out evenly: every member the same share, the few credits that do not divide
 * going one each to the first members (in the order given), so nothing is lost or made.
 */
export function splitEvenly(total: number, members: number): number[] {
  if (members <= 0) return [];
  const share = Math.floor(total / members);
  const rest = total - share * members;
  return Array.from({ length: members }, (_, i) => share + (i < rest ? 1 : 0));
}

/** A global broadcast: its price through the ledger, and the message to everyone. */
export function decideBroadcast(crew: Crew, body: string, broadcastId: number): Decision<{ credits_after: number }> {
  const { pilot } = crew;
  if (pilot.credits < BROADCAST.cost) {
    return refuse('insufficient_credits', `A broadcast costs ${BROADCAST.cost} credits`, { available: pilot.credits, needed: BROADCAST.cost });
  }
  const changes = noChanges();
  changes.credits.push({ userId: pilot.userId, delta: -BROADCAST.cost, reason: 'broadcast', ref: { broadcast_id: broadcastId } });
  changes.events.push({ topic: topics.global, type: 'broadcast.sent', data: { from: pilot.name, body } });
  return { changes, outcome: { credits_after: pilot.credits - BROADCAST.cost } };
}
