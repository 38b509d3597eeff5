import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { LeanWebSocket, leadingId } from './ws-client.js';

let server: WebSocketServer;
let port: number;
const pongs: Buffer[] = [];
const received: string[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
  server.on('connection', (ws, req) => {
    if (req.url === '/refuse') return ws.close(4009, 'superseded');
    ws.on('pong', (data) => pongs.push(data));
    ws.on('message', (data) => received.push(data.toString()));
    ws.send('{"id":123,"topic":"sector:1"}');
    ws.send('x'.repeat(300)); // 16-bit length
    ws.send('y'.repeat(70_000)); // 64-bit length
    ws.ping(Buffer.from('are you there'));
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

it('receives frames of every length, answers pings and sends masked text', async () => {
  const messages: string[] = [];
  const ws = await LeanWebSocket.connect(`ws://127.0.0.1:${port}/ws?x=1`, { onMessage: (p) => messages.push(p.toString('utf8')) });
  ws.sendText('{"type":"resume"}');
  await expect.poll(() => messages.length).toBe(3);
  expect(messages[0]).toBe('{"id":123,"topic":"sector:1"}');
  expect(messages[1]).toBe('x'.repeat(300));
  expect(messages[2]).toBe('y'.repeat(70_000));
  await expect.poll(() => pongs.map((p) => p.toString())).toEqual(['are you there']);
  await expect.poll(() => received).toEqual(['{"type":"resume"}']);
  ws.close();
  expect(ws.open).toBe(false);
});

it('reports the server closing with its code', async () => {
  let closed: number | undefined;
  await LeanWebSocket.connect(`ws://127.0.0.1:${port}/refuse`, { onMessage: () => {}, onClose: (code) => (closed = code) });
  await expect.poll(() => closed).toBe(4009);
});

it('rejects a refused upgrade with its status line', async () => {
  const http = await import('node:http');
  const refusing = http.createServer((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"invalid_ticket"}'));
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  const refusingPort = (refusing.address() as AddressInfo).port;
  await expect(LeanWebSocket.connect(`ws://127.0.0.1:${refusingPort}/ws`, { onMessage: () => {} })).rejects.toThrow(
    /^HTTP\/1\.1 401 Unauthorized: [\s\S]*"code":"invalid_ticket"/,
  );
  await new Promise((resolve) => refusing.close(resolve));
});

it('reads the outbox id at the start of a frame without decoding it', () => {
  expect(leadingId(Buffer.from('{"id":1000000042,"topic":"sector:3"}'))).toBe(1_000_000_042);
  expect(leadingId(Buffer.from('{"id":null,"type":"welcome"}'))).toBe(-1);
  expect(leadingId(Buffer.from('{"type":"pong"}'))).toBe(-1);
});
