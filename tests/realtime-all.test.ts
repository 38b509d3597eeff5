import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CallOptions, TestResponse } from './harness.js';
import { uniqueName } from './harness.js';
import { buyOne, openRealtime } from './realtime-client.js';
import { spawnRole, type RunningRole } from './spawn-role.js';

/** `sectorwars all` serves the API and /ws on one port: uWS takes the upgrades, Hono the rest. */
let all: RunningRole;
beforeAll(async () => {
  all = await spawnRole('all', { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sw-all-rt-')) });
}, 60_000);
afterAll(async () => {
  await all?.stop();
});

async function call(method: string, route: string, options: CallOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const body = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  const res = await fetch(`${all.url}${route}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined };
}

it('answers HTTP through the Hono app on the realtime listener', async () => {
  expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
  const head = await call('HEAD', '/healthz');
  expect([head.status, head.text]).toEqual([200, '']);
  const missing = await call('GET', '/api/v1/nowhere');
  expect([missing.status, missing.headers.get('content-type'), missing.body.code]).toEqual([404, 'application/problem+json', 'not_found']);
  const tooBig = await call('POST', '/api/v1/auth/login', { rawBody: 'x'.repeat(70_000), headers: { 'content-type': 'application/json' } });
  expect([tooBig.status, tooBig.body.code]).toEqual([413, 'payload_too_large']);

  const name = uniqueName('all');
  const reg = await call('POST', '/api/v1/auth/register', { body: { username: name, email: `${name}@example.test`, password: 'correct horse battery' } });
  expect(reg.status).toBe(201);
  expect(reg.headers.getSetCookie()).toEqual([expect.stringMatching(/^sw_refresh=.+; HttpOnly; SameSite=Strict$/)]);
  expect(reg.headers.get('x-request-id')).toBeTruthy();
});

it('opens /ws on the same port with a ticket and delivers the game’s events', async () => {
  const name = uniqueName('allws');
  const reg = await call('POST', '/api/v1/auth/register', { body: { username: name, email: `${name}@example.test`, password: 'correct horse battery' } });
  const token = reg.body.access_token as string;
  expect((await call('GET', '/api/v1/player/state', { token })).status).toBe(200);
  const socket = await openRealtime({ call }, all.port, token);
  await buyOne({ call }, token);
  await socket.waitFor((f) => f.type === 'trade.completed');
  await socket.waitFor((f) => f.type === 'port.traded' && f.data.trader === name);
  const metrics = (await call('GET', '/metrics')).text;
  expect(metrics).toMatch(/sectorwars_realtime_connections\{role="all"\} 1/);
  expect(metrics).toContain('sectorwars_http_requests_total');
  socket.close();
});

/** Raw HTTP/1.1 on one socket, so what a keep-alive client sees between two requests is visible. */
class RawConnection {
  private buffer = Buffer.alloc(0);
  private closed = false;
  private wake: (() => void) | undefined;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(head: string, body = ''): void {
    this.socket.write(`${head.trim().split('\n').join('\r\n')}\r\n\r\n${body}`);
  }

  /** The next response: its status, headers and (for responses that have one) body. */
  async response(method: string, timeoutMs = 10_000): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const deadline = Date.now() + timeoutMs;
    const until = async (ready: () => boolean, what: string) => {
      while (!ready()) {
        if (this.closed) throw new Error(`connection closed before ${what}; had ${JSON.stringify(this.buffer.toString())}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; had ${JSON.stringify(this.buffer.toString())}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    };
    await until(() => this.buffer.includes('\r\n\r\n'), 'response head');
    const end = this.buffer.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = this.buffer.subarray(0, end).toString().split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const status = Number(statusLine!.split(' ')[1]);
    const length = method === 'HEAD' || status === 204 || status === 304 ? 0 : Number(headers['content-length'] ?? 0);
    await until(() => this.buffer.length >= end + 4 + length, 'response body');
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString();
    this.buffer = this.buffer.subarray(end + 4 + length);
    return { status, headers, body };
  }

  close(): void {
    this.socket.destroy();
  }
}

it('ends bodiless answers (204, HEAD) so the next request on the connection is answered', async () => {
  const raw = await RawConnection.open(all.port);
  try {
    raw.send('OPTIONS /api/v1/auth/login HTTP/1.1\nHost: 127.0.0.1\nOrigin: http://localhost:5173\nAccess-Control-Request-Method: POST');
    const preflight = await raw.response('OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['content-length']).toBeUndefined();
    raw.send('HEAD /healthz HTTP/1.1\nHost: 127.0.0.1');
    const head = await raw.response('HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'] ?? 0)).toBeLessThan(1_000);
    raw.send('POST /api/v1/auth/logout HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 0');
    expect((await raw.response('POST')).status).toBe(401);
    raw.send('GET /healthz HTTP/1.1\nHost: 127.0.0.1');
    const after = await raw.response('GET');
    expect([after.status, after.body]).toEqual([200, '{"status":"ok"}']);
  } finally {
    raw.close();
  }
});

it('refuses a declared body over the limit on its header, at once, with a 413 problem', async () => {
  const raw = await RawConnection.open(all.port);
  try {
    raw.send('POST /api/v1/auth/login HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\nContent-Length: 100000000', '{}');
    const res = await raw.response('POST');
    expect([res.status, res.headers['content-type'], JSON.parse(res.body).code]).toEqual([413, 'application/problem+json', 'payload_too_large']);
  } finally {
    raw.close();
  }
});
