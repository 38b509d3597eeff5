import { Redis } from 'ioredis';
import { createLogger } from '../../platform/logger.js';
import { loadUws } from '../../realtime/uws.js';

/**
 * The socket ceiling for the fanout scenario: uWebSockets.js (loaded as the realtime server
 * loads it) publishing each event from the same Redis channel to its topic, with nothing else —
 * no tickets, no connection state, no presence. Sockets name their sector: /ws?sector=N.
 */
const port = Number(process.env.PORT ?? 8092);
const channel = process.env.CHANNEL ?? 'sw:events';
const uws = loadUws(createLogger({ logLevel: 'warn' }, 'bench-uws'));
const app = uws.App();
let connections = 0;

app.ws<{ topic: string }>('/ws', {
  idleTimeout: 120,
  maxBackpressure: 256 * 1024,
  closeOnBackpressureLimit: true as unknown as number,
  upgrade: (res, req, context) => {
    const topic = `sector:${new URLSearchParams(req.getQuery() ?? '').get('sector') ?? '0'}`;
    res.upgrade({ topic }, req.getHeader('sec-websocket-key'), '', req.getHeader('sec-websocket-extensions'), context);
  },
  open: (ws) => {
    connections++;
    ws.subscribe(ws.getUserData().topic);
    ws.send('{"id":null,"type":"welcome"}');
  },
  close: () => {
    connections--;
  },
});
app.get('/readyz', (res) => {
  res.writeHeader('content-type', 'application/json').end(`{"status":"ready","connections":${connections}}`);
});

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
await redis.subscribe(channel);
redis.on('message', (_channel: string, message: string) => {
  app.publish((JSON.parse(message) as { topic: string }).topic, message);
});

app.listen('127.0.0.1', port, (socket) => {
  if (!socket) {
    process.stderr.write(`uws baseline could not listen on ${port}\n`);
    process.exit(1);
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    redis.disconnect();
    (app as unknown as { close?: () => void }).close?.();
    process.exit(0);
  });
}
