import { sql } from 'kysely';
import type { DomainEvent } from '../contract/events.js';
import { topics } from '../contract/topics.js';
import { decideTransfer, splitEvenly, teamFullRefusal, type TransferOrder, type TransferOutcome, withdrawalRefusal } from '../game/team.js';
import type { AccountDb, AccountTrx, RegionDb } from '../platform/db/database.js';
import { type Config, isMultiRegional } from '../platform/config.js';
import type { TransferKind } from '../platform/db/schema.js';
import { Problem } from '../platform/errors.js';
import { refusalProblem, runAction, type World } from './action.js';
import { notify } from './notify.js';
import { crewsOf, present, withPilot } from './pilots.js';
import { currentStandings, mergedStandingsOf } from './rankings.js';

/**
 * Teams live with the accounts (GAME.md, People): membership, invitations and the treasury are
 * account-side rows; a pilot's credits are region-side. What other areas need (the teammate
 * check of combat and defenses, the shared known-sector map) is here: `teamOf`, `teammateIds`.
 */

/** Everything the people areas need: the region world (for credits and events) and the accounts database. */
export interface PeopleWorld extends World {
  accounts: AccountDb;
}

/** The team of each of these accounts (absent: in none). One account-side read. */
export async function teamOf(accounts: AccountDb, userIds: readonly string[]): Promise<Map<string, number>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await accounts.selectFrom('team_members').select(['user_id', 'team_id']).where('user_id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.user_id, row.team_id]));
}

/** Whether two accounts are in the same team (the friend-or-foe check of combat and defenses). */
export async function areTeammates(accounts: AccountDb, a: string, b: string): Promise<boolean> {
  if (a === b) return false;
  const teams = await teamOf(accounts, [a, b]);
  return teams.has(a) && teams.get(a) === teams.get(b);
}

/** The account and its teammates (itself first): whose known space it shares. */
export async function teammateIds(accounts: AccountDb, userId: string): Promise<string[]> {
  const rows = await accounts
    .selectFrom('team_members as me')
    .innerJoin('team_members as mate', 'mate.team_id', 'me.team_id')
    .select('mate.user_id')
    .where('me.user_id', '=', userId)
    .where('mate.user_id', '!=', userId)
    .orderBy('mate.user_id')
    .execute();
  return [userId, ...rows.map((row) => row.user_id)];
}

/** Accounts by pilot name (case-insensitive); unknown names are absent. */
export async function usersByName(accounts: AccountDb, names: readonly string[]): Promise<Map<string, { id: string; username: string }>> {
  if (names.length === 0) return new Map();
  const rows = await accounts
    .selectFrom('users')
    .select(['id', 'username'])
    .where(
      sql<string>`lower(username)`,
      'in',
      names.map((n) => n.toLowerCase()),
    )
    .where('status', '=', 'active')
    .execute();
  return new Map(rows.map((row) => [row.username.toLowerCase(), row]));
}

export async function userByName(accounts: AccountDb, name: string): Promise<{ id: string; username: string }> {
  const user = (await usersByName(accounts, [name])).get(name.toLowerCase());
  if (!user) throw new Problem('unknown_pilot', { detail: `No pilot is called ${name}` });
  return user;
}

async function usernames(accounts: AccountDb | AccountTrx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await accounts
    .selectFrom('users')
    .select(['id', 'username'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, row.username]));
}

// ---- teams ------------------------------------------------------------------------------------

export interface TeamRow {
  id: number;
  name: string;
  tag: string;
  leader_id: string | null;
  treasury: number;
  created_at: Date;
  disbanded_at: Date | null;
}

/** A live team, locked for the rest of the transaction when `lock`; not_found otherwise. */
async function liveTeam(trx: AccountTrx | AccountDb, teamId: number, lock: boolean): Promise<TeamRow> {
  let query = trx.selectFrom('teams').selectAll().where('id', '=', teamId).where('disbanded_at', 'is', null);
  if (lock) query = query.forUpdate();
  const team = await query.executeTakeFirst();
  if (!team) throw new Problem('not_found', { detail: `No team ${teamId}` });
  return { ...team, treasury: Number(team.treasury) };
}

async function membership(trx: AccountTrx | AccountDb, userId: string) {
  return trx.selectFrom('team_members').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

async function memberOf(trx: AccountTrx | AccountDb, team: TeamRow, userId: string) {
  const member = await membership(trx, userId);
  if (!member || member.team_id !== team.id) throw new Problem('not_team_member');
  return { ...member, leader: team.leader_id === userId };
}

function requireLeader(team: TeamRow, userId: string): void {
  if (team.leader_id !== userId) throw new Problem('not_team_leader');
}

const memberCount = async (trx: AccountTrx, teamId: number) =>
  Number(
    (
      await trx
        .selectFrom('team_members')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('team_id', '=', teamId)
        .executeTakeFirstOrThrow()
    ).n,
  );

function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return undefined;
  return e.constraint ?? e.message ?? '';
}

/** Found a team: its creator leads it. */
export async function createTeam(world: PeopleWorld, userId: string, name: string, tag: string): Promise<number> {
  let team: { id: number; name: string; tag: string };
  try {
    team = await world.accounts.transaction().execute(async (trx) => {
      if (await membership(trx, userId)) throw new Problem('already_in_team');
      const created = await trx.insertInto('teams').values({ name, tag, leader_id: userId }).returning(['id', 'name', 'tag']).executeTakeFirstOrThrow();
      await trx.insertInto('team_members').values({ user_id: userId, team_id: created.id, can_withdraw: true }).execute();
      return created;
    });
  } catch (err) {
    const constraint = uniqueViolation(err);
    if (constraint?.includes('teams_name')) throw new Problem('team_name_taken');
    if (constraint?.includes('teams_tag')) throw new Problem('team_tag_taken');
    if (constraint?.includes('team_members')) throw new Problem('already_in_team');
    throw err;
  }
  await notify(world, [{ topic: topics.player(userId), type: 'team.joined', data: { team_id: team.id, name: team.name, tag: team.tag } }]);
  return team.id;
}

export interface TeamView {
  id: number;
  name: string;
  tag: string;
  leader: string | null;
  treasury: number;
  created_at: string;
  members: Array<{ pilot: string; leader: boolean; can_withdraw: boolean; joined_at: string }>;
}

/** A team as anyone sees it; members also see its treasury history and pending invitations elsewhere. */
export async function teamView(accounts: AccountDb, teamId: number): Promise<TeamView> {
  const team = await liveTeam(accounts, teamId, false);
  const members = await accounts.selectFrom('team_members').selectAll().where('team_id', '=', teamId).orderBy('joined_at').orderBy('user_id').execute();
  const names = await usernames(accounts, [...members.map((m) => m.user_id), ...(team.leader_id ? [team.leader_id] : [])]);
  return {
    id: team.id,
    name: team.name,
    tag: team.tag,
    leader: team.leader_id ? (names.get(team.leader_id) ?? null) : null,
    treasury: team.treasury,
    created_at: new Date(team.created_at).toISOString(),
    members: members.map((m) => ({
      pilot: names.get(m.user_id) ?? '?',
      leader: m.user_id === team.leader_id,
      can_withdraw: m.user_id === team.leader_id || m.can_withdraw,
      joined_at: new Date(m.joined_at).toISOString(),
    })),
  };
}

/** Live teams whose name or tag contains `query`, by name. */
export async function searchTeams(accounts: AccountDb, query: string | undefined, limit: number) {
  let q = accounts
    .selectFrom('teams')
    .leftJoin('team_members', 'team_members.team_id', 'teams.id')
    .select((eb) => ['teams.id', 'teams.name', 'teams.tag', eb.fn.count<number>('team_members.user_id').as('members')])
    .where('teams.disbanded_at', 'is', null)
    .groupBy(['teams.id', 'teams.name', 'teams.tag'])
    .orderBy('teams.name')
    .limit(limit);
  if (query) {
    const like = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(sql`lower(teams.name)`, 'like', like), eb(sql`lower(teams.tag)`, 'like', like)]));
  }
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, name: r.name, tag: r.tag, members: Number(r.members) }));
}

/** The team an account is in, if any. */
export async function myTeamId(accounts: AccountDb, userId: string): Promise<number | null> {
  return (await membership(accounts, userId))?.team_id ?? null;
}

// ---- invitations ------------------------------------------------------------------------------

export async function invite(world: PeopleWorld, userId: string, teamId: number, pilot: string): Promise<number> {
  const invitee = await userByName(world.accounts, pilot);
  if (invitee.id === userId) throw new Problem('cannot_target_self');
  const invited = await world.accounts.transaction().execute(async (trx) => {
    const team = await liveTeam(trx, teamId, true);
    await memberOf(trx, team, userId);
    requireLeader(team, userId);
    if (await membership(trx, invitee.id)) throw new Problem('pilot_in_team', { detail: `${invitee.username} is already in a team` });
    const full = teamFullRefusal(await memberCount(trx, teamId));
    if (full) throw refusalProblem(full.refused);
    const pending = await trx
      .selectFrom('team_invitations')
      .select('id')
      .where('team_id', '=', teamId)
      .where('user_id', '=', invitee.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (pending) throw new Problem('already_invited');
    const row = await trx
      .insertInto('team_invitations')
      .values({ team_id: teamId, user_id: invitee.id, invited_by: userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const from = (await usernames(trx, [userId])).get(userId) ?? '?';
    return { id: row.id, team, from };
  });
  await notify(world, [
    {
      topic: topics.player(invitee.id),
      type: 'team.invited',
      data: { invitation_id: invited.id, team_id: teamId, name: invited.team.name, tag: invited.team.tag, from: invited.from },
    },
  ]);
  return invited.id;
}

export async function invitationsFor(accounts: AccountDb, userId: string) {
  const rows = await accounts
    .selectFrom('team_invitations')
    .innerJoin('teams', 'teams.id', 'team_invitations.team_id')
    .innerJoin('users', 'users.id', 'team_invitations.invited_by')
    .select(['team_invitations.id', 'team_invitations.team_id', 'teams.name', 'teams.tag', 'users.username as from', 'team_invitations.created_at'])
    .where('team_invitations.user_id', '=', userId)
    .where('team_invitations.status', '=', 'pending')
    .where('teams.disbanded_at', 'is', null)
    .orderBy('team_invitations.id')
    .execute();
  return rows.map((r) => ({ id: r.id, team_id: r.team_id, name: r.name, tag: r.tag, from: r.from, created_at: new Date(r.created_at).toISOString() }));
}

/** The leader's view of the invitations its team has out. */
export async function invitationsOf(accounts: AccountDb, teamId: number) {
  const rows = await accounts
    .selectFrom('team_invitations')
    .innerJoin('users', 'users.id', 'team_invitations.user_id')
    .select(['team_invitations.id', 'users.username as pilot', 'team_invitations.created_at'])
    .where('team_invitations.team_id', '=', teamId)
    .where('team_invitations.status', '=', 'pending')
    .orderBy('team_invitations.id')
    .execute();
  return rows.map((r) => ({ id: r.id, pilot: r.pilot, created_at: new Date(r.created_at).toISOString() }));
}

export async function answerInvitation(world: PeopleWorld, userId: string, invitationId: number, accept: boolean): Promise<number> {
  let joined: { team: TeamRow; name: string } | undefined;
  try {
    joined = await world.accounts.transaction().execute(async (trx) => {
      const invitation = await trx
        .selectFrom('team_invitations')
        .selectAll()
        .where('id', '=', invitationId)
        .where('user_id', '=', userId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (!invitation) throw new Problem('not_found', { detail: 'No such pending invitation' });
      if (!accept) {
        await trx.updateTable('team_invitations').set({ status: 'declined' }).where('id', '=', invitationId).execute();
        return undefined;
      }
      // The team row is the lock every membership change of this team takes: no two accepts can both fill the 6th seat.
      const team = await liveTeam(trx, invitation.team_id, true);
      if (await membership(trx, userId)) throw new Problem('already_in_team');
      const full = teamFullRefusal(await memberCount(trx, team.id));
      if (full) throw refusalProblem(full.refused);
      await trx.insertInto('team_members').values({ user_id: userId, team_id: team.id }).execute();
      await trx.updateTable('team_invitations').set({ status: 'accepted' }).where('id', '=', invitationId).execute();
      // Other teams' invitations to this pilot lapse: it can be in one team only.
      await trx.updateTable('team_invitations').set({ status: 'cancelled' }).where('user_id', '=', userId).where('status', '=', 'pending').execute();
      const name = (await usernames(trx, [userId])).get(userId) ?? '?';
      return { team, name };
    });
  } catch (err) {
    if (uniqueViolation(err)) throw new Problem('already_in_team');
    throw err;
  }
  if (!joined) return invitationId;
  const { team, name } = joined;
  await notify(world, [
    { topic: topics.player(userId), type: 'team.joined', data: { team_id: team.id, name: team.name, tag: team.tag } },
    { topic: topics.team(team.id), type: 'team.changed', data: { team_id: team.id, change: 'joined', pilot: name } },
  ]);
  return team.id;
}

// ---- leaving, kicking, leading ----------------------------------------------------------------

/** Leave a team. The leader hands over first while others remain; a last member leaving disbands it. */
export async function leaveTeam(world: PeopleWorld, userId: string, teamId: number): Promise<{ disbanded: boolean }> {
  const left = await world.accounts.transaction().execute(async (trx) => {
    const team = await liveTeam(trx, teamId, true);
    const member = await memberOf(trx, team, userId);
    const count = await memberCount(trx, teamId);
    if (member.leader && count > 1) throw new Problem('leader_must_transfer');
    if (count === 1) return { disband: true as const };
    await trx.deleteFrom('team_members').where('user_id', '=', userId).execute();
    return { disband: false as const, name: (await usernames(trx, [userId])).get(userId) ?? '?' };
  });
  if (left.disband) {
    await disbandTeam(world, userId, teamId);
    return { disbanded: true };
  }
  await notify(world, [
    { topic: topics.player(userId), type: 'team.left', data: { team_id: teamId, reason: 'left' } },
    { topic: topics.team(teamId), type: 'team.changed', data: { team_id: teamId, change: 'left', pilot: left.name } },
  ]);
  return { disbanded: false };
}

export async function kick(world: PeopleWorld, userId: string, teamId: number, pilot: string): Promise<void> {
  const target = await userByName(world.accounts, pilot);
  if (target.id === userId) throw new Problem('cannot_target_self');
  await world.accounts.transaction().execute(async (trx) => {
    const team = await liveTeam(trx, teamId, true);
    requireLeader(team, userId);
    const member = await membership(trx, target.id);
    if (!member || member.team_id !== teamId) throw new Problem('not_team_member', { detail: `${target.username} is not in this team` });
    await trx.deleteFrom('team_members').where('user_id', '=', target.id).execute();
  });
  await notify(world, [
    { topic: topics.player(target.id), type: 'team.left', data: { team_id: teamId, reason: 'kicked' } },
    { topic: topics.team(teamId), type: 'team.changed', data: { team_id: teamId, change: 'kicked', pilot: target.username } },
  ]);
}

export async function transferLeadership(world: PeopleWorld, userId: string, teamId: number, pilot: string): Promise<void> {
  const target = await userByName(world.accounts, pilot);
  if (target.id === userId) throw new Problem('cannot_target_self');
  await world.accounts.transaction().execute(async (trx) => {
    const team = await liveTeam(trx, teamId, true);
    requireLeader(team, userId);
    const member = await membership(trx, target.id);
    if (!member || member.team_id !== teamId) throw new Problem('not_team_member', { detail: `${target.username} is not in this team` });
    await trx.updateTable('teams').set({ leader_id: target.id }).where('id', '=', teamId).execute();
  });
  await notify(world, [{ topic: topics.team(teamId), type: 'team.changed', data: { team_id: teamId, change: 'leader', pilot: target.username } }]);
}

/** The leader allows (or stops) a member withdrawing from the treasury. */
export async function setWithdrawRight(world: PeopleWorld, userId: string, teamId: number, pilot: string, allowed: boolean): Promise<void> {
  const target = await userByName(world.accounts, pilot);
  await world.accounts.transaction().execute(async (trx) => {
    const team = await liveTeam(trx, teamId, true);
    requireLeader(team, userId);
    const updated = await trx
      .updateTable('team_members')
      .set({ can_withdraw: allowed })
      .where('user_id', '=', target.id)
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new Problem('not_team_member', { detail: `${target.username} is not in this team` });
  });
  await notify(world, [{ topic: topics.team(teamId), type: 'team.changed', data: { team_id: teamId, change: 'rights', pilot: target.username } }]);
}

/**
 * Disband: the treasury paid out evenly to the members (each share a payout transfer, a team
 * ledger row now and a pilot ledger row as it is driven), the members released, the team kept
 * (disbanded) so its ledger stays readable.
 */
export async function disbandTeam(world: PeopleWorld, userId: string, teamId: number): Promise<{ payouts: Array<{ pilot: string; amount: number }> }> {
  const { payouts } = await disband(world, teamId, (team) => requireLeader(team, userId));
  return { payouts };
}

/** An admin disbands a team (issue 19): the same payouts through team_transfers, no leader needed; answers the team as it was. */
export async function disbandTeamAsAdmin(
  world: PeopleWorld,
  teamId: number,
): Promise<{ before: { name: string; tag: string; treasury: number; members: number }; payouts: Array<{ pilot: string; amount: number }> }> {
  return disband(world, teamId, () => {});
}

async function disband(world: PeopleWorld, teamId: number, check: (team: TeamRow) => void) {
  const result = await world.accounts.transaction().execute(async (trx) => {
    const team = await liveTeam(trx, teamId, true);
    check(team);
    const members = await trx.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).orderBy('joined_at').orderBy('user_id').execute();
    const shares = splitEvenly(team.treasury, members.length);
    let balance = team.treasury;
    const transfers: Transfer[] = [];
    for (const [i, member] of members.entries()) {
      const amount = shares[i]!;
      if (amount === 0) continue;
      balance -= amount;
      transfers.push(await recordTransfer(trx, { teamId, userId: member.user_id, kind: 'payout', amount }, balance));
    }
    await trx.updateTable('teams').set({ treasury: 0, disbanded_at: new Date(), leader_id: null }).where('id', '=', teamId).execute();
    await trx.deleteFrom('team_members').where('team_id', '=', teamId).execute();
    await trx.updateTable('team_invitations').set({ status: 'cancelled' }).where('team_id', '=', teamId).where('status', '=', 'pending').execute();
    const names = await usernames(
      trx,
      members.map((m) => m.user_id),
    );
    return {
      members: members.map((m) => m.user_id),
      transfers,
      names,
      before: { name: team.name, tag: team.tag, treasury: team.treasury, members: members.length },
    };
  });
  for (const transfer of result.transfers) await driveTransfer(world, transfer);
  await notify(world, [
    ...result.members.map((id): DomainEvent => ({ topic: topics.player(id), type: 'team.left', data: { team_id: teamId, reason: 'disbanded' } })),
    { topic: topics.team(teamId), type: 'team.changed', data: { team_id: teamId, change: 'disbanded', pilot: null } },
  ]);
  return { before: result.before, payouts: result.transfers.map((t) => ({ pilot: result.names.get(t.user_id) ?? '?', amount: t.amount })) };
}

// ---- the treasury -----------------------------------------------------------------------------

export interface Transfer {
  id: string;
  team_id: number;
  user_id: string;
  kind: TransferKind;
  amount: number;
  state: 'pending' | 'done' | 'failed';
}

/**
 * A transfer recorded account-side. Money leaving the treasury (withdraw, payout) leaves it here,
 * with its team ledger row, in the same transaction that checked the balance: the treasury is
 * never negative. Money coming in (deposit) is added when the pilot's side has paid.
 */
async function recordTransfer(
  trx: AccountTrx,
  order: { teamId: number; userId: string; kind: TransferKind; amount: number; request?: RequestKey },
  treasuryAfter: number | null,
): Promise<Transfer> {
  const row = await trx
    .insertInto('team_transfers')
    .values({
      team_id: order.teamId,
      user_id: order.userId,
      kind: order.kind,
      amount: order.amount,
      ...(order.request ? { request_key: order.request.key, request_hash: order.request.hash } : {}),
    })
    .returning(['id', 'team_id', 'user_id', 'kind', 'amount', 'state'])
    .executeTakeFirstOrThrow();
  if (order.kind !== 'deposit') {
    await trx
      .insertInto('team_ledger')
      .values({
        team_id: order.teamId,
        transfer_id: row.id,
        user_id: order.userId,
        delta: -order.amount,
        balance_after: treasuryAfter!,
        reason: `team_${order.kind}`,
      })
      .execute();
  }
  return { ...row, amount: Number(row.amount) };
}

const KEY_PREFIX = 'team-transfer:';
/** Idempotency keys live a day in the region (jobs/cleanup.ts); a transfer older than this is left for an operator. */
const REDRIVE_WINDOW_MS = 20 * 60 * 60 * 1000;

/**
 * Drive a transfer to its end, from any state, any number of times, from any process:
 * 1. the pilot's side, through the one applier under the Idempotency-Key `team-transfer:<id>`
 *    of the pilot (a credit entry, so a region ledger row), or the answer stored under that key
 *    when it already ran: the pilot's side happens once and always answers the same;
 * 2. the treasury's side, settled to that answer once (`where state = 'pending'`): a paid deposit
 *    adds to the treasury with its team ledger row; a deposit the pilot could not pay fails.
 * A process that dies between the two leaves the transfer pending; the next read of the team
 * (or its treasury) drives it again.
 */
export async function driveTransfer(
  world: PeopleWorld,
  transfer: Transfer,
): Promise<{ state: 'done' | 'failed'; outcome: TransferOutcome; treasury: number | null }> {
  const order: TransferOrder = { id: transfer.id, teamId: transfer.team_id, kind: transfer.kind, amount: transfer.amount };
  const key = { userId: transfer.user_id, key: `${KEY_PREFIX}${transfer.id}`, requestHash: transfer.id };
  const result = await withPilot(world, transfer.user_id, () =>
    runAction<{ crew: Awaited<ReturnType<typeof crewsOf>>[number] }, TransferOutcome>(
      world,
      {
        read: async (trx) => ({ crew: present((await crewsOf(trx, [transfer.user_id], { lock: true }))[0], transfer.user_id) }),
        decide: (scene) => decideTransfer(scene.crew, order),
        respond: (_scene, outcome) => ({ status: 200, body: outcome }),
      },
      { key },
    ),
  );
  const outcome = JSON.parse(result.text) as TransferOutcome;
  const settled = await world.accounts.transaction().execute(async (trx) => {
    const team = await trx
      .selectFrom('teams')
      .select(['id', 'treasury', 'disbanded_at'])
      .where('id', '=', transfer.team_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const state = outcome.applied ? 'done' : 'failed';
    const updated = await trx
      .updateTable('team_transfers')
      .set({ state, settled_at: new Date() })
      .where('id', '=', transfer.id)
      .where('state', '=', 'pending')
      .returning('id')
      .executeTakeFirst();
    let treasury = Number(team.treasury);
    if (updated && outcome.applied && transfer.kind === 'deposit') {
      treasury += transfer.amount;
      await trx.updateTable('teams').set({ treasury }).where('id', '=', transfer.team_id).execute();
      await trx
        .insertInto('team_ledger')
        .values({
          team_id: transfer.team_id,
          transfer_id: transfer.id,
          user_id: transfer.user_id,
          delta: transfer.amount,
          balance_after: treasury,
          reason: 'team_deposit',
        })
        .execute();
    }
    if (updated && !outcome.applied && transfer.kind !== 'deposit') {
      // A payout can always be paid (it only adds credits); kept for completeness: the credits go back.
      treasury += transfer.amount;
      await trx.updateTable('teams').set({ treasury }).where('id', '=', transfer.team_id).execute();
      await trx
        .insertInto('team_ledger')
        .values({
          team_id: transfer.team_id,
          transfer_id: transfer.id,
          user_id: transfer.user_id,
          delta: transfer.amount,
          balance_after: treasury,
          reason: 'team_refund',
        })
        .execute();
    }
    // A deposit paid after its team was disbanded (the disband went first): it goes straight back to the pilot.
    let refund: Transfer | undefined;
    if (updated && outcome.applied && transfer.kind === 'deposit' && team.disbanded_at !== null) {
      treasury -= transfer.amount;
      await trx.updateTable('teams').set({ treasury }).where('id', '=', transfer.team_id).execute();
      refund = await recordTransfer(trx, { teamId: transfer.team_id, userId: transfer.user_id, kind: 'payout', amount: transfer.amount }, treasury);
    }
    return { state: state as 'done' | 'failed', treasury, refund };
  });
  if (settled.refund) await driveTransfer(world, settled.refund);
  return { state: settled.state, outcome, treasury: settled.treasury };
}

/** Drive the team's transfers a crash left pending (younger than the region keeps their keys). */
export async function settlePending(world: PeopleWorld, teamId: number): Promise<void> {
  await settleTransfers(world, { teamId, before: new Date(), limit: 50 });
}

/**
 * Drive pending transfers (of one team, or of all) recorded before `before` and younger than
 * the region keeps their keys: what the next read of a team does, and the team-transfers job.
 */
export async function settleTransfers(
  world: PeopleWorld,
  options: { teamId?: number; before: Date; limit: number },
): Promise<{ done: number; failed: number }> {
  let query = world.accounts
    .selectFrom('team_transfers')
    .select(['id', 'team_id', 'user_id', 'kind', 'amount', 'state'])
    .where('state', '=', 'pending')
    .where('created_at', '<', options.before)
    .where('created_at', '>', new Date(Date.now() - REDRIVE_WINDOW_MS))
    .orderBy('created_at')
    .limit(options.limit);
  if (options.teamId !== undefined) query = query.where('team_id', '=', options.teamId);
  const counts = { done: 0, failed: 0 };
  for (const transfer of await query.execute()) {
    const { state } = await driveTransfer(world, { ...transfer, amount: Number(transfer.amount) });
    counts[state] += 1;
  }
  return counts;
}

/** An Idempotency-Key as a treasury request carries it: the key, and a hash of what it was sent with. */
export interface RequestKey {
  key: string;
  hash: string;
}

async function transferByKey(accounts: AccountDb, userId: string, request: RequestKey): Promise<Transfer | undefined> {
  const row = await accounts
    .selectFrom('team_transfers')
    .select(['id', 'team_id', 'user_id', 'kind', 'amount', 'state', 'request_hash'])
    .where('user_id', '=', userId)
    .where('request_key', '=', request.key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== request.hash) throw new Problem('idempotency_key_reused');
  const { request_hash: _hash, ...transfer } = row;
  return { ...transfer, amount: Number(transfer.amount) };
}

/**
 * Deposit to or withdraw from the treasury; answers the treasury and the pilot's credits after.
 * With an Idempotency-Key, a retry finds the transfer the first request recorded, finishes it if
 * need be, and answers it again (`replayed`) instead of moving the credits twice.
 */
export async function moveTreasury(
  world: PeopleWorld,
  userId: string,
  teamId: number,
  action: 'deposit' | 'withdraw',
  amount: number,
  request?: RequestKey,
): Promise<{ transfer_id: string; treasury: number; credits: number; replayed: boolean }> {
  const earlier = request ? await transferByKey(world.accounts, userId, request) : undefined;
  if (earlier) return answerTransfer(world, earlier, true);
  let recorded: Transfer;
  try {
    recorded = await recordMove(world, userId, teamId, action, amount, request);
  } catch (err) {
    // The same key sent twice at once: the loser answers with the winner's transfer.
    const raced = request && uniqueViolation(err) ? await transferByKey(world.accounts, userId, request) : undefined;
    if (!raced) throw err;
    return answerTransfer(world, raced, true);
  }
  return answerTransfer(world, recorded, false);
}

async function answerTransfer(world: PeopleWorld, transfer: Transfer, replayed: boolean) {
  const driven = await driveTransfer(world, transfer);
  if (driven.state === 'failed') {
    throw new Problem('insufficient_credits', {
      detail: `You have ${driven.outcome.credits_after} credits`,
      available: driven.outcome.credits_after,
      needed: transfer.amount,
    });
  }
  const treasury = driven.treasury ?? 0;
  if (!replayed) {
    const pilot = (await usernames(world.accounts, [transfer.user_id])).get(transfer.user_id) ?? '?';
    const action = transfer.kind === 'deposit' ? 'deposit' : 'withdraw';
    await notify(world, [
      { topic: topics.team(transfer.team_id), type: 'team.treasury', data: { team_id: transfer.team_id, pilot, action, amount: transfer.amount, treasury } },
    ]);
  }
  return { transfer_id: transfer.id, treasury, credits: driven.outcome.credits_after, replayed };
}

async function recordMove(world: PeopleWorld, userId: string, teamId: number, action: 'deposit' | 'withdraw', amount: number, request?: RequestKey) {
  return world.accounts.transaction().execute(async (trx) => {
    const team = await liveTeam(trx, teamId, action === 'withdraw');
    const member = await memberOf(trx, team, userId);
    if (action === 'deposit') return recordTransfer(trx, { teamId, userId, kind: 'deposit', amount, ...(request ? { request } : {}) }, null);
    const refused = withdrawalRefusal({ leader: member.leader, canWithdraw: member.can_withdraw }, team.treasury, amount);
    if (refused) throw refusalProblem(refused.refused);
    const after = team.treasury - amount;
    await trx.updateTable('teams').set({ treasury: after }).where('id', '=', teamId).execute();
    return recordTransfer(trx, { teamId, userId, kind: 'withdraw', amount, ...(request ? { request } : {}) }, after);
  });
}

/** The treasury's ledger, newest first, for members. */
export async function treasuryHistory(accounts: AccountDb, userId: string, teamId: number, before: number | undefined, limit: number) {
  const team = await liveTeam(accounts, teamId, false);
  await memberOf(accounts, team, userId);
  let q = accounts
    .selectFrom('team_ledger')
    .innerJoin('users', 'users.id', 'team_ledger.user_id')
    .select(['team_ledger.id', 'users.username as pilot', 'team_ledger.delta', 'team_ledger.balance_after', 'team_ledger.reason', 'team_ledger.created_at'])
    .where('team_ledger.team_id', '=', teamId)
    .orderBy('team_ledger.id', 'desc')
    .limit(limit);
  if (before !== undefined) q = q.where('team_ledger.id', '<', before);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    pilot: r.pilot,
    delta: Number(r.delta),
    balance_after: Number(r.balance_after),
    reason: r.reason,
    at: new Date(r.created_at).toISOString(),
  }));
}

// ---- the team leaderboard ---------------------------------------------------------------------

export interface TeamStanding {
  position: number;
  team_id: number;
  name: string;
  tag: string;
  members: number;
  /** the members' net worth (from the rankings snapshot, or live before the first one) plus the treasury */
  net_worth: number;
  experience: number;
}

/**
 * Teams ranked by summed net worth: memberships and treasuries from the accounts database, the
 * members' standings from the region's latest rankings snapshot (live while none exists); two
 * reads, joined here. Kills and planets join the sum when those exist.
 */
export async function teamStandings(dbs: {
  accounts: AccountDb;
  region: RegionDb;
  config: Pick<Config, 'regions'>;
}): Promise<{ asOf: Date; standings: TeamStanding[] }> {
  const rows = await dbs.accounts
    .selectFrom('teams')
    .innerJoin('team_members', 'team_members.team_id', 'teams.id')
    .select(['teams.id', 'teams.name', 'teams.tag', 'teams.treasury', 'team_members.user_id'])
    .where('teams.disbanded_at', 'is', null)
    .execute();
  const { asOf, standings: members } = await memberStandings(
    dbs,
    rows.map((r) => r.user_id),
  );
  const worth = new Map(members.map((s) => [s.user_id, { net_worth: Number(s.net_worth), experience: s.experience }]));
  const byTeam = new Map<number, Omit<TeamStanding, 'position'>>();
  for (const row of rows) {
    let team = byTeam.get(row.id);
    if (!team) byTeam.set(row.id, (team = { team_id: row.id, name: row.name, tag: row.tag, members: 0, net_worth: Number(row.treasury), experience: 0 }));
    team.members += 1;
    team.net_worth += worth.get(row.user_id)?.net_worth ?? 0;
    team.experience += worth.get(row.user_id)?.experience ?? 0;
  }
  const standings = [...byTeam.values()]
    .sort((a, b) => b.net_worth - a.net_worth || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((team, i) => ({ position: i + 1, ...team }));
  return { asOf, standings };
}

/**
 * The members' standings: every region's merged on the nexus in multi-regional mode once any
 * region has published; else this region's latest snapshot, or live while it has none.
 */
async function memberStandings(
  dbs: { accounts: AccountDb; region: RegionDb; config: Pick<Config, 'regions'> },
  ids: string[],
): Promise<{ asOf: Date; standings: Array<{ user_id: string; net_worth: number; experience: number }> }> {
  const merged = isMultiRegional(dbs.config) ? await mergedStandingsOf(dbs.accounts, ids) : undefined;
  if (merged) return merged;
  const latest = await dbs.region
    .selectFrom('ranking_snapshots')
    .select((eb) => eb.fn.max('window_start').as('at'))
    .executeTakeFirst();
  if (ids.length === 0) return { asOf: latest?.at ? new Date(latest.at) : new Date(), standings: [] };
  const standings = latest?.at
    ? await dbs.region
        .selectFrom('ranking_snapshots')
        .select(['user_id', 'net_worth', 'experience'])
        .where('window_start', '=', latest.at)
        .where('user_id', 'in', ids)
        .execute()
    : (await currentStandings(dbs.region)).filter((s) => ids.includes(s.user_id));
  return { asOf: latest?.at ? new Date(latest.at) : new Date(), standings };
}
