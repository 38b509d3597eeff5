import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, uniqueName } from './harness.js';
import { hasPostgresServer } from './second-postgres.js';
import { createShards, holdings, ledgerMismatchesIn, type Shards } from './shards.js';
import { type RunningRole, spawnRole } from './spawn-role.js';

/**
 * The gate hand-off's fault proof (issue 20): Terran Space and the Central Nexus are shards on
 * two PostgreSQL servers, and the api process driving a crossing is killed with SIGKILL right
 * after each step in turn (GATE_FAULT makes it kill itself there, so the kill lands exactly at
 * the step), or the target's server is stopped mid-crossing. A sweeper process then recovers.
 * Whatever happened, every pilot ends in exactly one region, not in transit, and credits,
 * cargo and fighters are what they were, with the ledger equal to the balances in both shards.
 */
const run = promisify(execFile);
const { databaseUrl, redisUrl } = testBackends();
const SECRET = 'gate-handoff-test-secret-0123456789abcdef';
const STEPS = ['after_depart', 'after_apply', 'after_home', 'after_finalize'] as const;

let s: Shards;
let env: Record<string, string>;
let nexusApi: RunningRole;
const started: RunningRole[] = [];

async function api(region: 'terran' | 'nexus', extra: Record<string, string> = {}): Promise<RunningRole> {
  const role = await spawnRole('api', { ...env, REGION: region, ...extra });
  started.push(role);
  return role;
}

async function call(role: RunningRole, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${role.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

/** A signed-up player whose pilot waits at the Terran end of the gate with some cargo aboard. */
async function pilotAtGate(role: RunningRole): Promise<{ token: string; userId: string }> {
  const name = uniqueName('g');
  const signed = await call(role, 'POST', '/api/v1/auth/register', undefined, {
    username: name,
    email: `${name}@example.test`,
    password: 'correct horse battery',
  });
  expect(signed.status, signed.text).toBe(201);
  const token = signed.body.access_token as string;
  const state = await call(role, 'GET', '/api/v1/player/state', token);
  expect(state.status, state.text).toBe(200);
  const userId = signed.body.user.id as string;
  await s.terran.updateTable('players').set({ sector_id: s.gate.terran }).where('user_id', '=', userId).execute();
  await s.terran.updateTable('ships').set({ cargo_ore: 7, cargo_equipment: 3 }).where('owner_user_id', '=', userId).execute();
  return { token, userId };
}

/** One pass of the sweeper, as its own process (the jobs role running one window of gate-sweeper). */
async function sweep(): Promise<void> {
  const base = { ...process.env, ...env, REGION: 'terran', GATE_SWEEP_AFTER_MS: '1', LOG_LEVEL: 'warn' };
  await run(process.execPath, ['bin/sectorwars.js', 'jobs', '--once', 'gate-sweeper'], { env: base });
}

async function expectConserved(userIds: string[], before: Awaited<ReturnType<typeof holdings>>) {
  const after = await holdings(s, userIds);
  for (const [userId, places] of after.where) {
    expect(places, `pilot ${userId}`).toHaveLength(1);
    expect(places[0]!.transit, `pilot ${userId} still in transit`).toBe(false);
  }
  expect({ credits: after.credits, cargo: after.cargo, fighters: after.fighters }).toEqual({
    credits: before.credits,
    cargo: before.cargo,
    fighters: before.fighters,
  });
  expect(await ledgerMismatchesIn(s.terran)).toEqual([]);
  expect(await ledgerMismatchesIn(s.nexus)).toEqual([]);
  return after;
}

describe.skipIf(!databaseUrl || !hasPostgresServer)('the gate hand-off between two shards, under faults', () => {
  beforeAll(async () => {
    s = await createShards(databaseUrl!);
    env = {
      DATABASE_URL: s.accountsUrl,
      JWT_SECRET: SECRET,
      RATE_LIMITS: 'false',
      ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_PREFIX: `gates-${Date.now()}:` } : {}),
    };
    nexusApi = await spawnRole('api', { ...env, REGION: 'nexus' });
  }, 120_000);
  afterEach(async () => {
    await Promise.all(started.splice(0).map((r) => r.stop('SIGKILL')));
  });
  afterAll(async () => {
    await nexusApi?.stop('SIGKILL');
    await s?.close();
  });

  it('crosses and comes back: the pilot answers where it is and is sent there from anywhere else', async () => {
    const terranApi = await api('terran');
    const p = await pilotAtGate(terranApi);
    const before = await holdings(s, [p.userId]);
    // The autopilot stops at the gate: crossing into another shard is a hand-off, never a course's hop.
    await s.terran
      .insertInto('known_sectors')
      .values([s.gate.terran, s.gate.nexus].map((sector_id) => ({ user_id: p.userId, sector_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    const course = await call(terranApi, 'POST', '/api/v1/nav/autopilot', p.token, { to: s.gate.nexus });
    expect(course.status, course.text).toBe(200);
    expect(course.body).toMatchObject({ hops: [], arrived: false, stopped_by: 'region_gate', stopped_at: s.gate.terran });
    const feed = await call(terranApi, 'GET', '/api/v1/events', p.token);
    expect(feed.status, feed.text).toBe(200);
    const crossed = await call(terranApi, 'POST', '/api/v1/player/move', p.token, { to: s.gate.nexus });
    expect(crossed.status, crossed.text).toBe(200);
    // The events feed there goes on from the same cursor: one position per region.
    const arrived = await call(nexusApi, 'GET', `/api/v1/events?cursor=${feed.body.next_cursor}`, p.token);
    expect(arrived.status, arrived.text).toBe(200);
    expect(arrived.body.events.map((e: { type: string }) => e.type)).toContain('player.gate_arrived');
    const positions = JSON.parse(Buffer.from(arrived.body.next_cursor, 'base64url').toString()).p;
    expect(Object.keys(positions).sort()).toEqual(['nexus', 'terran']);
    expect(crossed.body).toMatchObject({
      region: { slug: 'nexus', base_path: '/r/nexus' },
      transfer: { state: 'arrived' },
      player: { sector_id: s.gate.nexus },
    });
    await expectConserved([p.userId], before);

    const wrong = await call(terranApi, 'GET', '/api/v1/player/state', p.token);
    expect(wrong.status, wrong.text).toBe(409);
    expect(wrong.body).toMatchObject({ code: 'wrong_region', region: { slug: 'nexus', base_path: '/r/nexus' } });
    const there = await call(nexusApi, 'GET', '/api/v1/player/state', p.token);
    expect(there.status, there.text).toBe(200);
    expect(there.body.player.sector_id).toBe(s.gate.nexus);
    expect(there.body.ship.cargo).toMatchObject({ ore: 7, equipment: 3 });

    const back = await call(nexusApi, 'POST', '/api/v1/player/move', p.token, { to: s.gate.terran });
    expect(back.status, back.text).toBe(200);
    expect(back.body.region.slug).toBe('terran');
    expect((await call(terranApi, 'GET', '/api/v1/player/state', p.token)).status).toBe(200);
    expect((await call(nexusApi, 'GET', '/api/v1/player/state', p.token)).body.code).toBe('wrong_region');
    await expectConserved([p.userId], before);
    // A player who never played starts in Terran Space, whichever region it first asks.
    const name = uniqueName('n');
    const fresh = await call(nexusApi, 'POST', '/api/v1/auth/register', undefined, {
      username: name,
      email: `${name}@example.test`,
      password: 'correct horse battery',
    });
    const first = await call(nexusApi, 'GET', '/api/v1/player/state', fresh.body.access_token);
    expect(first.body).toMatchObject({ code: 'wrong_region', region: { slug: 'terran' } });
  }, 60_000);

  for (const step of STEPS) {
    it(`recovers a crossing whose driver was killed -9 ${step.replace('_', ' ')}`, async () => {
      const driver = await api('terran', { GATE_FAULT: step });
      const p = await pilotAtGate(driver);
      const before = await holdings(s, [p.userId]);
      const exited = new Promise((resolve) => driver.child.once('exit', (_code, signal) => resolve(signal)));
      await expect(call(driver, 'POST', '/api/v1/player/move', p.token, { to: s.gate.nexus })).rejects.toThrow();
      expect(await exited).toBe('SIGKILL');
      if (step !== 'after_finalize') {
        const stuck = await holdings(s, [p.userId]);
        expect(stuck.where.get(p.userId)!.some((place) => place.region === 'terran' && place.transit)).toBe(true);
      }
      await sweep();
      const after = await expectConserved([p.userId], before);
      expect(after.where.get(p.userId)).toEqual([{ region: 'nexus', transit: false }]);
      const home = await s.accounts.selectFrom('pilot_homes').select('region_id').where('user_id', '=', p.userId).executeTakeFirstOrThrow();
      expect(home.region_id).toBe(2);
      expect((await call(nexusApi, 'GET', '/api/v1/player/state', p.token)).status).toBe(200);
    }, 90_000);
  }

  it('keeps a pilot in transit while the target database is down, and lands it once it is back', async () => {
    const terranApi = await api('terran');
    const p = await pilotAtGate(terranApi);
    const before = await holdings(s, [p.userId]);
    await s.second.pause();
    try {
      const crossing = await call(terranApi, 'POST', '/api/v1/player/move', p.token, { to: s.gate.nexus });
      expect(crossing.status, crossing.text).toBe(202);
      expect(crossing.body).toMatchObject({ transfer: { state: 'in_transit' }, region: { slug: 'nexus' } });
      const meanwhile = await call(terranApi, 'POST', '/api/v1/player/move', p.token, { to: s.gate.nexus });
      expect(meanwhile.body.code, meanwhile.text).toBe('in_transit');
      await sweep();
      const frozen = await s.terran.selectFrom('players').select('transit_id').where('user_id', '=', p.userId).executeTakeFirstOrThrow();
      expect(frozen.transit_id).toBe(crossing.body.transfer.id);
    } finally {
      await s.second.resume();
    }
    await sweep();
    await expectConserved([p.userId], before);
    expect((await holdings(s, [p.userId])).where.get(p.userId)).toEqual([{ region: 'nexus', transit: false }]);
  }, 90_000);

  it('rolls a crossing back when the target refuses it, leaving the pilot where it was with everything', async () => {
    const terranApi = await api('terran');
    const p = await pilotAtGate(terranApi);
    const before = await holdings(s, [p.userId]);
    await s.accounts.updateTable('region_registry').set({ state: 'stopped' }).where('slug', '=', 'nexus').execute();
    try {
      const refused = await call(terranApi, 'POST', '/api/v1/player/move', p.token, { to: s.gate.nexus });
      expect(refused.status, refused.text).toBe(503);
      expect(refused.body.code).toBe('region_unavailable');
    } finally {
      await s.accounts.updateTable('region_registry').set({ state: 'active' }).where('slug', '=', 'nexus').execute();
    }
    const after = await expectConserved([p.userId], before);
    expect(after.where.get(p.userId)).toEqual([{ region: 'terran', transit: false }]);
    const tombstone = await s.nexus.selectFrom('gate_transfers').select('state').where('user_id', '=', p.userId).executeTakeFirstOrThrow();
    expect(tombstone.state).toBe('refused');
  }, 60_000);

  for (const step of STEPS) {
    it(`recovers 50 pilots crossing at once when the driver dies ${step.replace('_', ' ')}`, async () => {
      const setup = await api('terran');
      const pilots = await Promise.all(Array.from({ length: 50 }, () => pilotAtGate(setup)));
      await setup.stop();
      const ids = pilots.map((p) => p.userId);
      const before = await holdings(s, ids);
      const driver = await api('terran', { GATE_FAULT: step });
      const answers = await Promise.allSettled(pilots.map((p) => call(driver, 'POST', '/api/v1/player/move', p.token, { to: s.gate.nexus })));
      expect(answers.some((a) => a.status === 'rejected')).toBe(true);
      await sweep();
      // Crossings the dead process never began are not transfers: those pilots are still at the gate.
      const after = await expectConserved(ids, before);
      const landed = [...after.where.values()].filter((places) => places[0]!.region === 'nexus').length;
      expect(landed).toBeGreaterThan(0);
      const restart = await api('terran');
      const rest = pilots.filter((p) => after.where.get(p.userId)![0]!.region === 'terran');
      const again = await Promise.all(rest.map((p) => call(restart, 'POST', '/api/v1/player/move', p.token, { to: s.gate.nexus })));
      expect(again.map((a) => a.status)).toEqual(rest.map(() => 200));
      const all = await expectConserved(ids, before);
      expect([...all.where.values()].every((places) => places[0]!.region === 'nexus')).toBe(true);
    }, 120_000);
  }
});
