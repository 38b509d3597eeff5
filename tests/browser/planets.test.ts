import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_PRODUCTION_PER_100, PLANET_MULTIPLIERS, type PlanetType } from '../../game/catalog/planets.js';
import { generateGalaxy } from '../../game/galaxy.js';
import { buildWarpGraph, plotCourse } from '../../game/pathfinding.js';
import { TEST_GALAXY } from '../test-galaxy.js';
import {
  credits,
  DESKTOP,
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
 * Planets in Chromium against a real `sectorwars all`: a pilot buys colonists at Earth Station
 * and a genesis torpedo at the Stardock, fires it outside FedSpace, lands, drops the colonists,
 * sets them all to the good a nearby port buys, waits a game day (GAME_TIME_SCALE makes one 20
 * real seconds), loads what was produced and sells it. Every step goes through the UI and waits
 * for what the screen says, never for a fixed time. Pilots start with NEW_PILOT_CREDITS, enough
 * for the torpedo.
 */
const SCALE = 4_320;
const COLONISTS = 20;
const GOOD = {
  ore: { name: 'Fuel Ore', product: 'fuel_ore', type: 'volcanic', typeName: 'Volcanic' },
  organics: { name: 'Organics', product: 'organics', type: 'oceanic', typeName: 'Oceanic' },
  equipment: { name: 'Equipment', product: 'equipment', type: 'glacial', typeName: 'Glacial' },
} as const;

describe.skipIf(!hasChromium || onSharedBackends())('planets in Chromium', () => {
  let game: Game;
  beforeAll(async () => {
    // The clock runs fast, so the game-time jobs would run every second: NPC traders and the
    // market and patrol jobs are held back, so every request answers promptly on the embedded database.
    game = await startGame({
      NEW_PILOT_CREDITS: '40000',
      GAME_TIME_SCALE: String(SCALE),
      NPC_TRADERS_PER_REGION: '0',
      JOB_MARKET_DRIFT_EVERY: '30d',
      JOB_NPC_TRADERS_EVERY: '30d',
      JOB_NPC_PATROLS_EVERY: '30d',
    });
  }, 60_000);
  afterAll(async () => {
    await game?.close();
  });

  /** Poll what the screen says, with room for a busy machine (the server shares its cores). */
  const poll = <T>(probe: () => Promise<T>) => expect.poll(probe, { timeout: 15_000 });

  /** Warp by warp as flyByKeys does, waiting up to 15 s for each arrival. */
  async function fly(page: Page, course: number[]) {
    for (const to of course.slice(1)) {
      const key = await page
        .locator('.col-sector .warp-key', { has: page.locator('.to', { hasText: new RegExp(`^${to}$`) }) })
        .getAttribute('aria-keyshortcuts');
      expect(key, `a numbered warp to sector ${to}`).toMatch(/^[1-9]$/);
      await page.keyboard.press(key!);
      await poll(() => sectorShown(page)).toBe(String(to));
    }
  }

  async function buy(page: Page, good: string, units: number) {
    await page.getByRole('button', { name: `Buy ${good}` }).click();
    await page.getByLabel(`Buy ${good}`).fill(String(units));
    await page.getByRole('button', { name: new RegExp(`^Buy ${units} for [\\d,]+ cr$`) }).click();
    await poll(() => page.locator('.trade .outcome').textContent()).toMatch(new RegExp(`^Bought ${units} ${good}`));
  }

  it('buys a torpedo, creates a planet, ferries colonists, sets the allocation, waits a game day, loads and sells what it made', async () => {
    const galaxy = generateGalaxy(TEST_GALAXY);
    const graph = buildWarpGraph(galaxy.warps);
    const course = (from: number, to: number) => plotCourse(graph, from, to, { turnsPerWarp: 2 })!.path;
    const stardock = galaxy.ports.find((p) => p.portClass === 9)!.sectorId;
    const route = planTradeRoute(TEST_GALAXY, 50);
    const good = GOOD[route.good];
    // The colony: the first sector outside FedSpace on the way to the port that buys the good.
    const colony = route.outbound.find((id) => !galaxy.sectors[id - 1]!.fedspace)!;
    const perDay = Math.floor((COLONISTS * BASE_PRODUCTION_PER_100[route.good] * PLANET_MULTIPLIERS[good.type as PlanetType][route.good]) / 10_000);

    const pilot = await game.open();
    await signUp(pilot);
    const page = pilot.page;

    // The colonist ferry starts at Earth Station.
    await buy(page, 'Colonists', COLONISTS);

    // A genesis torpedo from the Stardock.
    await fly(page, course(1, stardock));
    await page.getByRole('button', { name: 'Enter the shipyard' }).click();
    await page.getByRole('table', { name: 'Hulls' }).waitFor();
    await page.getByLabel('Quantity of Genesis torpedoes').fill('1');
    await page.getByRole('button', { name: 'Buy Genesis torpedoes' }).click();
    await poll(() => page.locator('.stardock .notice').textContent()).toBe('Bought 1 genesis torpedoes.');
    await page.getByRole('button', { name: 'Back to the cockpit' }).first().click();

    // Out of FedSpace, the genesis dialog.
    await fly(page, course(stardock, colony));
    await page.getByRole('button', { name: 'Planets…' }).click();
    const screen = page.getByRole('region', { name: /Planets/ });
    await screen.getByRole('button', { name: 'Fire a genesis torpedo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Genesis torpedo' });
    await dialog.getByLabel('Planet name').fill('Homestead');
    await dialog.getByLabel('Type').selectOption(good.type);
    await dialog.getByRole('button', { name: 'Create planet' }).click();
    await poll(() => page.locator('.planets .notice').textContent()).toBe(`Homestead is yours: a ${good.typeName} planet in sector ${colony}.`);
    await poll(() => page.getByRole('list', { name: 'Planets in this sector' }).textContent()).toContain('Homestead');

    // Land, drop the colonists, put them all to work on the good.
    const planet = page.getByRole('article', { name: 'Planet Homestead' });
    await planet.getByRole('button', { name: 'Land on Homestead (1 turn)' }).click();
    await planet.getByTestId('landed').waitFor();
    await planet.getByRole('button', { name: `Drop all ${COLONISTS}` }).click();
    await poll(() => planet.getByTestId('population').textContent()).toBe(`${COLONISTS} / 2,000 colonists`);
    await planet.getByLabel(`${good.name} %`).fill('100');
    await poll(() => planet.getByRole('region', { name: 'Allocation' }).textContent()).toContain('Idle: 0%');
    await planet.getByRole('button', { name: 'Save allocation' }).click();
    await poll(() => page.locator('.planets .notice').textContent()).toBe('Allocation saved.');
    await poll(() => planet.getByTestId(`production-${good.product}`).textContent()).toBe(String(perDay));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'planet-desktop.png'), fullPage: true });
    // The planet screen fits a phone.
    await page.setViewportSize(PHONE);
    await poll(() => sidewaysScroll(page)).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'planet-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);

    // A game day later the stock shows what the colonists made.
    await expect.poll(() => planet.getByTestId(`stock-${route.good}`).textContent(), { timeout: 60_000, interval: 500 }).toBe(String(perDay));
    await planet.getByLabel('Good').selectOption(route.good);
    await planet.getByRole('button', { name: 'Load all that fits' }).click();
    await poll(() => page.locator('.planets .notice').textContent()).toBe(`Loaded ${perDay} into your holds.`);
    await poll(() => planet.getByTestId(`stock-${route.good}`).textContent()).toBe('0');

    // Fly to the port that buys it and sell.
    await page.getByRole('button', { name: 'Back to the cockpit' }).first().click();
    await fly(page, course(colony, route.sellAt));
    const before = await credits(page);
    await page.getByRole('button', { name: `Sell ${good.name}` }).click();
    await page.getByRole('button', { name: new RegExp(`^Max ${perDay}$`) }).click();
    await page.getByRole('button', { name: new RegExp(`^Sell ${perDay} for [\\d,]+ cr$`) }).click();
    await poll(() => page.locator('.trade .outcome').textContent()).toMatch(new RegExp(`^Sold ${perDay} ${good.name}`));
    await poll(() => credits(page)).toBeGreaterThan(before);

    // The planets leaderboard lists the colony.
    await page.getByRole('link', { name: 'Rankings' }).first().click();
    await page.getByRole('tab', { name: 'Planets' }).click();
    const row = page.getByRole('table', { name: 'Planets leaderboard' }).getByRole('row', { name: new RegExp(pilot.name) });
    await poll(() => row.textContent()).toContain(`${pilot.name}1${COLONISTS}0`);
    expect(pilot.errors).toEqual([]);
  }, 180_000);
});
