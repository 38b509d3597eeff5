import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPilot } from './game-helpers.js';
import { createTestApp, uniqueName, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the shared known-sector map', () => {
  it("a teammate's discovery is on the map and plottable for the others at once, and not for outsiders", async () => {
    const [scout, mate, outsider] = [await newPilot(t), await newPilot(t), await newPilot(t)];
    const team = await t.call('POST', '/api/v1/teams', { token: scout.token, body: { name: `Map ${uniqueName()}`, tag: `M${uniqueName('').slice(1, 5)}` } });
    expect(team.status, team.text).toBe(201);
    const inv = await t.call('POST', `/api/v1/teams/${team.body.id}/invitations`, { token: scout.token, body: { pilot: mate.username } });
    await t.call('POST', `/api/v1/invitations/${inv.body.invitation_id}/accept`, { token: mate.token });

    // A sector one warp from the start that nobody knows yet, and one beyond it.
    const start = (await t.call('GET', '/api/v1/player/state', { token: scout.token })).body.player.sector_id as number;
    const exits = await t.region.selectFrom('warps').select('to_sector_id').where('from_sector_id', '=', start).orderBy('to_sector_id').execute();
    const next = exits[0]!.to_sector_id;
    const beyond = await t.region
      .selectFrom('warps')
      .select('to_sector_id')
      .where('from_sector_id', '=', next)
      .where('to_sector_id', '!=', start)
      .orderBy('to_sector_id')
      .executeTakeFirstOrThrow();

    for (const p of [mate, outsider]) {
      const before = await t.call('GET', `/api/v1/nav/plot?to=${next}`, { token: p.token });
      expect([before.status, before.body.code]).toEqual([404, 'no_route']);
      expect((await t.call('GET', `/api/v1/sectors/${next}`, { token: p.token })).status).toBe(404);
    }

    const moved = await t.call('POST', '/api/v1/player/move', { token: scout.token, body: { to: next } });
    expect(moved.status, moved.text).toBe(200);

    const plotted = await t.call('GET', `/api/v1/nav/plot?to=${next}`, { token: mate.token });
    expect(plotted.status, plotted.text).toBe(200);
    expect(plotted.body.path).toEqual([start, next]);
    const map = await t.call('GET', '/api/v1/player/map', { token: mate.token });
    expect(map.body.sectors.map((s: { id: number }) => s.id)).toContain(next);
    expect(map.body.warps).toContainEqual({ from: next, to: beyond.to_sector_id });
    // what the map says of it is the sector as stored, and when the scout saw it, to the millisecond
    const stored = await t.region.selectFrom('sectors').select(['x', 'y', 'region_id', 'zone', 'fedspace']).where('id', '=', next).executeTakeFirstOrThrow();
    const sighting = await t.region
      .selectFrom('known_sectors')
      .select('last_seen_at')
      .where('user_id', '=', scout.userId)
      .where('sector_id', '=', next)
      .executeTakeFirstOrThrow();
    expect(map.body.sectors.find((s: { id: number }) => s.id === next)).toMatchObject({
      ...stored,
      last_seen_at: new Date(sighting.last_seen_at).toISOString(),
    });
    const seen = await t.call('GET', `/api/v1/sectors/${next}`, { token: mate.token });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id: next, live: false });

    // The mate can fly the course the scout found.
    const flown = await t.call('POST', '/api/v1/nav/autopilot', { token: mate.token, body: { to: next } });
    expect(flown.status, flown.text).toBe(200);
    expect(flown.body.arrived).toBe(true);

    expect((await t.call('GET', `/api/v1/nav/plot?to=${next}`, { token: outsider.token })).status).toBe(404);
    const outsiderMap = await t.call('GET', '/api/v1/player/map', { token: outsider.token });
    expect(outsiderMap.body.sectors.map((s: { id: number }) => s.id)).not.toContain(next);

    // Leaving the team takes the shared map away.
    expect((await t.call('POST', `/api/v1/teams/${team.body.id}/leave`, { token: mate.token })).status).toBe(200);
    expect((await t.call('POST', '/api/v1/player/move', { token: scout.token, body: { to: beyond.to_sector_id } })).status).toBe(200);
    expect((await t.call('GET', `/api/v1/nav/plot?to=${beyond.to_sector_id}`, { token: mate.token })).status).toBe(404);
  });

  it('counts the planets in each known sector as they stand now, and which are the viewer’s', async () => {
    const [viewer, other] = [await newPilot(t), await newPilot(t)];
    const start = (await t.call('GET', '/api/v1/player/state', { token: viewer.token })).body.player.sector_id as number;
    const planet = (owner: string | null, name: string) => ({
      sector_id: start,
      region_id: 1,
      name,
      planet_type: 'desert',
      owner_user_id: owner,
      anchor_at: new Date(),
    });
    const countsAt = async () => {
      const map = await t.call('GET', '/api/v1/player/map', { token: viewer.token });
      expect(map.status, map.text).toBe(200);
      const here = map.body.sectors.find((s: { id: number }) => s.id === start);
      return { planets: here.planets, yours: here.your_planets };
    };
    const before = await countsAt();
    const made = await t.region
      .insertInto('planets')
      .values([planet(viewer.userId, uniqueName('mine')), planet(other.userId, uniqueName('theirs')), planet(null, uniqueName('wild'))])
      .returning('id')
      .execute();
    expect(await countsAt()).toEqual({ planets: before.planets + 3, yours: before.yours + 1 });
    await t.region
      .deleteFrom('planets')
      .where(
        'id',
        'in',
        made.map((m) => m.id),
      )
      .execute();
    expect(await countsAt()).toEqual(before);
  });
});
