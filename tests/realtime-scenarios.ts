import { expect } from 'vitest';
import { newPilot } from './game-helpers.js';
import type { TestApp } from './harness.js';
import { buyOne, move, neighbourOf, openRealtime } from './realtime-client.js';

/**
 * A and B start in sector 1, C one warp away in N; each socket may be on another realtime
 * process. A trade by A reaches B and not C; once A flies to N it hears N (B arriving) and no
 * longer sector 1 (B's trade there). Every assertion of absence waits for a later frame that the
 * same process delivers after the absent one would have been.
 */
export async function sectorDeliveryScenario(t: TestApp, ports: { a: number; b: number; c: number }): Promise<void> {
  const [a, b, c] = await Promise.all([newPilot(t), newPilot(t), newPilot(t)]);
  const n = await neighbourOf(t, 1);
  await move(t, c.token, n);
  const [sa, sb, sc] = await Promise.all([openRealtime(t, ports.a, a.token), openRealtime(t, ports.b, b.token), openRealtime(t, ports.c, c.token)]);
  try {
    expect(sa.of('welcome')[0]!.data.topics).toEqual(expect.arrayContaining([`player:${a.userId}`, 'sector:1', 'global']));
    expect(sc.of('welcome')[0]!.data.sector_id).toBe(n);

    await buyOne(t, a.token);
    const heard = await sb.waitFor((f) => f.type === 'port.traded' && f.data.trader === a.username, "A's trade at B");
    expect(heard).toMatchObject({ topic: 'sector:1', id: expect.any(Number) });
    await sa.waitFor((f) => f.type === 'trade.completed' && f.topic === `player:${a.userId}`, "A's own trade");
    expect(sb.of('trade.completed')).toEqual([]);

    await move(t, a.token, n);
    await sa.waitFor((f) => f.type === 'player.moved' && f.data.to === n, "A's move");
    await sc.waitFor((f) => f.type === 'sector.arrived' && f.data.player === a.username, 'A arriving, at C');
    expect(sc.of('port.traded')).toEqual([]);

    await buyOne(t, b.token);
    await sb.waitFor((f) => f.type === 'port.traded' && f.data.trader === b.username, "B's own trade");
    await move(t, b.token, n);
    await sa.waitFor((f) => f.type === 'sector.arrived' && f.data.player === b.username, 'B arriving, at A');
    await sc.waitFor((f) => f.type === 'sector.arrived' && f.data.player === b.username, 'B arriving, at C');
    expect(sa.of('port.traded').map((f) => f.data.trader)).toEqual([a.username]);
    expect(sc.of('port.traded')).toEqual([]);
  } finally {
    for (const s of [sa, sb, sc]) s.close();
  }
}
