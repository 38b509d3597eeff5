import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { SocketFleet } from './socket-fleet.js';

/** A stand-in server: welcome on connect, then whatever the test broadcasts. */
let server: WebSocketServer;
let url: string;

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (ws) => ws.send('{"id":null,"type":"welcome","topic":null,"at":"2026-12-02T15:00:00.000Z","data":{}}'));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const quiet = { step() {}, update() {}, done() {} } as never;
const broadcast = (text: string) => {
  for (const client of server.clients) client.send(text);
};

describe.each([0, 2])('the socket fleet with %i receiving threads', (receivers) => {
  it('counts live sockets per sector and hands every event to its listener once per socket, with its text', async () => {
    const fleet = new SocketFleet(3, Number.POSITIVE_INFINITY, receivers);
    const got: Array<{ id: number; text: string; lagMs: number }> = [];
    await fleet.connect(9, { concurrency: 4, resume: false, progress: quiet, label: 'test', urlFor: async () => url });
    expect(fleet.liveCount).toBe(9);
    expect(fleet.liveBySector).toEqual([3, 3, 3]);
    fleet.onEvent = (id, payload, now) => got.push({ id, text: payload.toString('utf8'), lagMs: performance.now() - now });
    broadcast('{"id":41,"type":"port.traded","topic":"sector:1","at":"2026-12-02T15:00:00.000Z","data":{"good":"ore"}}');
    broadcast('{"id":42,"type":"port.traded","topic":"sector:1","at":"2026-12-02T15:00:00.000Z","data":{"good":"equipment"}}');
    await expect.poll(() => got.length, { timeout: 5_000 }).toBe(18);
    expect(got.filter((g) => g.id === 41)).toHaveLength(9);
    expect(got.filter((g) => g.id === 42).every((g) => g.text.includes('"equipment"'))).toBe(true);
    // Arrival times are this thread's clock, whichever thread read the socket.
    expect(got.every((g) => g.lagMs >= -5 && g.lagMs < 5_000)).toBe(true);

    for (const client of server.clients) client.close(4011, 'fell_behind');
    await expect.poll(() => fleet.liveCount, { timeout: 5_000 }).toBe(0);
    expect(fleet.closes.toJSON()).toEqual({ '4011': 9 });
    await fleet.closeAll();
  });
});
