import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateGalaxy } from '../../game/galaxy.js';
import { TEST_GALAXY } from '../test-galaxy.js';
import { credits, flyByKeys, type Game, hasChromium, onSharedBackends, sectorShown, signUp, startGame } from './browser-harness.js';
import { planTradeRoute } from './trade-route.js';

/**
 * Territory in Chromium against a real `sectorwars all`: one pilot deploys toll fighters through
 * the Territory panel outside FedSpace; a second pilot warps in, is asked for the toll, pays it;
 * the first pilot's credits go up by the toll without a reload (the realtime event refreshes it).
 */
describe.skipIf(!hasChromium || onSharedBackends())('territory in Chromium', () => {
  let game: Game;
  beforeAll(async () => {
    game = await startGame({ NEW_PILOT_PROTECTION_HOURS: '0' });
  }, 60_000);
  afterAll(async () => {
    await game?.close();
  });

  it('deploys toll fighters; a second pilot is asked, pays, and the owner sees the credits arrive', async () => {
    const galaxy = generateGalaxy(TEST_GALAXY);
    const route = planTradeRoute(TEST_GALAXY, 50);
    const k = route.outbound.findIndex((id) => !galaxy.sectors[id - 1]!.fedspace);
    const held = route.outbound[k]!;
    const TOLL = 150;

    const owner = await game.open();
    await signUp(owner);
    await flyByKeys(owner.page, route.outbound.slice(0, k + 1));
    const panel = owner.page.getByRole('region', { name: /Defenses in sector/ });
    await panel.getByLabel('Quantity').fill('20');
    await panel.getByLabel('Mode').selectOption('toll');
    await panel.getByLabel('Toll (cr)').fill(String(TOLL));
    await panel.getByRole('button', { name: /^Deploy fighters/ }).click();
    await expect.poll(() => panel.locator('.defense-stacks').textContent()).toContain(`Yours: 20 fighters (toll, toll ${TOLL} cr)`);
    const before = await credits(owner.page);

    const entrant = await game.open();
    await signUp(entrant);
    await flyByKeys(entrant.page, route.outbound.slice(0, k));
    const key = await entrant.page
      .locator('.col-sector .warp-key', { has: entrant.page.locator('.to', { hasText: new RegExp(`^${held}$`) }) })
      .getAttribute('aria-keyshortcuts');
    await entrant.page.keyboard.press(key!);
    const prompt = entrant.page.getByRole('alertdialog', { name: 'Toll demanded' });
    await expect.poll(() => prompt.textContent()).toContain(`demand a toll of ${TOLL} cr`);
    const entrantBefore = await credits(entrant.page);
    await prompt.getByRole('button', { name: `Pay ${TOLL} cr` }).click();
    await expect.poll(() => sectorShown(entrant.page)).toBe(String(held));
    await expect.poll(() => credits(entrant.page)).toBe(entrantBefore - TOLL);
    await expect.poll(() => credits(owner.page), { timeout: 10_000 }).toBe(before + TOLL);
    await expect.poll(() => owner.page.locator('.log-lines').textContent()).toContain(`paid your toll of ${TOLL} cr`);
    expect(owner.errors).toEqual([]);
    // The one 409 is the toll_required answer the prompt was built from.
    expect(entrant.errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
  }, 120_000);
});
