import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerMismatches, newPilot, placePilot, setCredits, setShip } from './game-helpers.js';
import { createTestApp, type TestApp, uniqueName } from './harness.js';

let t: TestApp;
type Pilot = Awaited<ReturnType<typeof newPilot>>;
/** Frontier paths a → b → c (two-way warps, none in FedSpace), each with its own b. */
let paths: Array<{ a: number; b: number; c: number }>;

beforeAll(async () => {
  t = await createTestApp();
  const rows = await sql<{ a: number; b: number; c: number }>`
    select w1.from_sector_id as a, w1.to_sector_id as b, w2.to_sector_id as c
    from warps w1 join warps w2 on w2.from_sector_id = w1.to_sector_id and w2.to_sector_id <> w1.from_sector_id
    join sectors sa on sa.id = w1.from_sector_id join sectors sb on sb.id = w1.to_sector_id join sectors sc on sc.id = w2.to_sector_id
    where not sa.fedspace and not sb.fedspace and not sc.fedspace
      and exists (select 1 from warps r where r.from_sector_id = w1.to_sector_id and r.to_sector_id = w1.from_sector_id)
      and exists (select 1 from warps r where r.from_sector_id = w2.to_sector_id and r.to_sector_id = w2.from_sector_id)
      and not exists (select 1 from warps x where x.from_sector_id = w1.from_sector_id and x.to_sector_id = w2.to_sector_id)
    order by w1.to_sector_id, w1.from_sector_id, w2.to_sector_id`.execute(t.region);
  const seen = new Set<number>();
  paths = [];
  for (const row of rows.rows) {
    if ([row.a, row.b, row.c].some((s) => seen.has(s))) continue;
    for (const s of [row.a, row.b, row.c]) seen.add(s);
    paths.push(row);
  }
  if (paths.length < 10) throw new Error(`only ${paths.length} disjoint frontier paths`);
});
afterAll(async () => {
  await t.close();
});

let nextPath = 0;
const path = () => paths[nextPath++]!;
const api = (p: Pilot, method: string, path: string, body?: unknown) => t.call(method, path, { token: p.token, ...(body !== undefined ? { body } : {}) });
const state = async (p: Pilot) => (await api(p, 'GET', '/api/v1/player/state')).body;
async function ownerEvents(owner: Pilot, type = 'defenses.fired') {
  return (
    await t.region.selectFrom('outbox').select(['type', 'data']).where('topic', '=', `player:${owner.userId}`).where('type', '=', type).orderBy('id').execute()
  ).map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>);
}
async function stack(sector: number, kind: string) {
  return t.region.selectFrom('sector_defenses').selectAll().where('sector_id', '=', sector).where('kind', '=', kind).executeTakeFirst();
}

/** An owner holding sector b with `fighters` in `mode`, and an entrant waiting in a. */
async function held(mode: 'defensive' | 'toll' | 'offensive', fighters: number, toll?: number) {
  const p = path();
  const owner = await newPilot(t);
  const entrant = await newPilot(t);
  await placePilot(t, owner.userId, p.b);
  await placePilot(t, entrant.userId, p.a);
  await setShip(t, owner.userId, { fighters: fighters + 10 });
  const deployed = await api(owner, 'POST', '/api/v1/defenses/fighters', { quantity: fighters, mode, ...(toll ? { toll } : {}) });
  expect(deployed.status, deployed.text).toBe(200);
  await placePilot(t, owner.userId, p.c);
  return { ...p, owner, entrant };
}

describe('deploying and recalling', () => {
  it('deploys fighters and mines for a turn each, recalls only your own, and FedSpace refuses', async () => {
    const p = path();
    const owner = await newPilot(t);
    const other = await newPilot(t);
    await placePilot(t, owner.userId, p.b);
    await placePilot(t, other.userId, p.b);
    await setShip(t, owner.userId, { fighters: 100 });
    await t.region
      .updateTable('ships')
      .set({ mines: 20 })
      .where('id', '=', (await t.region.selectFrom('players').select('ship_id').where('user_id', '=', owner.userId).executeTakeFirstOrThrow()).ship_id)
      .execute();
    const before = await state(owner);
    const fighters = await api(owner, 'POST', '/api/v1/defenses/fighters', { quantity: 60, mode: 'defensive' });
    expect(fighters.status, fighters.text).toBe(200);
    expect(fighters.body.deployed).toMatchObject({ sector_id: p.b, kind: 'fighters', deployed: 60, quantity: 60, mode: 'defensive' });
    expect(fighters.body.ship.fighters).toBe(40);
    expect(fighters.body.player.turns).toBe(before.player.turns - 1);
    const more = await api(owner, 'POST', '/api/v1/defenses/fighters', { quantity: 10, mode: 'offensive' });
    expect(more.body.deployed).toMatchObject({ quantity: 70, mode: 'offensive' });
    const mines = await api(owner, 'POST', '/api/v1/defenses/mines', { quantity: 15 });
    expect(mines.status, mines.text).toBe(200);
    expect(mines.body.ship.mines).toBe(5);

    expect((await api(owner, 'POST', '/api/v1/defenses/fighters', { quantity: 1000, mode: 'defensive' })).body.code).toBe('insufficient_fighters');
    expect((await api(owner, 'POST', '/api/v1/defenses/mines', { quantity: 6 })).body.code).toBe('insufficient_mines');
    expect((await api(owner, 'POST', '/api/v1/defenses/fighters', { quantity: 1, mode: 'toll' })).status).toBe(422);
    expect((await api(owner, 'POST', '/api/v1/defenses/fighters', { quantity: 1, mode: 'defensive', team: true })).body.code).toBe('not_in_team');

    // The sector view: exact for the owner, a band for anyone else.
    const mine = await api(owner, 'GET', '/api/v1/defenses');
    expect(mine.body.stacks.map((s: { kind: string; quantity: number }) => [s.kind, s.quantity]).sort()).toEqual([
      ['fighters', 70],
      ['mines', 15],
    ]);
    const theirs = await api(other, 'GET', '/api/v1/defenses');
    const theirFighters = theirs.body.stacks.find((s: { kind: string }) => s.kind === 'fighters');
    expect(theirFighters).toMatchObject({ owner: owner.username, yours: false, quantity: null, band: { min: 50, max: 99 }, mode: 'offensive' });
    const scan = await api(other, 'POST', '/api/v1/player/scan', { sector: p.b });
    expect(scan.status, scan.text).toBe(200);
    expect(scan.body.scan.defenses.owners).toEqual([owner.username]);
    expect(scan.body.scan.defenses.stacks).toHaveLength(2);
    const sector = await api(owner, 'GET', `/api/v1/sectors/${p.b}`);
    expect(sector.body.defenses.stacks.find((s: { kind: string }) => s.kind === 'fighters').quantity).toBe(70);

    // Recall: only your own, only what is there.
    expect((await api(other, 'POST', '/api/v1/defenses/recall', { kind: 'fighters', quantity: 1 })).body.code).toBe('no_defenses');
    expect((await api(owner, 'POST', '/api/v1/defenses/recall', { kind: 'fighters', quantity: 71 })).body.code).toBe('exceeds_deployed');
    const recalled = await api(owner, 'POST', '/api/v1/defenses/recall', { kind: 'fighters', quantity: 30 });
    expect(recalled.status, recalled.text).toBe(200);
    expect(recalled.body.recalled).toMatchObject({ recalled: 30, left: 40 });
    expect(recalled.body.ship.fighters).toBe(60);
    expect((await stack(p.b, 'fighters'))!.quantity).toBe(40);

    // FedSpace forbids deployed defenses.
    await placePilot(t, owner.userId, 1);
    const fed = await api(owner, 'POST', '/api/v1/defenses/fighters', { quantity: 1, mode: 'defensive' });
    expect(fed.status).toBe(409);
    expect(fed.body.code).toBe('fedspace');
    expect((await api(owner, 'POST', '/api/v1/defenses/mines', { quantity: 1 })).body.code).toBe('fedspace');
  });
});

describe('entering a defended sector', () => {
  it('toll: asks with the amount and changes nothing, then a pilot who pays passes and the owner is credited', async () => {
    const { a, b, owner, entrant } = await held('toll', 100, 300);
    const ownerBefore = (await state(owner)).player.credits;
    const before = await state(entrant);
    const asked = await api(entrant, 'POST', '/api/v1/player/move', { to: b });
    expect(asked.status).toBe(409);
    expect(asked.body).toMatchObject({ code: 'toll_required', amount: 300 });
    const same = await state(entrant);
    expect(same.player.sector_id).toBe(a);
    expect(same.player.credits).toBe(before.player.credits);
    expect(same.player.turns).toBe(before.player.turns);

    const paid = await api(entrant, 'POST', '/api/v1/player/move', { to: b, toll: 'pay' });
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body.defenses).toMatchObject({ toll: { amount: 300, paid: true }, fight: null, destroyed: false });
    expect(paid.body.player.credits).toBe(before.player.credits - 300);
    expect((await state(owner)).player.credits).toBe(ownerBefore + 300);
    const rows = await t.region
      .selectFrom('credit_ledger')
      .select(['user_id', 'delta', 'reason'])
      .where('reason', 'in', ['toll_paid', 'toll_received'])
      .where('user_id', 'in', [owner.userId, entrant.userId])
      .execute();
    expect(rows.map((r) => [r.user_id, Number(r.delta), r.reason]).sort()).toEqual(
      [
        [owner.userId, 300, 'toll_received'],
        [entrant.userId, -300, 'toll_paid'],
      ].sort(),
    );
    expect(await ownerEvents(owner)).toEqual([expect.objectContaining({ result: 'toll_paid', credits: 300, pilot: entrant.username, sector_id: b })]);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('toll refused, or unaffordable: the fighters attack and a combat log is written', async () => {
    const { b, owner, entrant } = await held('toll', 40, 500);
    await setShip(t, entrant.userId, { fighters: 200, shields: 50 });
    const refused = await api(entrant, 'POST', '/api/v1/player/move', { to: b, toll: 'refuse' });
    expect(refused.status, refused.text).toBe(200);
    expect(refused.body.defenses.toll).toEqual({ amount: 500, paid: false });
    const fight = refused.body.defenses.fight;
    expect(fight).not.toBeNull();
    const log = await api(entrant, 'GET', `/api/v1/combat/logs/${fight.log_id}`);
    expect(log.status, log.text).toBe(200);
    expect(log.body).toMatchObject({ your_side: 'defender', attacker: `${owner.username}'s fighters` });
    const left = (await stack(b, 'fighters'))!.quantity;
    expect(left).toBe(40 - fight.defense_fighters_lost);
    expect((await ownerEvents(owner)).some((e) => e.log_id === fight.log_id)).toBe(true);

    const { b: b2, entrant: poor } = await held('toll', 40, 500);
    await setCredits(t, poor.userId, 100);
    const cannot = await api(poor, 'POST', '/api/v1/player/move', { to: b2, toll: 'pay' });
    expect(cannot.status, cannot.text).toBe(200);
    expect(cannot.body.defenses.toll).toEqual({ amount: 500, paid: false });
    expect(cannot.body.defenses.fight).not.toBeNull();
    expect(cannot.body.player.credits).toBe(100);
  });

  it('offensive: fighters attack on entry; a weak trader is destroyed into an Escape Pod in FedSpace', async () => {
    const { b, owner, entrant } = await held('offensive', 500);
    await setShip(t, entrant.userId, { fighters: 2, shields: 0, ore: 10 });
    const moved = await api(entrant, 'POST', '/api/v1/player/move', { to: b });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.defenses.destroyed).toBe(true);
    const after = await state(entrant);
    expect(after.ship.hull).toBe('escape_pod');
    const fed = await t.region.selectFrom('sectors').select('fedspace').where('id', '=', after.player.sector_id).executeTakeFirstOrThrow();
    expect(fed.fedspace).toBe(true);
    expect(await t.region.selectFrom('wrecks').select('id').where('sector_id', '=', b).execute()).toHaveLength(1);
    expect((await ownerEvents(owner)).map((e) => e.result)).toContain('destroyed');
    // The kill counts for the owner on the kills leaderboard.
    const board = await api(owner, 'GET', '/api/v1/rankings/kills?per_page=100');
    expect(board.status, board.text).toBe(200);
    expect(board.body.entries).toContainEqual(expect.objectContaining({ name: owner.username, kills: 1 }));
    expect(board.body.entries.find((e: { name: string }) => e.name === entrant.username)).toBeUndefined();
  });

  it('defensive: no fight on entry; passing on is fought, retreating the way you came is not', async () => {
    const { a, b, c, entrant } = await held('defensive', 30);
    await setShip(t, entrant.userId, { fighters: 300, shields: 100 });
    const entered = await api(entrant, 'POST', '/api/v1/player/move', { to: b });
    expect(entered.status, entered.text).toBe(200);
    expect(entered.body.defenses).toBeUndefined();
    const retreat = await api(entrant, 'POST', '/api/v1/player/move', { to: a });
    expect(retreat.status, retreat.text).toBe(200);
    expect(retreat.body.defenses).toBeUndefined();
    expect((await stack(b, 'fighters'))!.quantity).toBe(30);

    await api(entrant, 'POST', '/api/v1/player/move', { to: b });
    const passOn = await api(entrant, 'POST', '/api/v1/player/move', { to: c });
    expect(passOn.status, passOn.text).toBe(200);
    expect(passOn.body.defenses.departure).not.toBeNull();
    expect((await stack(b, 'fighters'))!.quantity).toBe(30 - passOn.body.defenses.departure.defense_fighters_lost);
  });

  it('mines hit first, shields then fighters, and are used up', async () => {
    const p = path();
    const owner = await newPilot(t);
    const entrant = await newPilot(t);
    await placePilot(t, owner.userId, p.b);
    await placePilot(t, entrant.userId, p.a);
    const shipId = (await t.region.selectFrom('players').select('ship_id').where('user_id', '=', owner.userId).executeTakeFirstOrThrow()).ship_id;
    await t.region.updateTable('ships').set({ mines: 40 }).where('id', '=', shipId).execute();
    expect((await api(owner, 'POST', '/api/v1/defenses/mines', { quantity: 40 })).status).toBe(200);
    await setShip(t, entrant.userId, { fighters: 30, shields: 50 });
    const moved = await api(entrant, 'POST', '/api/v1/player/move', { to: p.b });
    expect(moved.status, moved.text).toBe(200);
    const [hit] = moved.body.defenses.mines;
    expect(hit.mines).toBeGreaterThan(0);
    expect(hit.shields_lost).toBe(Math.min(50, hit.mines * 10));
    const ship = (await state(entrant)).ship;
    expect(ship.shields).toBe(50 - hit.shields_lost);
    expect(ship.fighters).toBe(30 - hit.fighters_lost);
    expect((await stack(p.b, 'mines'))!.quantity).toBe(40 - hit.mines);
    expect(await ownerEvents(owner)).toEqual([expect.objectContaining({ kind: 'mines', lost: hit.mines })]);
  });

  it('teammates pass, and a team-owned stack lets the whole team pass', async () => {
    const { a, b, owner, entrant } = await held('offensive', 200);
    const team = await api(owner, 'POST', '/api/v1/teams', {
      name: `Team ${uniqueName()}`,
      tag: uniqueName('T')
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(-5),
    });
    expect(team.status, team.text).toBe(201);
    const invited = await api(owner, 'POST', `/api/v1/teams/${team.body.id}/invitations`, { pilot: entrant.username });
    expect(invited.status, invited.text).toBe(200);
    expect((await api(entrant, 'POST', `/api/v1/invitations/${invited.body.invitation_id}/accept`)).status).toBe(200);
    const moved = await api(entrant, 'POST', '/api/v1/player/move', { to: b });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.defenses).toBeUndefined();
    expect((await api(entrant, 'POST', '/api/v1/combat/attack-defenses', { fighters: 1 })).body.code).toBe('no_defenses');
    await placePilot(t, entrant.userId, a);
  });
});

describe('attacking deployed fighters', () => {
  it('takes losses off the stack, tells the owner, and refuses when nothing hostile is there', async () => {
    const { b, owner, entrant } = await held('defensive', 50);
    await setShip(t, entrant.userId, { fighters: 300, shields: 100 });
    await api(entrant, 'POST', '/api/v1/player/move', { to: b });
    const attack = await api(entrant, 'POST', '/api/v1/combat/attack-defenses', { fighters: 250 });
    expect(attack.status, attack.text).toBe(200);
    const { defense_fighters_lost, defenses_left, log_id } = attack.body.attack;
    expect(defense_fighters_lost + defenses_left).toBe(50);
    expect((await stack(b, 'fighters'))!.quantity).toBe(defenses_left);
    expect((await ownerEvents(owner)).some((e) => e.log_id === log_id)).toBe(true);
    const log = await api(entrant, 'GET', `/api/v1/combat/logs/${log_id}`);
    expect(log.body.your_side).toBe('attacker');

    const lone = await newPilot(t);
    await placePilot(t, lone.userId, path().b);
    expect((await api(lone, 'POST', '/api/v1/combat/attack-defenses', { fighters: 1 })).body.code).toBe('no_defenses');
    await placePilot(t, lone.userId, 1);
    expect((await api(lone, 'POST', '/api/v1/combat/attack-defenses', { fighters: 1 })).body.code).toBe('fedspace');
  });
});

describe('the autopilot near defenses', () => {
  it('stops before a known sector with hostile defenses, and at once when defenses fight it, saying why', async () => {
    const { a, b, c, entrant } = await held('offensive', 100);
    for (const s of [b, c, a]) await placePilot(t, entrant.userId, s);
    const stopped = await api(entrant, 'POST', '/api/v1/nav/autopilot', { to: c });
    expect(stopped.status, stopped.text).toBe(200);
    expect(stopped.body).toMatchObject({ hops: [], arrived: false, stopped_by: 'defenses_ahead', stopped_at: b });
    expect((await state(entrant)).player.sector_id).toBe(a);

    const toll = await held('toll', 100, 50);
    for (const s of [toll.b, toll.c, toll.a]) await placePilot(t, toll.entrant.userId, s);
    const tollStop = await api(toll.entrant, 'POST', '/api/v1/nav/autopilot', { to: toll.c });
    expect(tollStop.body).toMatchObject({ hops: [], stopped_by: 'toll_ahead', stopped_at: toll.b });

    // Defensive fighters where the pilot stands fight it as the autopilot passes on: it stops there.
    const guard = await held('defensive', 20);
    await setShip(t, guard.entrant.userId, { fighters: 300, shields: 100 });
    for (const s of [guard.c, guard.a]) await placePilot(t, guard.entrant.userId, s);
    expect((await api(guard.entrant, 'POST', '/api/v1/player/move', { to: guard.b })).status).toBe(200);
    const met = await api(guard.entrant, 'POST', '/api/v1/nav/autopilot', { to: guard.c });
    expect(met.status, met.text).toBe(200);
    expect(met.body).toMatchObject({ stopped_by: 'defenses_met', stopped_at: guard.b });
    expect(met.body.hops).toHaveLength(1);
  });
});
