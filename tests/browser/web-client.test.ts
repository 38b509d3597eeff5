import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../web/build.js';
import { testBackends, uniqueName } from '../harness.js';
import { spawnRole, type RunningRole } from '../spawn-role.js';
import { TEST_GALAXY } from '../test-galaxy.js';
import { planTradeRoute } from './trade-route.js';

/**
 * The player's web client in Chromium against a real `sectorwars all`: two pilots sign up in
 * separate browser contexts; one watches the other arrive and chat, then trades a round trip at
 * a profit using the keyboard, the trade panel, the map and the autopilot. Screenshots of the
 * cockpit and the map at desktop and phone size land in artifacts/screenshots/.
 */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = path.resolve(process.env.ARTIFACTS_DIR ?? 'artifacts', 'screenshots');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const HOLDS = 50;
const GOOD_NAME = { ore: 'Fuel Ore', organics: 'Organics', equipment: 'Equipment' } as const;

const hasChromium = existsSync(CHROMIUM);
// The server under test runs on embedded defaults either way: once per CI pass is enough.
const onSharedBackends = Boolean(testBackends().databaseUrl);
if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
else if (onSharedBackends) console.warn('browser tests skipped: they run in the embedded pass (without DATABASE_URL)');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Run `sectorwars <role>` to completion (the one-shot roles). */
async function runOnce(role: string, env: Record<string, string>, args: string[]): Promise<void> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['bin/sectorwars.js', role, ...args], {
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`sectorwars ${role} exited ${code}: ${stderr}`);
}

interface Pilot {
  page: Page;
  name: string;
  /** console errors and uncaught exceptions seen on the page */
  errors: string[];
}

describe.skipIf(!hasChromium || onSharedBackends)('the web client in Chromium', () => {
  let server: RunningRole;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sw-browser-'));
    const [port] = await Promise.all([
      freePort(),
      ensureWebBuilt(),
      runOnce('generate', { DATA_DIR: dataDir }, [
        '--seed',
        TEST_GALAXY.seed,
        '--sectors',
        String(TEST_GALAXY.terranSectors),
        '--nexus',
        String(TEST_GALAXY.nexusSectors),
      ]),
    ]);
    // A fixed port: the browser's Origin must be one of ALLOWED_ORIGINS for realtime to accept it.
    server = await spawnRole('all', { DATA_DIR: dataDir, PORT: String(port) });
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  async function open(): Promise<Pilot> {
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(base + '/');
    return { page, name: '', errors };
  }

  async function signUp(pilot: Pilot): Promise<void> {
    const { page } = pilot;
    pilot.name = uniqueName('web');
    await page.getByLabel('Pilot name').fill(pilot.name);
    await page.getByLabel('Email').fill(`${pilot.name}@example.test`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create pilot' }).click();
    await expect.poll(() => sectorShown(page)).toBe('1');
    await expect.poll(() => page.locator('.uplink').textContent()).toContain('Live');
  }

  const sectorShown = (page: Page) => page.locator('.sector-number .number').textContent();
  const credits = async (page: Page) => Number((await page.getByTestId('credits').textContent())!.replace(/[^0-9]/g, ''));

  /** Fly a course warp by warp the TradeWars way: press the number of the warp on the pad. */
  async function flyByKeys(page: Page, course: number[]): Promise<void> {
    for (const to of course.slice(1)) {
      const key = await page
        .locator('.col-sector .warp-key', { has: page.locator('.to', { hasText: new RegExp(`^${to}$`) }) })
        .getAttribute('aria-keyshortcuts');
      expect(key, `a numbered warp to sector ${to}`).toMatch(/^[1-9]$/);
      await page.keyboard.press(key!);
      await expect.poll(() => sectorShown(page)).toBe(String(to));
    }
  }

  async function trade(page: Page, side: 'Buy' | 'Sell', good: string): Promise<string> {
    await page.getByRole('button', { name: `${side} ${good}` }).click();
    await page.getByRole('button', { name: new RegExp(`^Max ${HOLDS}$`) }).click();
    const confirm = page.getByRole('button', { name: new RegExp(`^${side} ${HOLDS} for [\\d,]+ cr$`) });
    await confirm.click();
    const outcome = page.locator('.trade .outcome');
    await expect.poll(() => outcome.textContent()).toMatch(new RegExp(`^${side === 'Buy' ? 'Bought' : 'Sold'} ${HOLDS} ${good}`));
    return (await outcome.textContent())!;
  }

  it('a new pilot is seen arriving, chats, and trades a round trip at a profit by keyboard, trade panel, map and autopilot', async () => {
    const route = planTradeRoute(TEST_GALAXY, HOLDS);
    const good = GOOD_NAME[route.good];

    // The watcher waits one warp out of Terra, on the trader's way.
    const watcher = await open();
    await signUp(watcher);
    await flyByKeys(watcher.page, route.outbound.slice(0, 2));

    const trader = await open();
    await signUp(trader);
    expect(await credits(trader.page)).toBe(20_000);
    await flyByKeys(trader.page, route.outbound.slice(0, 2));

    // The watcher sees the trader appear, live.
    const present = watcher.page.getByRole('list', { name: 'Pilots in this sector' });
    await expect.poll(() => present.textContent()).toContain(trader.name);
    await expect
      .poll(() => watcher.page.getByRole('list', { name: 'Event log' }).textContent())
      .toContain(`${trader.name} warped into sector ${route.outbound[1]}`);

    // Sector chat, opened from the keyboard.
    await trader.page.keyboard.press('/');
    await trader.page.keyboard.type(`Anyone selling ${good.toLowerCase()}?`);
    await trader.page.keyboard.press('Enter');
    await trader.page.keyboard.press('Escape');
    const heard = watcher.page.getByRole('list', { name: 'Sector messages' });
    await expect.poll(() => heard.textContent()).toContain(`${trader.name}Anyone selling ${good.toLowerCase()}?`);

    // On to the buyer (charting it), then to the seller; buy a full hold.
    await flyByKeys(trader.page, route.outbound.slice(1));
    await flyByKeys(trader.page, route.toBuyer);
    const beforeBuying = await credits(trader.page);
    await trade(trader.page, 'Buy', good);
    await expect.poll(() => credits(trader.page)).toBeLessThan(beforeBuying);
    const afterBuying = await credits(trader.page);

    // Plot the way back to the buyer on the map and let the autopilot fly it.
    await trader.page.keyboard.press('m');
    await trader.page.locator(`[data-sector="${route.sellAt}"]`).click();
    await trader.page.getByRole('button', { name: 'Engage autopilot' }).waitFor();
    await trader.page.screenshot({ path: path.join(SCREENSHOTS, 'map-desktop.png') });
    await trader.page.getByRole('button', { name: 'Engage autopilot' }).click();
    await expect.poll(() => trader.page.locator('.autopilot').textContent(), { timeout: 15_000 }).toContain(`Arrived at sector ${route.sellAt}`);

    await trader.page.keyboard.press('c');
    const sale = await trade(trader.page, 'Sell', good);
    expect(sale).toMatch(/profit \+[\d,]+ cr$/);
    await expect.poll(() => credits(trader.page)).toBeGreaterThan(20_000);
    expect(await credits(trader.page)).toBeGreaterThan(afterBuying);
    const log = trader.page.getByRole('list', { name: 'Event log' });
    await expect.poll(() => log.textContent()).toContain(`Sold ${HOLDS} ${good}`);
    await expect.poll(() => log.textContent()).toContain(`Bought ${HOLDS} ${good}`);
    await trader.page.screenshot({ path: path.join(SCREENSHOTS, 'cockpit-desktop.png'), fullPage: true });

    await trader.page.setViewportSize(PHONE);
    await trader.page.screenshot({ path: path.join(SCREENSHOTS, 'cockpit-phone.png') });
    await trader.page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Map' }).last().click();
    await trader.page.locator('.galaxy-map').waitFor();
    await trader.page.screenshot({ path: path.join(SCREENSHOTS, 'map-phone.png') });
    await watcher.page.screenshot({ path: path.join(SCREENSHOTS, 'cockpit-watcher-desktop.png') });

    // The session survives a reload (refresh cookie), on the address the map left in the bar.
    const earned = await credits(trader.page);
    await trader.page.reload();
    await trader.page.locator('.galaxy-map').waitFor();
    expect(await credits(trader.page)).toBe(earned);

    expect(trader.errors.join('\n')).toBe('');
    expect(watcher.errors.join('\n')).toBe('');
  }, 90_000);

  it('serves the app with a strict CSP and client routes, but never in place of the API', async () => {
    const visitor = await open();
    await visitor.page.getByRole('button', { name: 'Create pilot' }).waitFor();
    await visitor.page.screenshot({ path: path.join(SCREENSHOTS, 'sign-up-desktop.png') });
    expect(visitor.errors.join('\n')).toBe('');

    const page = await fetch(`${base}/rankings`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(base + script!);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    const api = await fetch(`${base}/api/v1/nowhere`);
    expect([api.status, api.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
    expect((await fetch(`${base}/assets/missing-abc123.js`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).headers.get('content-type')).toContain('application/json');
  });
});
