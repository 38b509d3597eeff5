import http from 'node:http';
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The plain-`ws` baseline for the fanout scenario: the same fan-out the realtime server does —
 * events from the same Redis channel, each sent to every socket in its topic — on the `ws`
 * library, with no tickets, presence or resume. Sockets name their sector: /ws?sector=N.
 */
const port = Number(process.env.PORT ?? 8091);
const channel = process.env.CHANNEL ?? 'sw:events';
const topics = new Map<string, Set<WebSocket>>();

const server = http.createServer((req, res) => {
  if (req.url === '/readyz') res.writeHead(200, { 'content-type': 'application/json' }).end(`{"status":"ready","connections":${wss.clients.size}}`);
  else res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  const topic = `sector:${new URL(req.url ?? '/', 'http://x').searchParams.get('sector') ?? '0'}`;
  let set = topics.get(topic);
  if (!set) topics.set(topic, (set = new Set()));
  set.add(ws);
  ws.on('close', () => set!.delete(ws));
  ws.on('error', () => {});
  ws.send('{"id":null,"type":"welcome"}');
});

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
await redis.subscribe(channel);
redis.on('message', (_channel: string, message: string) => {
  const set = topics.get((JSON.parse(message) as { topic: string }).topic);
  if (set) for (const ws of set) ws.send(message);
});

server.listen(port, '127.0.0.1');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    redis.disconnect();
    for (const ws of wss.clients) ws.terminate();
    server.close(() => process.exit(0));
  });
}
