import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SCOPES } from '../platform/admin-scopes.js';
import { type RealtimeServer, startRealtimeServer } from '../realtime/server.js';
import { checkConnectivity, hopDistances } from '../game/connectivity.js';
import { galaxyVersion, warpGraph } from '../world/warp-graph.js';
import { sectorAtlas } from '../world/atlas.js';
import { type TestAdmin, signInAdmin } from './admin-helpers.js';
import { ledgerMismatches } from './game-helpers.js';
import { createTestApp, registerPlayer, testBackends, type TestApp } from './harness.js';
import { openRealtime } from './realtime-client.js';

let t: TestApp;
let rt: RealtimeServer;
let root: TestAdmin;
beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMITS: 'false', REDIS_PREFIX: `${testBackends().redisPrefix}admu-${randomBytes(3).toString('hex')}:` } });
  rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0 });
  root = await signInAdmin(t, [...ADMIN_SCOPES]);
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

const auditRows = (action: string, target: string) =>
  t.accounts.selectFrom('admin_audit').selectAll().where('action', '=', action).where('target_id', '=', target).orderBy('id').execute();
const auditCount = async () => (await t.accounts.selectFrom('admin_audit').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
const call = async (as: TestAdmin, method: string, path: string, body?: unknown, totp = false) =>
  t.call(method, `/api/v1/admin/universe${path}`, {
    token: as.token,
    ...(body !== undefined ? { body } : {}),
    ...(totp ? { headers: { 'x-totp-code': await as.code() } } : {}),
  });
const warpsOf = async (sectorId: number) =>
  (await t.region.selectFrom('warps').select('to_sector_id').where('from_sector_id', '=', sectorId).orderBy('to_sector_id').execute()).map(
    (w) => w.to_sector_id,
  );
const warpCount = async () => (await t.region.selectFrom('warps').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

describe('the universe admin API', () => {
  it('refuses a player, an admin without admin:universe and an admin without the second factor, and changes nothing', async () => {
    const player = await registerPlayer(t);
    const lacking = await signInAdmin(
      t,
      ADMIN_SCOPES.filter((s) => s !== 'admin:universe'),
    );
    const noFactor = await signInAdmin(t, [...ADMIN_SCOPES]);
    const before = await auditCount();
    const warps = await warpCount();
    const routes: Array<[string, string, unknown]> = [
      ['POST', '/generate/preview', { terran_sectors: 40, nexus_sectors: 0 }],
      ['POST', '/regions/preview', { name: 'Nope', slug: 'nope', sectors: 20 }],
      ['POST', '/regions', { name: 'Nope', slug: 'nope', sectors: 20, reason: 'testing the gate' }],
      ['POST', '/sectors/2/warps', { add: [50], reason: 'testing the gate' }],
      ['POST', '/ports/2', { goods: [{ good: 'ore', stock: 1 }], reason: 'testing the gate' }],
      ['POST', '/planets/1', { name: 'Nope', reason: 'testing the gate' }],
    ];
    for (const [method, path, body] of routes) {
      for (const [who, token, code] of [
        ['player', player.token, 'insufficient_scope'],
        ['no scope', lacking.token, 'insufficient_scope'],
        ['no second factor', noFactor.playerToken, 'second_factor_required'],
      ] as const) {
        const res = await t.call(method, `/api/v1/admin/universe${path}`, { token, body, headers: { 'x-totp-code': await noFactor.code() } });
        expect([who, path, res.status, res.body.code]).toEqual([who, path, 403, code]);
      }
    }
    // A reader sees; without a fresh code a change is refused.
    const reader = await signInAdmin(t, ['admin:read']);
    expect((await call(reader, 'GET', '/sectors/1/warps')).status).toBe(200);
    const noCode = await call(root, 'POST', '/sectors/2/warps', { add: [50], reason: 'no code sent' });
    expect([noCode.status, noCode.body.code]).toEqual([403, 'totp_required']);
    expect(await auditCount()).toBe(before);
    expect(await warpCount()).toBe(warps);
  }, 60_000);

  it('previews a galaxy: sizes, ports by class, the connectivity proof and the best pairs near sector 1; nothing written', async () => {
    const galaxyBefore = await t.region.selectFrom('galaxy').selectAll().executeTakeFirstOrThrow();
    const res = await call(root, 'POST', '/generate/preview', { seed: 'preview-1', terran_sectors: 120, nexus_sectors: 60 });
    expect(res.status).toBe(200);
    expect(res.body.sectors).toBe(180);
    expect(res.body.regions.map((r: { sectors: number }) => r.sectors)).toEqual([120, 60]);
    expect(res.body.connectivity).toEqual({ strongly_connected: true, unreachable_from_start: 0, cannot_reach_start: 0 });
    expect(res.body.ports_by_class['0']).toBe(1); // Earth Station
    expect(res.body.ports_by_class['9']).toBe(1); // the Stardock
    expect(res.body.best_near_pairs.length).toBeGreaterThan(0);
    expect(res.body.best_near_pairs[0].profit_per_turn).toBeGreaterThan(0);
    // The same parameters preview the same galaxy.
    const again = await call(root, 'POST', '/generate/preview', { seed: 'preview-1', terran_sectors: 120, nexus_sectors: 60 });
    expect(again.body).toEqual(res.body);
    expect(await t.region.selectFrom('galaxy').selectAll().executeTakeFirstOrThrow()).toEqual(galaxyBefore);
    const bad = await call(root, 'POST', '/generate/preview', { terran_sectors: 5, nexus_sectors: 0 });
    expect([bad.status, bad.body.code]).toEqual([422, 'validation_failed']);
  });

  it('refuses a warp edit that would strand a sector, and changes nothing', async () => {
    // Cut every warp out of a sector: it could no longer reach sector 1.
    const sector = 30;
    const out = await warpsOf(sector);
    expect(out.length).toBeGreaterThan(0);
    const before = await auditCount();
    const revision = (await t.region.selectFrom('galaxy').select('map_revision').executeTakeFirstOrThrow()).map_revision;
    const res = await call(root, 'POST', `/sectors/${sector}/warps`, { remove: out, reason: 'cut the sector off' }, true);
    expect([res.status, res.body.code]).toEqual([409, 'breaks_connectivity']);
    expect(res.body.cannot_reach_start).toBeGreaterThanOrEqual(1);
    expect(await warpsOf(sector)).toEqual(out);
    expect(await auditCount()).toBe(before);
    expect((await t.region.selectFrom('galaxy').select('map_revision').executeTakeFirstOrThrow()).map_revision).toBe(revision);
    // Ill-formed edits are refused as such.
    const self = await call(root, 'POST', `/sectors/${sector}/warps`, { add: [sector], reason: 'a loop onto itself' }, true);
    expect([self.status, self.body.code]).toEqual([422, 'invalid_warp_edit']);
    const missing = await call(root, 'POST', `/sectors/${sector}/warps`, { add: [999_999], reason: 'nowhere at all' }, true);
    expect([missing.status, missing.body.code]).toEqual([404, 'sector_not_found']);
    const there = await call(root, 'POST', `/sectors/${sector}/warps`, { add: [out[0]], reason: 'already there' }, true);
    expect([there.status, there.body.code]).toEqual([409, 'warp_exists']);
    expect(await auditCount()).toBe(before);
  });

  it('adds and removes warps, writes one audit row with before and after, and every map cache reads the edit', async () => {
    const sector = 12;
    const out = await warpsOf(sector);
    const far = (await t.region.selectFrom('sectors').select('id').where('region_id', '=', 1).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    expect(out).not.toContain(far);
    const graphBefore = await warpGraph(t.region);
    const targetsOf = (g: typeof graphBefore, v: number) => Array.from(g.targets.subarray(g.offsets[v]!, g.offsets[v + 1]!));
    expect(targetsOf(graphBefore, sector)).not.toContain(far);
    const versionBefore = await galaxyVersion(t.region);

    const res = await call(root, 'POST', `/sectors/${sector}/warps`, { add: [far], two_way: true, reason: 'a shortcut for the event' }, true);
    expect(res.status).toBe(200);
    expect(res.body.after.out).toEqual([...out, far].sort((a, b) => a - b));
    expect(await warpsOf(sector)).toEqual([...out, far].sort((a, b) => a - b));
    expect(await warpsOf(far)).toContain(sector);
    const rows = await auditRows('universe.warps', String(sector));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.before).toEqual({ out });
    expect(rows[0]!.after).toMatchObject({
      out: res.body.after.out,
      added: [
        { from: sector, to: far },
        { from: far, to: sector },
      ],
      removed: [],
    });
    expect(rows[0]!.reason).toBe('a shortcut for the event');
    expect(rows[0]!.actor_id).toBe(root.userId);

    // The map revision moved, so the per-process warp graph is read again and has the new warp.
    expect(await galaxyVersion(t.region)).not.toBe(versionBefore);
    const graphAfter = await warpGraph(t.region);
    expect(graphAfter).not.toBe(graphBefore);
    expect(targetsOf(graphAfter, sector)).toContain(far);
    expect(targetsOf(graphAfter, far)).toContain(sector);

    // And taken away again (one way only this time): the way back stays.
    const back = await call(root, 'POST', `/sectors/${sector}/warps`, { remove: [far], reason: 'the event is over' }, true);
    expect(back.status).toBe(200);
    expect(back.body.after.out).toEqual(out);
    expect(back.body.after.map_revision).toBe(res.body.after.map_revision + 1);
    expect(await warpsOf(far)).toContain(sector);
    expect(targetsOf(await warpGraph(t.region), sector)).not.toContain(far);
    expect(await auditRows('universe.warps', String(sector))).toHaveLength(2);
  });

  it('edits a port: class, stock through the applier, capacity; one audit row; the atlas follows the class', async () => {
    const port = await t.region
      .selectFrom('ports')
      .select(['id', 'sector_id', 'port_class'])
      .where('port_class', '=', 1)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const goods = await t.region.selectFrom('port_goods').selectAll().where('port_id', '=', port.id).orderBy('good').execute();
    const ore = goods.find((g) => g.good === 'ore')!;
    expect(ore.mode).toBe('buy'); // class 1 is BBS
    const atlasBefore = await sectorAtlas(t.region);
    expect(atlasBefore.portClass[port.sector_id]).toBe(1);

    const res = await call(
      root,
      'POST',
      `/ports/${port.id}`,
      { port_class: 7, goods: [{ good: 'ore', capacity: ore.capacity + 500, stock: ore.capacity + 400 }], reason: 'an ore rush in this sector' },
      true,
    );
    expect(res.status).toBe(200);
    expect(res.body.after.port_class).toBe(7);
    const after = await t.region.selectFrom('port_goods').selectAll().where('port_id', '=', port.id).orderBy('good').execute();
    expect(after.map((g) => g.mode)).toEqual(['sell', 'sell', 'sell']); // class 7 is SSS
    const oreAfter = after.find((g) => g.good === 'ore')!;
    expect([oreAfter.stock, oreAfter.capacity]).toEqual([ore.capacity + 400, ore.capacity + 500]);
    expect((await t.region.selectFrom('ports').select('port_class').where('id', '=', port.id).executeTakeFirstOrThrow()).port_class).toBe(7);
    const rows = await auditRows('universe.port', String(port.id));
    expect(rows).toHaveLength(1);
    expect((rows[0]!.before as { port_class: number }).port_class).toBe(1);
    expect((rows[0]!.after as { port_class: number }).port_class).toBe(7);
    expect((rows[0]!.after as { goods: Array<{ good: string; stock: number }> }).goods.find((g) => g.good === 'ore')!.stock).toBe(ore.capacity + 400);
    expect((await sectorAtlas(t.region)).portClass[port.sector_id]).toBe(7);
    const read = await call(root, 'GET', `/ports/${port.id}`);
    expect([read.status, read.body.port_class, read.body.goods.find((g: { good: string }) => g.good === 'ore').stock]).toEqual([200, 7, ore.capacity + 400]);

    // Shrinking the capacity below the stock brings the stock down with it; a stock above it is refused.
    const shrink = await call(root, 'POST', `/ports/${port.id}`, { goods: [{ good: 'ore', capacity: 100 }], reason: 'the rush is over' }, true);
    expect(shrink.status).toBe(200);
    const oreShrunk = await t.region.selectFrom('port_goods').selectAll().where('port_id', '=', port.id).where('good', '=', 'ore').executeTakeFirstOrThrow();
    expect([oreShrunk.stock, oreShrunk.capacity]).toEqual([100, 100]);
    const over = await call(root, 'POST', `/ports/${port.id}`, { goods: [{ good: 'ore', stock: 101 }], reason: 'more than fits' }, true);
    expect([over.status, over.body.code]).toEqual([422, 'invalid_port_edit']);
    const earth = await call(root, 'POST', '/ports/1', { port_class: 3, reason: 'Earth Station is special' }, true);
    expect([earth.status, earth.body.code]).toEqual([422, 'invalid_port_edit']);
    expect(await auditRows('universe.port', String(port.id))).toHaveLength(2);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('renames a planet and changes its type, with one audit row', async () => {
    const planet = await t.region.selectFrom('planets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    const type = planet.planet_type === 'glacial' ? 'desert' : 'glacial';
    const res = await call(root, 'POST', `/planets/${planet.id}`, { name: 'Hoth Prime', planet_type: type, reason: 'named for the winter event' }, true);
    expect(res.status).toBe(200);
    expect(res.body.after).toMatchObject({ id: planet.id, name: 'Hoth Prime', planet_type: type });
    const rows = await auditRows('universe.planet', String(planet.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.before).toEqual({ name: planet.name, planet_type: planet.planet_type });
    expect(rows[0]!.after).toEqual({ name: 'Hoth Prime', planet_type: type });
    const bad = await call(root, 'POST', `/planets/${planet.id}`, { planet_type: 'plasma', reason: 'no such type' }, true);
    expect([bad.status, bad.body.code]).toEqual([422, 'validation_failed']);
    const none = await call(root, 'POST', '/planets/999999', { name: 'Nowhere', reason: 'no such planet' }, true);
    expect([none.status, none.body.code]).toEqual([404, 'not_found']);
  });
});

// Last: it replaces the galaxy the other tests edit.
describe('generating a galaxy', () => {
  it('commits in the background, streams progress to an admin socket only, and refuses once a pilot plays', async () => {
    const adminSocket = await openRealtime(t, rt.port, root.token);
    const welcome = await adminSocket.waitForType('welcome');
    expect(welcome.data.topics).toContain('admin');
    // A player's socket, and an admin's socket from a session without the second factor, never hear the admin topic.
    const player = await registerPlayer(t);
    const playerSocket = await openRealtime(t, rt.port, player.token);
    expect((await playerSocket.waitForType('welcome')).data.topics).not.toContain('admin');
    const halfAdmin = await signInAdmin(t, [...ADMIN_SCOPES]);
    const halfSocket = await openRealtime(t, rt.port, halfAdmin.playerToken);
    expect((await halfSocket.waitForType('welcome')).data.topics).not.toContain('admin');
    // Nor can a client ask for a topic: there is no subscribe frame.
    playerSocket.send({ type: 'subscribe', topic: 'admin', ref: 's1' });
    const refused = await playerSocket.waitFor((f) => f.type === 'error' && f.data?.ref === 's1', 'the refusal of subscribe');
    expect(refused.data.code).toBe('unknown_type');

    const pilots = await t.region.selectFrom('players').select('user_id').where('npc', '=', false).execute();
    expect(pilots).toEqual([]);
    const before = await auditCount();
    const res = await call(root, 'POST', '/generate/commit', { seed: 'admin-made', terran_sectors: 150, nexus_sectors: 50, reason: 'a fresh season' }, true);
    expect(res.status).toBe(202);
    const jobId = res.body.job.id;
    expect(res.body.job).toMatchObject({ state: 'running', seed: 'admin-made' });
    expect(res.body.audit).toMatchObject({ action: 'universe.generate', target_id: jobId, reason: 'a fresh season' });
    expect(res.body.audit.after).toMatchObject({ seed: 'admin-made', sectors: 200 });
    expect(res.body.audit.before).toMatchObject({ seed: 'sectorwars-tests', sectors: 260 });
    expect(await auditCount()).toBe(before + 1);

    const done = await adminSocket.waitFor((f) => f.type === 'admin.generate.done' && f.data.job_id === jobId, 'the done event', 20_000);
    expect(done.topic).toBe('admin');
    expect(done.data).toMatchObject({ seed: 'admin-made', sectors: 200 });
    const progress = adminSocket.of('admin.generate.progress').filter((f) => f.data.job_id === jobId);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((f) => f.data.table === 'sectors' && f.data.written === 200 && f.data.total === 200)).toBe(true);
    expect(progress.every((f) => typeof f.id === 'number')).toBe(true);
    // Only the admin heard it.
    expect(playerSocket.frames.filter((f) => f.type.startsWith('admin.'))).toEqual([]);
    expect(halfSocket.frames.filter((f) => f.type.startsWith('admin.'))).toEqual([]);

    const job = await call(root, 'GET', `/generate/jobs/${jobId}`);
    expect(job.body).toMatchObject({ id: jobId, state: 'done', error: null });
    const galaxy = await t.region.selectFrom('galaxy').selectAll().executeTakeFirstOrThrow();
    expect([galaxy.seed, galaxy.sector_count, galaxy.map_revision]).toEqual(['admin-made', 200, 0]);
    expect((await t.region.selectFrom('sectors').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n).toBe(200);
    // The map caches follow the new generation.
    expect((await warpGraph(t.region)).nodeCount).toBe(201);

    // Once someone plays, a commit is refused and nothing changes.
    const state = await t.call('GET', '/api/v1/player/state', { token: player.token });
    expect(state.status).toBe(200);
    const again = await call(root, 'POST', '/generate/commit', { seed: 'too-late', terran_sectors: 50, nexus_sectors: 0, reason: 'another season' }, true);
    expect([again.status, again.body.code]).toEqual([409, 'pilots_exist']);
    expect((await t.region.selectFrom('galaxy').select('seed').executeTakeFirstOrThrow()).seed).toBe('admin-made');
    expect(await auditCount()).toBe(before + 1);
    const unknown = await call(root, 'GET', `/generate/jobs/${randomUUID()}`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'job_not_found']);
    adminSocket.close();
    playerSocket.close();
    halfSocket.close();
  }, 60_000);
});

// After the galaxy commit: a pilot is playing now, and a region is added around them.
describe('adding a region', () => {
  const params = { name: 'Outer Rim', slug: 'outer-rim', sectors: 40, seed: 'rim-1' };
  const allWarps = async () =>
    (await t.region.selectFrom('warps').select(['from_sector_id', 'to_sector_id', 'gate']).execute()).map((w) => ({
      from: w.from_sector_id,
      to: w.to_sector_id,
      gate: w.gate,
    }));

  it('previews the region in the galaxy preview’s shape, after the galaxy’s ids; nothing written', async () => {
    const galaxy = await t.region.selectFrom('galaxy').selectAll().executeTakeFirstOrThrow();
    const res = await call(root, 'POST', '/regions/preview', params);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      params: { ...params, portDensity: 0.15 },
      sectors: 40,
      regions: [{ id: 3, slug: 'outer-rim', name: 'Outer Rim', sectors: 40 }],
      connectivity: { strongly_connected: true, unreachable_from_start: 0, cannot_reach_start: 0 },
    });
    expect(res.body.gate.inside).toBeGreaterThan(galaxy.sector_count);
    const nexus = await t.region.selectFrom('sectors').select('region_id').where('id', '=', res.body.gate.outside).executeTakeFirstOrThrow();
    expect(nexus.region_id).toBe(2);
    expect(Object.keys(res.body.ports_by_class).every((c) => Number(c) >= 1 && Number(c) <= 8)).toBe(true);
    expect(Array.isArray(res.body.best_near_pairs)).toBe(true);
    expect((await call(root, 'POST', '/regions/preview', params)).body).toEqual(res.body);
    expect(await t.region.selectFrom('galaxy').selectAll().executeTakeFirstOrThrow()).toEqual(galaxy);
    const taken = await call(root, 'POST', '/regions/preview', { ...params, slug: 'nexus' });
    expect([taken.status, taken.body.code]).toEqual([409, 'slug_taken']);
    for (const bad of [
      { ...params, slug: 'Outer Rim' },
      { ...params, sectors: 5 },
      { ...params, sectors: 20_001 },
      { ...params, name: undefined },
    ]) {
      const refused = await call(root, 'POST', '/regions/preview', bad);
      expect([refused.status, refused.body.code]).toEqual([422, 'validation_failed']);
    }
  });

  it('adds the region while a pilot plays: gate-joined to the Nexus, reachable from sector 1, the pilot untouched, one audit row', async () => {
    const player = await registerPlayer(t);
    expect((await t.call('GET', '/api/v1/player/state', { token: player.token })).status).toBe(200);
    const pilotBefore = await t.region.selectFrom('players').selectAll().where('user_id', '=', player.userId).executeTakeFirstOrThrow();
    const shipBefore = await t.region.selectFrom('ships').selectAll().where('owner_user_id', '=', player.userId).execute();
    const galaxyBefore = await t.region.selectFrom('galaxy').selectAll().executeTakeFirstOrThrow();
    const portsBefore = (await t.region.selectFrom('ports').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
    const socket = await openRealtime(t, rt.port, root.token);
    await socket.waitForType('welcome');
    const before = await auditCount();

    const noCode = await call(root, 'POST', '/regions', { ...params, reason: 'no code sent' });
    expect([noCode.status, noCode.body.code]).toEqual([403, 'totp_required']);
    const res = await call(root, 'POST', '/regions', { ...params, reason: 'the rim opens for the season' }, true);
    expect(res.status).toBe(202);
    const jobId = res.body.job.id;
    expect(res.body.audit).toMatchObject({ action: 'universe.region', target_id: 'outer-rim', reason: 'the rim opens for the season' });
    expect(await auditCount()).toBe(before + 1);
    const done = await socket.waitFor((f) => f.type === 'admin.generate.done' && f.data.job_id === jobId, 'the done event', 20_000);
    expect(done.data).toMatchObject({ seed: 'rim-1', sectors: 40, region_id: 3 });
    expect(socket.of('admin.generate.progress').some((f) => f.data.job_id === jobId && f.data.table === 'sectors' && f.data.written === 40)).toBe(true);
    expect((await call(root, 'GET', `/generate/jobs/${jobId}`)).body).toMatchObject({ state: 'done', error: null });

    const first = galaxyBefore.sector_count + 1;
    const last = galaxyBefore.sector_count + 40;
    const region = await t.region.selectFrom('regions').selectAll().where('slug', '=', 'outer-rim').executeTakeFirstOrThrow();
    expect(region).toMatchObject({ id: 3, name: 'Outer Rim', first_sector_id: first, last_sector_id: last, capital_sector_id: first });
    const galaxy = await t.region.selectFrom('galaxy').selectAll().executeTakeFirstOrThrow();
    expect([galaxy.seed, galaxy.sector_count, galaxy.map_revision]).toEqual([galaxyBefore.seed, last, galaxyBefore.map_revision + 1]);
    // The gate, both ways, to a Nexus sector; the whole galaxy is still strongly connected.
    const warps = await allWarps();
    const gates = warps.filter((w) => w.gate && (w.from >= first || w.to >= first));
    expect(gates).toHaveLength(2);
    const outside = gates.find((g) => g.to >= first)!.from;
    expect((await t.region.selectFrom('sectors').select('region_id').where('id', '=', outside).executeTakeFirstOrThrow()).region_id).toBe(2);
    expect(checkConnectivity(last, warps).connected).toBe(true);
    // Every process's warp graph reads the new sectors: each is a course away from sector 1, and back.
    const graph = await warpGraph(t.region);
    const out = hopDistances(graph, 1);
    expect(Array.from({ length: 40 }, (_, i) => out[first + i]!).every((h) => h > 0)).toBe(true);
    const map = await call(root, 'GET', '/map');
    expect(map.status).toBe(200);
    expect(map.body.sectors.id).toHaveLength(last);
    expect(map.body.regions.map((r: { slug: string }) => r.slug)).toEqual(['terran', 'nexus', 'outer-rim']);
    expect(Math.min(...map.body.sectors.x.slice(first - 1))).toBeGreaterThan(Math.max(...map.body.sectors.x.slice(0, first - 1)));
    expect(map.body.playing_pilots).toBeGreaterThan(0);
    const newPorts = await t.region.selectFrom('ports').select(['id', 'sector_id', 'region_id']).where('sector_id', '>=', first).execute();
    expect(newPorts.every((p) => p.region_id === 3 && p.id > portsBefore)).toBe(true);

    // The pilot is where and what they were.
    expect(await t.region.selectFrom('players').selectAll().where('user_id', '=', player.userId).executeTakeFirstOrThrow()).toEqual(pilotBefore);
    expect(await t.region.selectFrom('ships').selectAll().where('owner_user_id', '=', player.userId).execute()).toEqual(shipBefore);
    expect((await t.call('GET', '/api/v1/player/state', { token: player.token })).status).toBe(200);

    // The slug is taken now; nothing more is written or audited.
    const again = await call(root, 'POST', '/regions', { ...params, reason: 'the rim again' }, true);
    expect([again.status, again.body.code]).toEqual([409, 'slug_taken']);
    expect(await auditCount()).toBe(before + 1);
    expect((await t.region.selectFrom('galaxy').select('sector_count').executeTakeFirstOrThrow()).sector_count).toBe(last);
    socket.close();
  }, 60_000);
});
