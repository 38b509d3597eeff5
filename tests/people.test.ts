import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROADCAST, TEAM } from '../game/catalog/people.js';
import { newPilot, ledgerMismatches, setCredits } from './game-helpers.js';
import { createTestApp, uniqueName, type TestApp } from './harness.js';

type Pilot = Awaited<ReturnType<typeof newPilot>>;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const tag = () =>
  uniqueName('T')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 5);

async function credits(p: Pilot): Promise<number> {
  return (await t.call('GET', '/api/v1/player/state', { token: p.token })).body.player.credits;
}

async function found(leader: Pilot): Promise<{ id: number; tag: string }> {
  const teamTag = tag();
  const res = await t.call('POST', '/api/v1/teams', { token: leader.token, body: { name: `Team ${uniqueName()}`, tag: teamTag } });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id, tag: res.body.tag };
}

async function join(teamId: number, leader: Pilot, pilot: Pilot): Promise<void> {
  const invited = await t.call('POST', `/api/v1/teams/${teamId}/invitations`, { token: leader.token, body: { pilot: pilot.username } });
  expect(invited.status, invited.text).toBe(200);
  const accepted = await t.call('POST', `/api/v1/invitations/${invited.body.invitation_id}/accept`, { token: pilot.token });
  expect(accepted.status, accepted.text).toBe(200);
}

/** Every team's treasury equals the sum of its team ledger, and every pilot's credits its region ledger. */
async function ledgersAgree(): Promise<void> {
  const teams = await sql<{ id: number; treasury: number; ledger: number }>`
    select t.id, t.treasury, coalesce(sum(l.delta), 0)::bigint as ledger from teams t left join team_ledger l on l.team_id = t.id
    group by t.id, t.treasury having t.treasury <> coalesce(sum(l.delta), 0)`.execute(t.accounts);
  expect(teams.rows).toEqual([]);
  expect(await ledgerMismatches(t)).toEqual([]);
}

describe('teams', () => {
  it('founds a team, invites, accepts, lists and finds it', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    const team = await found(a);
    const got = await t.call('GET', `/api/v1/teams/${team.id}`, { token: a.token });
    expect(got.body).toMatchObject({ id: team.id, tag: team.tag, leader: a.username, treasury: 0, max_members: TEAM.maxMembers });
    expect(got.body.members.map((m: { pilot: string }) => m.pilot)).toEqual([a.username]);

    const invited = await t.call('POST', `/api/v1/teams/${team.id}/invitations`, { token: a.token, body: { pilot: b.username } });
    expect(invited.status).toBe(200);
    const mine = await t.call('GET', '/api/v1/invitations', { token: b.token });
    expect(mine.body.invitations).toEqual([expect.objectContaining({ id: invited.body.invitation_id, team_id: team.id, from: a.username })]);
    expect((await t.call('GET', `/api/v1/teams/${team.id}`, { token: a.token })).body.invitations).toEqual([expect.objectContaining({ pilot: b.username })]);
    const again = await t.call('POST', `/api/v1/teams/${team.id}/invitations`, { token: a.token, body: { pilot: b.username } });
    expect(again.body.code).toBe('already_invited');
    expect((await t.call('POST', `/api/v1/invitations/${invited.body.invitation_id}/accept`, { token: b.token })).body).toEqual({ ok: true, team_id: team.id });
    expect((await t.call('GET', '/api/v1/invitations', { token: b.token })).body.invitations).toEqual([]);

    const search = await t.call('GET', `/api/v1/teams?query=${team.tag.toLowerCase()}`, { token: b.token });
    expect(search.body.teams).toEqual([expect.objectContaining({ id: team.id, members: 2 })]);
    expect(search.body.my_team_id).toBe(team.id);
  });

  it("members hear the team's events in the events feed; others do not", async () => {
    const [a, b, outsider] = [await newPilot(t), await newPilot(t), await newPilot(t)];
    const start = Number(
      (
        await t.region
          .selectFrom('outbox')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id ?? 0,
    );
    const team = await found(a);
    await join(team.id, a, b);
    await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: a.token, body: { action: 'deposit', amount: 10 } });
    const feed = async (p: Pilot) =>
      ((await t.call('GET', `/api/v1/events?after=${start}&limit=500`, { token: p.token })).body.events as Array<{ topic: string; type: string }>).filter(
        (e) => e.topic === `team:${team.id}`,
      );
    expect((await feed(b)).map((e) => e.type)).toEqual(['team.changed', 'team.treasury']);
    expect(await feed(outsider)).toEqual([]);
  });

  it('refuses a second team, a taken name or tag, and invitations by non-leaders', async () => {
    const [a, b, c] = [await newPilot(t), await newPilot(t), await newPilot(t)];
    const team = await found(a);
    await join(team.id, a, b);
    expect((await t.call('POST', '/api/v1/teams', { token: a.token, body: { name: 'Another one', tag: tag() } })).body.code).toBe('already_in_team');
    const view = (await t.call('GET', `/api/v1/teams/${team.id}`, { token: a.token })).body;
    expect((await t.call('POST', '/api/v1/teams', { token: c.token, body: { name: view.name.toUpperCase(), tag: tag() } })).body.code).toBe('team_name_taken');
    expect((await t.call('POST', '/api/v1/teams', { token: c.token, body: { name: 'Fresh name', tag: team.tag.toLowerCase() } })).body.code).toBe(
      'team_tag_taken',
    );
    const byMember = await t.call('POST', `/api/v1/teams/${team.id}/invitations`, { token: b.token, body: { pilot: c.username } });
    expect([byMember.status, byMember.body.code]).toEqual([403, 'not_team_leader']);
    const byOutsider = await t.call('POST', `/api/v1/teams/${team.id}/invitations`, { token: c.token, body: { pilot: c.username } });
    expect(byOutsider.body.code).toBe('cannot_target_self');
    const unknown = await t.call('POST', `/api/v1/teams/${team.id}/invitations`, { token: a.token, body: { pilot: 'nobody_by_that_name' } });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'unknown_pilot']);
    expect((await t.call('GET', '/api/v1/teams/999999', { token: a.token })).status).toBe(404);
  });

  it('refuses the 7th member, at the invitation and at the acceptance', async () => {
    const leader = await newPilot(t);
    const team = await found(leader);
    const spare = await newPilot(t);
    // An invitation out before the team filled up.
    const early = await t.call('POST', `/api/v1/teams/${team.id}/invitations`, { token: leader.token, body: { pilot: spare.username } });
    for (let i = 1; i < TEAM.maxMembers; i++) await join(team.id, leader, await newPilot(t));
    const seventh = await newPilot(t);
    const refused = await t.call('POST', `/api/v1/teams/${team.id}/invitations`, { token: leader.token, body: { pilot: seventh.username } });
    expect([refused.status, refused.body.code]).toEqual([409, 'team_full']);
    const late = await t.call('POST', `/api/v1/invitations/${early.body.invitation_id}/accept`, { token: spare.token });
    expect([late.status, late.body.code]).toEqual([409, 'team_full']);
    expect((await t.call('GET', `/api/v1/teams/${team.id}`, { token: leader.token })).body.members).toHaveLength(TEAM.maxMembers);
  });

  it('refuses to invite a pilot already in a team, and an accept by a pilot who joined another', async () => {
    const [a, b, c] = [await newPilot(t), await newPilot(t), await newPilot(t)];
    const first = await found(a);
    const second = await found(b);
    const refused = await t.call('POST', `/api/v1/teams/${first.id}/invitations`, { token: a.token, body: { pilot: b.username } });
    expect([refused.status, refused.body.code]).toEqual([409, 'pilot_in_team']);
    // c is invited by both; accepting one lapses the other.
    const one = await t.call('POST', `/api/v1/teams/${first.id}/invitations`, { token: a.token, body: { pilot: c.username } });
    const two = await t.call('POST', `/api/v1/teams/${second.id}/invitations`, { token: b.token, body: { pilot: c.username } });
    expect((await t.call('POST', `/api/v1/invitations/${one.body.invitation_id}/accept`, { token: c.token })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/invitations/${two.body.invitation_id}/accept`, { token: c.token })).status).toBe(404);
  });

  it('declines, leaves, kicks and hands over the leadership', async () => {
    const [a, b, c, d] = [await newPilot(t), await newPilot(t), await newPilot(t), await newPilot(t)];
    const team = await found(a);
    await join(team.id, a, b);
    await join(team.id, a, c);
    const inv = await t.call('POST', `/api/v1/teams/${team.id}/invitations`, { token: a.token, body: { pilot: d.username } });
    expect((await t.call('POST', `/api/v1/invitations/${inv.body.invitation_id}/decline`, { token: d.token })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/invitations/${inv.body.invitation_id}/accept`, { token: d.token })).status).toBe(404);

    expect((await t.call('POST', `/api/v1/teams/${team.id}/leave`, { token: a.token })).body.code).toBe('leader_must_transfer');
    expect((await t.call('POST', `/api/v1/teams/${team.id}/kick`, { token: b.token, body: { pilot: c.username } })).body.code).toBe('not_team_leader');
    expect((await t.call('POST', `/api/v1/teams/${team.id}/kick`, { token: a.token, body: { pilot: d.username } })).body.code).toBe('not_team_member');
    expect((await t.call('POST', `/api/v1/teams/${team.id}/kick`, { token: a.token, body: { pilot: c.username } })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/teams/${team.id}/leader`, { token: a.token, body: { pilot: b.username } })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/teams/${team.id}/leave`, { token: a.token })).body).toEqual({ disbanded: false });
    const view = (await t.call('GET', `/api/v1/teams/${team.id}`, { token: b.token })).body;
    expect(view.leader).toBe(b.username);
    expect(view.members.map((m: { pilot: string }) => m.pilot)).toEqual([b.username]);
    expect((await t.call('POST', `/api/v1/teams/${team.id}/leave`, { token: c.token })).body.code).toBe('not_team_member');
    // The last member leaving disbands it.
    expect((await t.call('POST', `/api/v1/teams/${team.id}/leave`, { token: b.token })).body).toEqual({ disbanded: true });
    expect((await t.call('GET', `/api/v1/teams/${team.id}`, { token: b.token })).status).toBe(404);
  });
});

describe('the treasury', () => {
  it('deposits and withdraws with a ledger row on both sides, and refuses an overdraw', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    const team = await found(a);
    await join(team.id, a, b);
    await setCredits(t, b.userId, 10_000);
    const dep = await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: b.token, body: { action: 'deposit', amount: 4_000 } });
    expect(dep.status, dep.text).toBe(200);
    expect(dep.body).toMatchObject({ treasury: 4_000, credits: 6_000 });
    expect(await credits(b)).toBe(6_000);
    const tooMuch = await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: b.token, body: { action: 'deposit', amount: 6_001 } });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([409, 'insufficient_credits']);

    const overdraw = await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: a.token, body: { action: 'withdraw', amount: 4_001 } });
    expect([overdraw.status, overdraw.body.code]).toEqual([409, 'treasury_insufficient']);
    const before = await credits(a);
    const out = await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: a.token, body: { action: 'withdraw', amount: 1_500 } });
    expect(out.body).toMatchObject({ treasury: 2_500, credits: before + 1_500 });

    const history = await t.call('GET', `/api/v1/teams/${team.id}/treasury`, { token: b.token });
    expect(history.body.treasury).toBe(2_500);
    expect(history.body.entries.map((e: { pilot: string; delta: number; balance_after: number }) => [e.pilot, e.delta, e.balance_after])).toEqual([
      [a.username, -1_500, 2_500],
      [b.username, 4_000, 4_000],
    ]);
    const region = await t.region
      .selectFrom('credit_ledger')
      .select(['user_id', 'delta', 'reason'])
      .where('reason', 'in', ['team_deposit', 'team_withdraw'])
      .where('user_id', 'in', [a.userId, b.userId])
      .orderBy('id')
      .execute();
    expect(region.map((r) => [r.user_id, Number(r.delta), r.reason])).toEqual([
      [b.userId, -4_000, 'team_deposit'],
      [a.userId, 1_500, 'team_withdraw'],
    ]);
    const outsider = await newPilot(t);
    expect((await t.call('GET', `/api/v1/teams/${team.id}/treasury`, { token: outsider.token })).body.code).toBe('not_team_member');
    expect((await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: outsider.token, body: { action: 'deposit', amount: 1 } })).body.code).toBe(
      'not_team_member',
    );
    await ledgersAgree();
  });

  it('a retry with the same Idempotency-Key moves the credits once; the key with another body is 422', async () => {
    const a = await newPilot(t);
    const team = await found(a);
    await setCredits(t, a.userId, 5_000);
    const send = (amount: number) =>
      t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: a.token, headers: { 'idempotency-key': 'dep-1' }, body: { action: 'deposit', amount } });
    const first = await send(1_000);
    const both = await Promise.all([send(1_000), send(1_000)]);
    for (const again of both) {
      expect(again.status, again.text).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    }
    expect(first.body).toMatchObject({ treasury: 1_000, credits: 4_000 });
    expect(await credits(a)).toBe(4_000);
    const other = await send(2_000);
    expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
    const bad = await t.call('POST', `/api/v1/teams/${team.id}/treasury`, {
      token: a.token,
      headers: { 'idempotency-key': 'é' },
      body: { action: 'deposit', amount: 1 },
    });
    expect(bad.body.code).toBe('invalid_idempotency_key');
    await ledgersAgree();
  });

  it('lets only the leader and the members it allows withdraw', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    const team = await found(a);
    await join(team.id, a, b);
    await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: a.token, body: { action: 'deposit', amount: 1_000 } });
    const refused = await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: b.token, body: { action: 'withdraw', amount: 100 } });
    expect([refused.status, refused.body.code]).toEqual([403, 'withdrawal_not_allowed']);
    expect((await t.call('POST', `/api/v1/teams/${team.id}/rights`, { token: b.token, body: { pilot: b.username, withdraw: true } })).body.code).toBe(
      'not_team_leader',
    );
    expect((await t.call('POST', `/api/v1/teams/${team.id}/rights`, { token: a.token, body: { pilot: b.username, withdraw: true } })).status).toBe(200);
    const allowed = await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: b.token, body: { action: 'withdraw', amount: 100 } });
    expect(allowed.body.treasury).toBe(900);
    await t.call('POST', `/api/v1/teams/${team.id}/rights`, { token: a.token, body: { pilot: b.username, withdraw: false } });
    expect((await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: b.token, body: { action: 'withdraw', amount: 1 } })).body.code).toBe(
      'withdrawal_not_allowed',
    );
  });

  it('disbanding pays the treasury out evenly through the ledger', async () => {
    const [a, b, c] = [await newPilot(t), await newPilot(t), await newPilot(t)];
    const team = await found(a);
    await join(team.id, a, b);
    await join(team.id, a, c);
    await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: a.token, body: { action: 'deposit', amount: 1_000 } });
    await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: b.token, body: { action: 'deposit', amount: 1_000 } });
    const before = await Promise.all([a, b, c].map(credits));
    expect((await t.call('DELETE', `/api/v1/teams/${team.id}`, { token: b.token })).body.code).toBe('not_team_leader');
    const res = await t.call('DELETE', `/api/v1/teams/${team.id}`, { token: a.token });
    expect(res.status, res.text).toBe(200);
    // 2000 among 3: 667, 667, 666 in the order they joined.
    expect(res.body.payouts).toEqual([
      { pilot: a.username, amount: 667 },
      { pilot: b.username, amount: 667 },
      { pilot: c.username, amount: 666 },
    ]);
    const after = await Promise.all([a, b, c].map(credits));
    expect(after.map((x, i) => x - before[i]!)).toEqual([667, 667, 666]);
    expect((await t.call('GET', `/api/v1/teams/${team.id}`, { token: a.token })).status).toBe(404);
    const row = await t.accounts.selectFrom('teams').select(['treasury', 'disbanded_at']).where('id', '=', team.id).executeTakeFirstOrThrow();
    expect(Number(row.treasury)).toBe(0);
    expect(row.disbanded_at).not.toBeNull();
    // All three are free to found or join again.
    await found(c);
    await ledgersAgree();
  });

  it('a transfer a crash left half done is finished by the next read, once', async () => {
    const a = await newPilot(t);
    const team = await found(a);
    await t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: a.token, body: { action: 'deposit', amount: 500 } });
    // As if the process died after the pilot paid but before the treasury was credited:
    const transfer = await t.accounts
      .insertInto('team_transfers')
      .values({ team_id: team.id, user_id: a.userId, kind: 'deposit', amount: 300 })
      .returning(['id', 'team_id', 'user_id', 'kind', 'amount', 'state'])
      .executeTakeFirstOrThrow();
    const { driveTransfer } = await import('../world/teams.js');
    const paid = await credits(a);
    // The region side ran (its key stored); then "crash": the account side is put back to pending.
    await driveTransfer(t, { ...transfer, amount: 300 });
    await t.accounts.updateTable('team_transfers').set({ state: 'pending', settled_at: null }).where('id', '=', transfer.id).execute();
    await t.accounts.updateTable('teams').set({ treasury: 500 }).where('id', '=', team.id).execute();
    await t.accounts.deleteFrom('team_ledger').where('transfer_id', '=', transfer.id).execute();
    const view = await t.call('GET', `/api/v1/teams/${team.id}`, { token: a.token });
    expect(view.body.treasury).toBe(800);
    expect(await credits(a)).toBe(paid - 300);
    // Driving it again changes nothing.
    await driveTransfer(t, { ...transfer, amount: 300 });
    expect((await t.call('GET', `/api/v1/teams/${team.id}`, { token: a.token })).body.treasury).toBe(800);
    expect(await credits(a)).toBe(paid - 300);
    await ledgersAgree();
  });
});

describe('a deposit that lands after the disband', () => {
  it('goes back to the pilot: nothing is stranded in a disbanded team', async () => {
    const a = await newPilot(t);
    const team = await found(a);
    await setCredits(t, a.userId, 1_000);
    const transfer = await t.accounts
      .insertInto('team_transfers')
      .values({ team_id: team.id, user_id: a.userId, kind: 'deposit', amount: 300 })
      .returning(['id', 'team_id', 'user_id', 'kind', 'amount', 'state'])
      .executeTakeFirstOrThrow();
    expect((await t.call('DELETE', `/api/v1/teams/${team.id}`, { token: a.token })).status).toBe(200);
    const { driveTransfer } = await import('../world/teams.js');
    await driveTransfer(t, { ...transfer, amount: 300 });
    expect(await credits(a)).toBe(1_000);
    const row = await t.accounts.selectFrom('teams').select('treasury').where('id', '=', team.id).executeTakeFirstOrThrow();
    expect(Number(row.treasury)).toBe(0);
    const reasons = await t.region
      .selectFrom('credit_ledger')
      .select(['delta', 'reason'])
      .where('user_id', '=', a.userId)
      .where('reason', 'like', 'team_%')
      .orderBy('id')
      .execute();
    expect(reasons.map((r) => [Number(r.delta), r.reason])).toEqual([
      [-300, 'team_deposit'],
      [300, 'team_payout'],
    ]);
    await ledgersAgree();
  });
});

describe('the team-transfers job', () => {
  it('finishes a deposit a crash left pending, once', async () => {
    const { teamTransfersJob } = await import('../jobs/team-transfers.js');
    const { jobDeps, runWindow } = await import('./job-helpers.js');
    const { periodMs, windowStartOf } = await import('../jobs/windows.js');
    const a = await newPilot(t);
    const team = await found(a);
    await setCredits(t, a.userId, 1_000);
    await t.accounts
      .insertInto('team_transfers')
      .values({ team_id: team.id, user_id: a.userId, kind: 'deposit', amount: 400, created_at: new Date(Date.now() - 60_000) })
      .execute();
    // The next window; one recorded 10 s before it is left to the request driving it.
    const W = windowStartOf(Date.now() + 120_000, periodMs(teamTransfersJob, t.config));
    await t.accounts
      .insertInto('team_transfers')
      .values({ team_id: team.id, user_id: a.userId, kind: 'deposit', amount: 1, created_at: new Date(W.getTime() - 10_000) })
      .execute();
    const run = await runWindow(jobDeps(t), teamTransfersJob, W);
    expect(run.status).toBe('succeeded');
    expect(run.stats, JSON.stringify(run)).toMatchObject({ settled: 1 });
    const row = await t.accounts.selectFrom('teams').select('treasury').where('id', '=', team.id).executeTakeFirstOrThrow();
    expect(Number(row.treasury)).toBe(400);
    expect(await credits(a)).toBe(600);
    const states = await t.accounts.selectFrom('team_transfers').select(['amount', 'state']).where('team_id', '=', team.id).orderBy('amount').execute();
    expect(states.map((r) => [Number(r.amount), r.state])).toEqual([
      [1, 'pending'],
      [400, 'done'],
    ]);
    await ledgersAgree();
  });
});

describe('the team leaderboard', () => {
  it("ranks teams by their members' summed net worth plus the treasury", async () => {
    const [a, b, c] = [await newPilot(t), await newPilot(t), await newPilot(t)];
    const rich = await found(a);
    await join(rich.id, a, b);
    const poor = await found(c);
    await setCredits(t, a.userId, 50_000);
    await setCredits(t, b.userId, 20_000);
    await setCredits(t, c.userId, 30_000);
    await t.call('POST', `/api/v1/teams/${poor.id}/treasury`, { token: c.token, body: { action: 'deposit', amount: 10_000 } });
    const res = await t.call('GET', '/api/v1/rankings/teams?per_page=100', { token: a.token });
    expect(res.status, res.text).toBe(200);
    const entries = res.body.entries as Array<{ team_id: number; position: number; net_worth: number; members: number }>;
    const r = entries.find((e) => e.team_id === rich.id)!;
    const p = entries.find((e) => e.team_id === poor.id)!;
    expect([r.members, p.members]).toEqual([2, 1]);
    expect(r.position).toBeLessThan(p.position);
    // Same hulls, no cargo: rich is 70 000 credits and two hulls; poor is 20 000 credits, 10 000 in the treasury and one hull.
    expect(r.net_worth - 70_000).toBe(2 * (p.net_worth - 30_000));
    expect(p.net_worth).toBeGreaterThan(30_000);
    expect(entries.map((e) => e.position)).toEqual(entries.map((_, i) => i + 1));
  });
});

describe('the treasury under load', () => {
  it('20 members depositing and withdrawing at once: never negative, ledgers = balances, nothing made or lost', async () => {
    // Teams hold 6 at most: 20 members in 4 teams of 5, every one depositing and withdrawing at once.
    const teams: Array<{ id: number; members: Pilot[] }> = [];
    for (let i = 0; i < 4; i++) {
      const leader = await newPilot(t);
      const team = await found(leader);
      const members = [leader];
      for (let j = 0; j < 4; j++) {
        const p = await newPilot(t);
        await join(team.id, leader, p);
        await t.call('POST', `/api/v1/teams/${team.id}/rights`, { token: leader.token, body: { pilot: p.username, withdraw: true } });
        members.push(p);
      }
      teams.push({ id: team.id, members });
    }
    const everyone = teams.flatMap((team) => team.members);
    expect(everyone).toHaveLength(20);
    for (const p of everyone) await setCredits(t, p.userId, 1_000);
    const totalBefore = 20 * 1_000;

    const results = await Promise.all(
      teams.flatMap((team) =>
        team.members.flatMap((p, i) => [
          t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: p.token, body: { action: 'deposit', amount: 300 + i * 50 } }),
          t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: p.token, body: { action: 'withdraw', amount: 400 } }),
          t.call('POST', `/api/v1/teams/${team.id}/treasury`, { token: p.token, body: { action: 'deposit', amount: 900 } }),
        ]),
      ),
    );
    for (const r of results) expect([200, 409], r.text).toContain(r.status);
    // Every member's first deposit (300–500 of its 1000) is payable whatever ran before it.
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(20);
    for (const r of results.filter((x) => x.status === 409)) expect(['treasury_insufficient', 'insufficient_credits']).toContain(r.body.code);

    const treasuries = await t.accounts
      .selectFrom('teams')
      .select(['id', 'treasury'])
      .where(
        'id',
        'in',
        teams.map((x) => x.id),
      )
      .execute();
    for (const row of treasuries) expect(Number(row.treasury)).toBeGreaterThanOrEqual(0);
    const negative = await t.accounts.selectFrom('team_ledger').select('id').where('balance_after', '<', 0).execute();
    expect(negative).toEqual([]);
    const pending = await t.accounts
      .selectFrom('team_transfers')
      .select('id')
      .where('state', '=', 'pending')
      .where(
        'team_id',
        'in',
        teams.map((x) => x.id),
      )
      .execute();
    expect(pending).toEqual([]);
    const pilots = await Promise.all(everyone.map(credits));
    const totalAfter = pilots.reduce((s, x) => s + x, 0) + treasuries.reduce((s, row) => s + Number(row.treasury), 0);
    expect(totalAfter).toBe(totalBefore);
    await ledgersAgree();
  }, 120_000);
});

describe('mail', () => {
  it('delivers to a pilot, pages the inbox, marks read and deletes', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    for (let i = 0; i < 3; i++) {
      const sent = await t.call('POST', '/api/v1/messages', {
        token: a.token,
        body: { to: b.username, subject: `hello ${i}`, body: `line one\nline two ${i}` },
      });
      expect(sent.status, sent.text).toBe(201);
    }
    const page = await t.call('GET', '/api/v1/messages?folder=inbox&limit=2', { token: b.token });
    expect(page.body.unread).toBe(3);
    expect(page.body.messages.map((m: { subject: string }) => m.subject)).toEqual(['hello 2', 'hello 1']);
    expect(page.body.messages[0]).toMatchObject({ from: a.username, to: b.username, body: 'line one\nline two 2', read: false });
    const next = await t.call('GET', `/api/v1/messages?folder=inbox&limit=2&before=${page.body.next_before}`, { token: b.token });
    expect(next.body.messages.map((m: { subject: string }) => m.subject)).toEqual(['hello 0']);
    expect(next.body.next_before).toBeNull();

    const read = await t.call('POST', `/api/v1/messages/${page.body.messages[0].id}/read`, { token: b.token });
    expect(read.body).toEqual({ unread: 2 });
    expect((await t.call('GET', '/api/v1/messages?unread=true', { token: b.token })).body.messages).toHaveLength(2);
    // Not yours: 404.
    expect((await t.call('POST', `/api/v1/messages/${page.body.messages[0].id}/read`, { token: a.token })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/messages/${page.body.messages[0].id}`, { token: a.token })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/messages/${page.body.messages[0].id}`, { token: b.token })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/messages', { token: b.token })).body.messages).toHaveLength(2);
    const sent = await t.call('GET', '/api/v1/messages?folder=sent', { token: a.token });
    expect(sent.body.messages).toHaveLength(3);
  });

  it('refuses mail to unknown pilots and teams, and to yourself', async () => {
    const a = await newPilot(t);
    const unknown = await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: 'no_such_pilot_here', body: 'hi' } });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'unknown_pilot']);
    expect((await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: 'team:ZZZZZ', body: 'hi' } })).body.code).toBe('unknown_pilot');
    expect((await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: a.username, body: 'hi' } })).body.code).toBe('cannot_target_self');
    expect((await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: a.username, body: '   ' } })).status).toBe(422);
  });

  it('mails a whole team by its tag', async () => {
    const [a, b, c, outsider] = [await newPilot(t), await newPilot(t), await newPilot(t), await newPilot(t)];
    const team = await found(a);
    await join(team.id, a, b);
    await join(team.id, a, c);
    const sent = await t.call('POST', '/api/v1/messages', { token: outsider.token, body: { to: `team:${team.tag.toLowerCase()}`, body: 'trade?' } });
    expect(sent.body.to).toBe(`team:${team.tag}`);
    for (const p of [a, b, c]) expect((await t.call('GET', '/api/v1/messages', { token: p.token })).body.unread).toBe(1);
  });

  it('blocks: a blocked pilot’s mail is not delivered, until unblocked', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    expect((await t.call('POST', '/api/v1/messages/blocks', { token: b.token, body: { pilot: a.username } })).body).toEqual({ blocked: [a.username] });
    expect((await t.call('POST', '/api/v1/messages/blocks', { token: b.token, body: { pilot: b.username } })).body.code).toBe('cannot_target_self');
    expect((await t.call('POST', '/api/v1/messages/blocks', { token: b.token, body: { pilot: 'no_such_pilot_here' } })).body.code).toBe('unknown_pilot');
    const sent = await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, body: 'you there?' } });
    expect(sent.status).toBe(201);
    expect((await t.call('GET', '/api/v1/messages', { token: b.token })).body.messages).toEqual([]);
    expect((await t.call('GET', '/api/v1/messages/blocks', { token: b.token })).body.blocked).toEqual([a.username]);
    expect((await t.call('DELETE', `/api/v1/messages/blocks?pilot=${a.username}`, { token: b.token })).body).toEqual({ blocked: [] });
    await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, body: 'now?' } });
    expect((await t.call('GET', '/api/v1/messages', { token: b.token })).body.messages.map((m: { body: string }) => m.body)).toEqual(['now?']);
  });

  it('reports a message for moderation; only one in your own mailbox', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, body: 'rude words' } });
    const [message] = (await t.call('GET', '/api/v1/messages', { token: b.token })).body.messages;
    const res = await t.call('POST', '/api/v1/reports', { token: b.token, body: { kind: 'message', id: message.id, reason: 'abuse' } });
    expect(res.status, res.text).toBe(201);
    const stored = await t.accounts.selectFrom('reports').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ reporter_id: b.userId, reported_id: a.userId, kind: 'message', reason: 'abuse', status: 'open' });
    expect(stored.content).toMatchObject({ from: a.username, body: 'rude words' });
    const other = await newPilot(t);
    expect((await t.call('POST', '/api/v1/reports', { token: other.token, body: { kind: 'message', id: message.id, reason: 'x' } })).status).toBe(404);
    expect((await t.call('POST', '/api/v1/reports', { token: b.token, body: { kind: 'chat', id: 'c-unknown', reason: 'x' } })).status).toBe(404);
  });

  it('reports a chat line the reporter could hear', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    const line = { id: `c${uniqueName()}`, at: new Date().toISOString(), channel: 'global', from: { id: a.userId, name: a.username }, text: 'spam spam' };
    await t.bus.pushCapped('chat:global', JSON.stringify(line), 50, 60_000);
    const res = await t.call('POST', '/api/v1/reports', { token: b.token, body: { kind: 'chat', id: line.id, reason: 'spam' } });
    expect(res.status, res.text).toBe(201);
    const stored = await t.accounts.selectFrom('reports').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: 'chat', reported_id: a.userId, target: line.id });
    expect((await t.call('POST', '/api/v1/reports', { token: a.token, body: { kind: 'chat', id: line.id, reason: 'me' } })).body.code).toBe(
      'cannot_target_self',
    );
  });

  it('broadcast costs credits through the ledger and is limited to one per interval', async () => {
    const a = await newPilot(t);
    await setCredits(t, a.userId, BROADCAST.cost * 3);
    const first = await t.call('POST', '/api/v1/messages/broadcast', { token: a.token, body: { body: 'Selling ore cheap at 42' } });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ credits: BROADCAST.cost * 2, cost: BROADCAST.cost });
    const second = await t.call('POST', '/api/v1/messages/broadcast', { token: a.token, body: { body: 'again' } });
    expect([second.status, second.body.code]).toEqual([429, 'broadcast_limited']);
    expect(await credits(a)).toBe(BROADCAST.cost * 2);
    const ledger = await t.region.selectFrom('credit_ledger').select(['delta']).where('user_id', '=', a.userId).where('reason', '=', 'broadcast').execute();
    expect(ledger.map((r) => Number(r.delta))).toEqual([-BROADCAST.cost]);
    const event = await t.region
      .selectFrom('outbox')
      .select(['topic', 'data'])
      .where('type', '=', 'broadcast.sent')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ topic: 'global', data: { from: a.username, body: 'Selling ore cheap at 42' } });

    // Two at once: one gets through.
    const b = await newPilot(t);
    await setCredits(t, b.userId, BROADCAST.cost * 3);
    const both = await Promise.all([1, 2].map((i) => t.call('POST', '/api/v1/messages/broadcast', { token: b.token, body: { body: `race ${i}` } })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 429]);

    // A pilot who cannot pay is refused and keeps its slot.
    const poor = await newPilot(t);
    await setCredits(t, poor.userId, 10);
    expect((await t.call('POST', '/api/v1/messages/broadcast', { token: poor.token, body: { body: 'hi' } })).body.code).toBe('insufficient_credits');
    await setCredits(t, poor.userId, BROADCAST.cost);
    expect((await t.call('POST', '/api/v1/messages/broadcast', { token: poor.token, body: { body: 'hi' } })).status).toBe(201);
    await ledgersAgree();
  });

  it('new mail is announced to the recipient with its unread count', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, subject: 'hey', body: 'one' } });
    await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, body: 'two' } });
    const events = await t.region
      .selectFrom('outbox')
      .select(['data'])
      .where('topic', '=', `player:${b.userId}`)
      .where('type', '=', 'mail.received')
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ from: a.username, subject: 'hey', unread: 1 }),
      expect.objectContaining({ from: a.username, subject: '', unread: 2 }),
    ]);
  });
});
