import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../platform/config.js';
import { GatewaySync } from '../regions/gateway.js';
import { TEST_SECRET, testBackends } from './harness.js';
import { createNexus, type Nexus } from './scratch-nexus.js';

/**
 * The region manager's gateway routes when the manager is not the only writer of the config
 * (issue 21): the compose and Swarm files also run a one-shot `gateway-render` that writes the same
 * text without reloading nginx. A Swarm CI run lost that race: the manager rendered the registry
 * with Terran Space alone and nginx loaded it; the render then wrote the config with both regions;
 * the manager found the file already right and never reloaded, so /r/nexus/ stayed closed. nginx is
 * played here by a process counting its SIGHUPs behind the pid file the manager signals.
 */
const { databaseUrl } = testBackends();

describe.skipIf(!databaseUrl)('the region manager keeps the gateway loaded with the registry', () => {
  let nexus: Nexus;
  let dir: string;
  let nginx: ChildProcess;
  let reloads = 0;
  let config: Config;

  beforeAll(async () => {
    nexus = await createNexus();
    await setTerranAddresses(['127.0.0.1:18181']);
    dir = mkdtempSync(path.join(tmpdir(), 'sw-gateway-sync-'));
    nginx = spawn(
      process.execPath,
      ['-e', "process.on('SIGHUP', () => process.stdout.write('hup\\n')); process.stdout.write('ready\\n'); setInterval(() => {}, 1000)"],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    // its handler is in place before the first signal: a SIGHUP before it would end the process
    await new Promise<void>((resolve) => {
      nginx.stdout!.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        reloads += text.split('hup').length - 1;
        if (text.includes('ready')) resolve();
      });
    });
    writeFileSync(path.join(dir, 'nginx.pid'), `${nginx.pid}\n`);
    config = loadConfig({
      DATABASE_URL: nexus.accountsUrl,
      JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
      REGIONS_GATEWAY_CONF: path.join(dir, 'gateway.conf'),
      REGIONS_GATEWAY_PIDFILE: path.join(dir, 'nginx.pid'),
      REGIONS_GATEWAY_MANAGER: '127.0.0.1:18090',
      REGIONS_GATEWAY_OPTIONS: JSON.stringify({ httpPort: 18080, httpsPort: 18443 }),
    });
  }, 60_000);

  afterAll(async () => {
    nginx?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await nexus?.close();
  });

  /** A manager's gateway: the pid-file path never reaches the engine. */
  const manager = () => new GatewaySync({ config, accounts: nexus.handle.accounts, docker: {} as Docker });

  async function setTerranAddresses(apiUrls: string[]): Promise<void> {
    await nexus.handle.accounts
      .updateTable('region_registry')
      .set({ api_urls: apiUrls, realtime_urls: ['127.0.0.1:18182'] })
      .where('slug', '=', 'terran')
      .execute();
  }

  /** What the compose and Swarm files' `gateway-render` does: the registry's config, written, nginx not told. */
  function renderAsGatewayRender(): string {
    const conf = config.manager.gateway.conf!;
    const rendered = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'nginx/write-compose-conf.ts', '--registry', '--http-port=18080', '--https-port=18443', '--manager=127.0.0.1:18090', `--out=${conf}`],
      { env: { ...process.env, DATABASE_URL: nexus.accountsUrl }, encoding: 'utf8' },
    );
    expect(rendered.status, rendered.stderr).toBe(0);
    return readFileSync(conf, 'utf8');
  }

  const waitForReloads = (count: number) => expect.poll(() => reloads, { timeout: 5_000 }).toBe(count);

  it('reloads nginx when another writer put the registry in the file first, and a restarted manager reloads nothing', async () => {
    const first = manager();
    expect(await first.sync()).toEqual({ changed: true, reloaded: 1 });
    await waitForReloads(1);
    expect(await first.sync()).toEqual({ changed: false });

    // the registry changes and the one-shot render writes it before the manager's next pass
    await setTerranAddresses(['127.0.0.1:18181', '127.0.0.1:18191']);
    const written = renderAsGatewayRender();
    expect(written).toContain('127.0.0.1:18191');
    // the file is already what the manager renders, yet nginx still runs the earlier one: reload
    expect(await first.sync()).toEqual({ changed: true, reloaded: 1 });
    expect(readFileSync(config.manager.gateway.conf!, 'utf8')).toBe(written);
    await waitForReloads(2);
    expect(await first.sync()).toEqual({ changed: false });

    // a new manager adopts the file as what nginx runs: nothing to write, nothing to reload
    const second = manager();
    expect(await second.sync()).toEqual({ changed: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reloads).toBe(2);
  });
});
