import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uniqueName } from './harness.js';
import { TEST_GALAXY } from './test-galaxy.js';
import { spawnRole, type RunningRole } from './spawn-role.js';

const run = promisify(execFile);

/**
 * The bot kit as a player would use it: the embedded server (`sectorwars all`), an account, a
 * `game:play` token, and `examples/bot` run for a short bounded session. It must end richer,
 * without a single 5xx or 429.
 */
let server: RunningRole;
const dataDir = mkdtempSync(path.join(tmpdir(), 'sw-bot-'));

beforeAll(async () => {
  // The test galaxy, so the bot's hunt for a buyer is the same every run.
  const generated = spawnSync(
    process.execPath,
    ['bin/sectorwars.js', 'generate', '--seed', TEST_GALAXY.seed, '--sectors', String(TEST_GALAXY.terranSectors), '--nexus', String(TEST_GALAXY.nexusSectors)],
    { env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, encoding: 'utf8' },
  );
  if (generated.status !== 0) throw new Error(`generate failed: ${generated.stderr}`);
  server = await spawnRole('all', { DATA_DIR: dataDir });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('trades at a profit through a personal access token, with no 5xx and no 429', async () => {
  const name = uniqueName('bot');
  const registered = await fetch(`${server.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: name, email: `${name}@example.test`, password: 'correct horse battery' }),
  });
  expect(registered.status).toBe(201);
  const { access_token } = (await registered.json()) as { access_token: string };
  const created = await fetch(`${server.url}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ name: 'example bot', scopes: ['game:play'], expires_in_days: 1 }),
  });
  expect(created.status).toBe(201);
  const { token } = (await created.json()) as { token: string };

  const { stdout } = await run(
    path.resolve('node_modules/.bin/tsx'),
    ['examples/bot/bot.ts', '--token', token, '--url', server.url, '--trips', '2', '--seconds', '60'],
    {
      timeout: 90_000,
    },
  );
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { profit: number; trips: number; statuses: Record<string, number> };
  expect(summary.trips).toBe(2);
  expect(summary.profit).toBeGreaterThan(0);
  const statuses = Object.keys(summary.statuses).map(Number);
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(statuses).not.toContain(429);
  expect(summary.statuses[200]).toBeGreaterThan(5);

  // The server agrees: the pilot has what the bot says.
  const state = await fetch(`${server.url}/api/v1/player/state`, { headers: { authorization: `Bearer ${token}` } });
  expect(((await state.json()) as { player: { credits: number } }).player.credits).toBe(20_000 + summary.profit);
}, 120_000);
