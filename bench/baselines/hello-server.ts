import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The HTTP ceiling for the actions scenario: Hono on @hono/node-server answering GET /hello with
 * a small JSON body, nothing else (no middleware, no database). Run as its own process, as the
 * api is, and driven by the same client at the same concurrency.
 */
const app = new Hono();
app.get('/hello', (c) => c.json({ hello: 'world' }));
app.get('/readyz', (c) => c.json({ status: 'ready' }));

const port = Number(process.env.PORT ?? 8090);
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
