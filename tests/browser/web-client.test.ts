import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_GALAXY } from '../test-galaxy.js';
import { CHROMIUM, credits, flyByKeys, type Game, hasChromium, onSharedBackends, PHONE, SCREENSHOTS, signUp, startGame } from './browser-harness.js';
import { planTradeRoute } from './trade-route.js';

/**
 * The player's web client in Chromium against a real `sectorwars all`: two pilots sign up in
 * separate browser contexts; one watches the other arrive and chat, then trades a round trip at
 * a profit using the keyboard, the trade panel, the map and the autopilot. Screenshots of the
 * cockpit and the map at desktop and phone size land in artifacts/screenshots/.
 */
const HOLDS = 50;
const GOOD_NAME = { ore: 'Fuel Ore', organics: 'Organics', equipment: 'Equipment' } as const;

if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
else if (onSharedBackends()) console.warn('browser tests skipped: they run in the embedded pass (without DATABASE_URL)');

describe.skipIf(!hasChromium || onSharedBackends())('the web client in Chromium', () => {
  let game: Game;
  let base: string;

  beforeAll(async () => {
    game = await startGame();
    base = game.base;
  }, 60_000);

  afterAll(async () => {
    await game?.close();
  });

  const open = () => game.open();

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
    // Under load the server answers slowly: once the first order is in, quotes take 700 ms, so
    // quotes still in flight when the ship leaves would be answered (409) at the next sector.
    let ordered = false;
    trader.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/v1/trade/')) ordered = true;
    });
    await trader.page.route('**/api/v1/trade/quote**', async (route) => {
      if (ordered) await new Promise((resolve) => setTimeout(resolve, 700));
      await route.continue().catch(() => {});
    });
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
