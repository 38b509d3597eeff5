import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testBackends, uniqueName } from './harness.js';
import { spawnRole, type RunningRole } from './spawn-role.js';

const running: RunningRole[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((role) => role.stop()));
});

async function startRole(role: string, env: Record<string, string | undefined>, args: string[] = []): Promise<RunningRole> {
  const started = await spawnRole(role, env, args);
  running.push(started);
  return started;
}

describe('sectorwars roles', () => {
  it('`all` starts on embedded defaults with nothing configured, serves health and docs, and remembers its data', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sw-embedded-'));
    // How fast it starts is not asserted here (speed is the bench's to measure): it must start at all.
    const first = await startRole('all', { DATA_DIR: dataDir });
    const url = first.url;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const docs = await (await fetch(`${url}/api/docs`)).text();
    expect(docs).toContain('/api/v1/auth/register');
    expect(docs).toContain('/api/v1/auth/login');

    const name = uniqueName('emb');
    const reg = await fetch(`${url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: name, email: `${name}@example.test`, password: 'correct horse battery' }),
    });
    expect(reg.status).toBe(201);

    // Restart on the same folder: the account and the signing secret survive.
    await first.stop();
    const again = await startRole('all', { DATA_DIR: dataDir });
    const login = await fetch(`${again.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: name, password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
  }, 90_000);

  it('refuses to start in server mode without a secret, naming the variable', async () => {
    const child = spawn(process.execPath, ['bin/sectorwars.js', 'api'], {
      env: { ...process.env, DATABASE_URL: 'postgres://127.0.0.1:1/none', JWT_SECRET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain('JWT_SECRET');
  });

  it('rejects an unknown role with usage', async () => {
    const child = spawn(process.execPath, ['bin/sectorwars.js', 'dance'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(2);
    expect(stderr).toContain('usage: sectorwars <role>');
  });

  it.runIf(testBackends().databaseUrl)(
    '`api` serves on PostgreSQL and Redis, one bundle alone with --bundle',
    async () => {
      const { databaseUrl, redisUrl, redisPrefix } = testBackends();
      const { url } = await startRole('api', { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix, JWT_SECRET: 'r'.repeat(40) }, [
        '--bundle',
        'auth',
      ]);
      const ready = await (await fetch(`${url}/readyz`)).json();
      expect(ready).toEqual({ status: 'ready', database: 'ok', bus: 'ok' });
      const name = uniqueName('pg');
      const reg = await fetch(`${url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: name, email: `${name}@example.test`, password: 'correct horse battery' }),
      });
      expect(reg.status).toBe(201);
    },
    60_000,
  );
});
