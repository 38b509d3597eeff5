import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type AdminGame, heading, shot, signedInAdmin, startAdminGame, TABLET, WAIT } from './admin-harness.js';
import { hasChromium, onSharedBackends, type Pilot, signUp } from './browser-harness.js';

/**
 * The Universe view in Chromium against a real `sectorwars all` while a pilot plays: the galaxy
 * cannot be replaced (and the page says why), a small new region is previewed, committed behind
 * the TOTP prompt and written with its progress shown live from the admin topic, appears on the
 * map, and is edited: a port's stock, then the gate's removal, refused for stranding the region.
 */
describe.skipIf(!hasChromium || onSharedBackends())('the admin Universe view', () => {
  let ag: AdminGame;
  beforeAll(async () => {
    ag = await startAdminGame();
  }, 120_000);
  afterAll(async () => {
    await ag?.game.close();
  });

  it('generates a small region with live progress, shows it on the map, edits a port and refuses a warp cut that strands sectors', async () => {
    const pilot: Pilot = await ag.game.open();
    await signUp(pilot);
    const { page, code } = await signedInAdmin(ag);
    onTestFailed(async () => {
      await shot(page, 'universe-failed');
    });

    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Universe' }).click();
    await heading(page, 'Universe');
    const summary = page.getByTestId('map-summary');
    await expect.poll(() => summary.textContent(), WAIT).toMatch(/^[\d,]+ sectors · Terran Space, Central Nexus$/);
    const before = Number((await summary.textContent())!.split(' ')[0]!.replace(/,/g, ''));
    // A pilot is playing: replacing the galaxy is off, and the page says why.
    await expect.poll(() => page.getByTestId('replace-refused').textContent(), WAIT).toContain('1 pilots have played');
    expect(await page.getByLabel('Replace the galaxy').isDisabled()).toBe(true);

    await page.getByLabel('Region name', { exact: true }).fill('Outer Rim');
    await page.getByLabel('Slug', { exact: true }).fill('outer-rim');
    await page.getByLabel('Sectors', { exact: true }).fill('30');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByTestId('preview-sectors').textContent(), WAIT).toBe('30');
    expect(await page.getByTestId('preview-connectivity').textContent()).toContain('strongly connected');
    // The server chose the seed and the page pinned it, so the commit writes what was previewed.
    expect(await page.getByLabel('Seed', { exact: true }).inputValue()).not.toBe('');
    const gate = /sector (\d+) ⇄ sector (\d+)/.exec((await page.getByTestId('generate-preview').textContent())!)!;
    const [inside, outside] = [Number(gate[1]), Number(gate[2])];
    expect(inside).toBeGreaterThan(before);

    await page.getByRole('button', { name: 'Commit…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add the region Outer Rim' });
    await dialog.getByLabel('Reason (kept in the audit log)').fill('the rim opens for the season');
    await dialog.getByLabel('Authenticator code').fill(await code());
    await dialog.getByRole('button', { name: 'Add the region' }).click();

    // Progress from the admin topic: each table with its count, then done.
    const progress = page.getByTestId('generate-progress');
    await expect.poll(() => progress.getAttribute('data-state'), WAIT).toBe('done');
    expect(await page.getByTestId('generate-status').textContent()).toBe('done');
    const rows = await progress.getByTestId('progress-row').allTextContents();
    expect(rows.find((r) => r.startsWith('sectors'))).toContain('30 / 30');
    expect(rows.map((r) => r.split(/\d/)[0])).toEqual(expect.arrayContaining(['sectors', 'warps']));
    expect(await progress.textContent()).toContain('live on the admin topic');
    await shot(page, 'universe-generate');

    // The map reads the galaxy again: the region's sectors and its name are on it.
    await expect.poll(() => summary.textContent(), WAIT).toBe(`${(before + 30).toLocaleString('en-US')} sectors · Terran Space, Central Nexus, Outer Rim`);
    expect(await page.locator(`circle[data-sector="${before + 30}"]`).count()).toBe(1);
    expect(await page.locator('text[data-region="3"]').textContent()).toBe('Outer Rim');
    await shot(page, 'universe');

    // A port of the new region: open its sector from the map and change a good's stock.
    const titles = await page.locator('circle[data-sector] > title').allTextContents();
    const ported = titles
      .map((title) => /^Sector (\d+) · port class/.exec(title))
      .map((match) => (match ? Number(match[1]) : 0))
      .find((id) => id > before);
    expect(ported).toBeDefined();
    await page.locator(`circle[data-sector="${ported}"]`).click();
    await expect.poll(() => page.getByRole('heading', { name: `Sector ${ported}` }).count(), WAIT).toBe(1);
    const good = page.getByTestId('port-good').first();
    await expect.poll(() => good.count(), WAIT).toBe(1);
    const name = (await good.getAttribute('data-good'))!;
    const capacity = Number(await good.getByLabel(`${name} capacity`).inputValue());
    const stock = Math.floor(capacity / 3);
    await good.getByLabel(`${name} stock`).fill(String(stock));
    await page.getByRole('button', { name: 'Save port' }).click();
    const portDialog = page.getByRole('dialog');
    await portDialog.getByLabel('Reason (kept in the audit log)').fill('a shortage for the rim event');
    await portDialog.getByLabel('Authenticator code').fill(await code());
    await portDialog.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByTestId('edit-done').textContent(), WAIT).toContain('done');
    await expect.poll(() => page.getByTestId('port-good').first().getByLabel(`${name} stock`).inputValue(), WAIT).toBe(String(stock));

    // The gate is the region's only way in and out: cutting it (both ways) is refused.
    await page.getByLabel('Sector', { exact: true }).fill(String(inside));
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByRole('heading', { name: `Sector ${inside}` }).count(), WAIT).toBe(1);
    const gateRow = page.locator(`[data-testid="warp-row"][data-to="${outside}"]`);
    await expect.poll(() => gateRow.textContent(), WAIT).toContain('gate');
    await gateRow.getByRole('button', { name: 'Remove' }).click();
    const warpDialog = page.getByRole('dialog', { name: `Remove warp ${inside} ⇄ ${outside}` });
    await warpDialog.getByLabel('Reason (kept in the audit log)').fill('close the rim again');
    await warpDialog.getByLabel('Authenticator code').fill(await code());
    await warpDialog.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByTestId('edit-refusal').textContent(), WAIT).toContain(`Remove warp ${inside} ⇄ ${outside} refused`);
    expect(await page.getByTestId('edit-refusal').textContent()).toContain('cut sectors off');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await gateRow.count()).toBe(1);
    await shot(page, 'universe-editor');

    await page.setViewportSize(TABLET);
    await expect.poll(() => page.getByRole('heading', { name: `Sector ${inside}` }).isVisible(), WAIT).toBe(true);
    await shot(page, 'universe-tablet');
    expect(pilot.errors).toEqual([]);
  }, 240_000);
});
