import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, type Game, hasChromium, onSharedBackends, SCREENSHOTS, signUp, startGame } from './browser-harness.js';

/**
 * The account page in Chromium against a real `sectorwars all`: a pilot creates a personal access
 * token with scopes, sees it once and copies it, the token plays the game through the API, and
 * revoking it on the page stops it at once.
 */
if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe.skipIf(!hasChromium || onSharedBackends())('personal access tokens in the web client', () => {
  let game: Game;
  beforeAll(async () => {
    game = await startGame();
  }, 90_000);
  afterAll(async () => {
    await game?.close();
  });

  it('creates a token shown once with a copy button, lists it, and revokes it', async () => {
    const pilot = await game.open();
    await pilot.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: game.base });
    await signUp(pilot);
    const { page } = pilot;
    await page
      .getByRole('link', { name: /Account/ })
      .first()
      .click();
    await expect.poll(() => page.getByRole('heading', { name: /Personal access tokens/ }).count()).toBe(1);
    expect(page.url()).toBe(`${game.base}/account`);
    await expect.poll(() => page.getByText('No tokens yet.').count()).toBe(1);

    await page.getByLabel('Name').fill('trading bot');
    await page.getByLabel(/game:play/).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token');
    await expect.poll(() => shown.textContent()).toMatch(/^swp_[A-Za-z0-9_-]{43}$/);
    const token = (await shown.textContent())!;
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Copied' }).count()).toBe(1);
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);

    const row = page.getByTestId('token-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('trading bot');
    expect(await row.textContent()).toContain('game:read, game:play');
    expect(await row.textContent()).toContain(token.slice(0, 12));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'account-tokens.png'), fullPage: true });

    // The token plays through the API.
    const state = await fetch(`${game.base}/api/v1/player/state`, { headers: { authorization: `Bearer ${token}` } });
    expect(state.status).toBe(200);

    // Once dismissed, the secret is gone from the page; the list keeps only its start.
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(token);

    await page.getByRole('button', { name: 'Revoke trading bot' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await expect.poll(() => page.getByText('No tokens yet.').count()).toBe(1);
    const refused = await fetch(`${game.base}/api/v1/player/state`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    expect(pilot.errors).toEqual([]);
  }, 120_000);
});
