import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateGalaxy } from '../../game/galaxy.js';
import { buildWarpGraph, plotCourse } from '../../game/pathfinding.js';
import { TEST_GALAXY } from '../test-galaxy.js';
import {
  axeViolations,
  credits,
  flyByKeys,
  type Game,
  hasChromium,
  onSharedBackends,
  PHONE,
  SCREENSHOTS,
  sectorShown,
  sidewaysScroll,
  signUp,
  startGame,
} from './browser-harness.js';
import { planTradeRoute } from './trade-route.js';

/**
 * Arms in Chromium against a real `sectorwars all`: a pilot earns credits on a trade run, buys
 * holds and fighters at the Stardock, flies out of FedSpace, scans and attacks a second pilot (a
 * second browser context) until its ship is destroyed; the victim sees its escape pod in FedSpace
 * and the combat report; the attacker salvages the wreck. Every purchase and shot goes through
 * the UI. New-pilot protection is off for this server (NEW_PILOT_PROTECTION_HOURS=0): both pilots
 * are minutes old.
 */
const HOLDS = 50;
const GOOD_NAME = { ore: 'Fuel Ore', organics: 'Organics', equipment: 'Equipment' } as const;

describe.skipIf(!hasChromium || onSharedBackends())('arms in Chromium', () => {
  let game: Game;

  beforeAll(async () => {
    game = await startGame({ NEW_PILOT_PROTECTION_HOURS: '0' });
  }, 60_000);

  afterAll(async () => {
    await game?.close();
  });

  async function trade(page: Page, side: 'Buy' | 'Sell', good: string, units = HOLDS): Promise<void> {
    await page.getByRole('button', { name: `${side} ${good}` }).click();
    await page.getByRole('button', { name: new RegExp(`^Max ${units}$`) }).click();
    await page.getByRole('button', { name: new RegExp(`^${side} ${units} for [\\d,]+ cr$`) }).click();
    await expect.poll(() => page.locator('.trade .outcome').textContent()).toMatch(new RegExp(`^${side === 'Buy' ? 'Bought' : 'Sold'} ${units} ${good}`));
  }

  it('earn, arm at the Stardock, scan, attack until destroyed; the pod in FedSpace; salvage', async () => {
    const galaxy = generateGalaxy(TEST_GALAXY);
    const graph = buildWarpGraph(galaxy.warps);
    const course = (from: number, to: number) => plotCourse(graph, from, to, { turnsPerWarp: 2 })!.path;
    const stardock = galaxy.ports.find((p) => p.portClass === 9)!.sectorId;
    const route = planTradeRoute(TEST_GALAXY, HOLDS);
    const good = GOOD_NAME[route.good];
    // The battlefield: the first sector outside FedSpace on the way out of Terra.
    const battlefield = route.outbound.find((id) => !galaxy.sectors[id - 1]!.fedspace)!;

    const attacker = await game.open();
    let ordered = false;
    attacker.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/v1/trade/')) ordered = true;
    });
    // As in the web-client suite: slow quotes still in flight at departure would be refused at the next sector.
    await attacker.page.route('**/api/v1/trade/quote**', async (r) => {
      if (ordered) await new Promise((resolve) => setTimeout(resolve, 700));
      await r.continue().catch(() => {});
    });
    await signUp(attacker);
    const page = attacker.page;

    // Earn: a trade round trip at a profit.
    await flyByKeys(page, route.outbound);
    await flyByKeys(page, route.toBuyer);
    await trade(page, 'Buy', good);
    await flyByKeys(page, course(route.buyAt, route.sellAt));
    await trade(page, 'Sell', good);
    await expect.poll(() => credits(page)).toBeGreaterThan(20_000);

    // Arm: the Stardock sells holds and fighters.
    await flyByKeys(page, course(route.sellAt, stardock));
    await page.getByRole('button', { name: 'Enter the shipyard' }).click();
    await page.getByRole('table', { name: 'Hulls' }).waitFor();
    await expect.poll(() => page.getByTestId('trade-in').textContent()).toContain('20,000 cr');
    await page.getByLabel('Quantity of Cargo holds').fill('5');
    await page.getByRole('button', { name: 'Buy Cargo holds' }).click();
    await expect.poll(() => page.locator('.stardock .notice').textContent()).toBe('Bought 5 cargo holds.');
    // The offers reload after a purchase (credits just fell): Max stays disabled until they have,
    // and a click waits for it to be enabled.
    await page.getByRole('button', { name: /^Max [\d,]+ Fighters$/ }).click();
    await page.getByRole('button', { name: 'Buy Fighters' }).click();
    await expect.poll(() => page.locator('.stardock .notice').textContent()).toMatch(/^Bought [\d,]+ fighters\.$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stardock-desktop.png'), fullPage: true });
    const violations = [...(await axeViolations(page)).map((v) => `stardock: ${v}`)];
    await page.setViewportSize(PHONE);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stardock-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('button', { name: 'Back to the cockpit' }).first().click();
    await expect.poll(() => page.locator('.ship').textContent()).toContain('55');

    // The victim: a second context, a hold of ore from Earth Station, out to the battlefield.
    const victim = await game.open();
    await signUp(victim);
    await trade(victim.page, 'Buy', 'Fuel Ore');
    await flyByKeys(victim.page, course(1, battlefield));
    await flyByKeys(page, course(stardock, battlefield));

    // Scan, then attack with everything until the ship is destroyed.
    for (let attempt = 0; attempt < 4; attempt++) {
      await page.getByRole('button', { name: `Scan sector ${battlefield}` }).click();
      await page.getByRole('button', { name: `Attack ${victim.name}` }).click();
      const dialog = page.getByRole('dialog', { name: `Attack ${victim.name}` });
      await expect.poll(() => dialog.textContent()).toContain('They have (scanned)');
      await dialog.getByRole('button', { name: /^Attack with [\d,]+ fighters/ }).click();
      await page.getByTestId('combat-result').waitFor();
      if ((await page.getByTestId('combat-result').textContent())?.includes('destroyed')) break;
    }
    expect(await page.getByTestId('combat-result').textContent()).toBe(`${victim.name}'s ship destroyed`);
    await expect.poll(() => page.getByRole('table', { name: 'Rounds' }).locator('tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'combat-report-desktop.png'), fullPage: true });
    violations.push(...(await axeViolations(page)).map((v) => `combat report: ${v}`));

    // The victim: a pod in FedSpace, told what happened and what to do, with the log.
    const pod = victim.page.getByRole('alert', { name: 'Escape pod' });
    await expect.poll(() => pod.textContent(), { timeout: 15_000 }).toContain('Your ship was destroyed');
    await expect.poll(() => pod.textContent()).toContain(`${attacker.name} destroyed your ship in sector ${battlefield}`);
    const podSector = Number(await sectorShown(victim.page));
    expect(galaxy.sectors[podSector - 1]!.fedspace).toBe(true);
    expect(await pod.textContent()).toContain('in FedSpace, where no one can attack you');
    await pod.getByRole('button', { name: 'Read the combat report' }).click();
    await expect.poll(() => pod.getByTestId('combat-result').textContent()).toBe(`Your ship was destroyed by ${attacker.name}`);
    await victim.page.screenshot({ path: path.join(SCREENSHOTS, 'escape-pod-desktop.png'), fullPage: true });
    violations.push(...(await axeViolations(victim.page)).map((v) => `escape pod: ${v}`));

    // The attacker salvages the ore from the wreck.
    const wrecks = page.getByRole('region', { name: 'Wrecks' });
    await expect.poll(() => wrecks.textContent()).toContain(`${victim.name}'s wreck`);
    await wrecks.getByRole('button', { name: `Salvage ${HOLDS} Fuel Ore` }).click();
    await expect.poll(() => page.locator('.ship').textContent()).toContain(String(HOLDS));
    await expect.poll(() => page.getByRole('region', { name: 'Wrecks' }).count()).toBe(0);

    expect(violations).toEqual([]);
    expect(attacker.errors.join('\n')).toBe('');
    expect(victim.errors.join('\n')).toBe('');
  }, 180_000);
});
