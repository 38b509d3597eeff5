import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ADMIN_SCOPES } from '../../platform/admin-scopes.js';
import { ADMIN_PASSWORD, type AdminGame, enroll, heading, shot, startAdminGame, TABLET, WAIT } from './admin-harness.js';
import { CHROMIUM, hasChromium, onSharedBackends, type Pilot, SCREENSHOTS, sectorShown, signUp } from './browser-harness.js';

/**
 * The admin SPA in Chromium against a real `sectorwars all`: an admin made by `sectorwars admin
 * create` redeems the enrollment link, enrolls TOTP from the page (the test reads the key and
 * computes codes as an authenticator app would), signs in with password and code, finds a pilot
 * who is flying in another browser, grants credits with a reason behind the TOTP prompt, reads the
 * audit row, and bans the pilot, whose open socket closes.
 */
if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe.skipIf(!hasChromium || onSharedBackends())('the admin SPA', () => {
  let ag: AdminGame;
  /** the admin's authenticator, once enrolled on the page */
  let code: () => Promise<string>;
  beforeAll(async () => {
    ag = await startAdminGame();
  }, 120_000);
  afterAll(async () => {
    await ag?.game.close();
  });

  it('enrolls, signs in with a TOTP code, grants credits behind the prompt, shows the audit row, and bans a pilot whose socket closes', async () => {
    const { game, name: opsName } = ag;
    // A pilot flying in their own browser, whose sockets the page records with their close codes.
    const pilot: Pilot = await game.open();
    await pilot.context.addInitScript(() => {
      const closes: number[] = [];
      (globalThis as unknown as { __closes: number[] }).__closes = closes;
      const Native = globalThis.WebSocket;
      globalThis.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          this.addEventListener('close', (event) => closes.push(event.code));
        }
      };
    });
    await pilot.page.reload();
    await signUp(pilot);

    // The enrollment link: a password, then TOTP from the QR code's key.
    const enrolled = await enroll(ag);
    const { admin, page, recoveryCodes } = enrolled;
    code = enrolled.code;
    // What the admin's page showed when a step failed, beside the screenshots.
    onTestFailed(async () => {
      await shot(page, 'failed');
    });
    expect(recoveryCodes[0]).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    await shot(page, 'recovery-codes');
    await page.getByRole('button', { name: 'I saved them: continue' }).click();

    // The sign-in that follows takes a recovery code in place of the app's.
    await heading(page, 'Two-step sign-in');
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'Dashboard');
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Signing in: password, then the code the app shows now.
    await page.getByLabel('Username').fill(opsName);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await shot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Two-step sign-in');
    await page.getByLabel('Authenticator code').fill(await code());
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'Dashboard');
    expect(await page.getByTestId('my-scopes').locator('li').count()).toBe(ADMIN_SCOPES.length);
    const nav = page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link');
    expect(await nav.allTextContents()).toEqual(expect.arrayContaining(['Dashboard', 'Players', 'Audit log', 'Scopes']));
    await expect.poll(() => page.getByTestId('audit-row').count(), WAIT).toBeGreaterThan(0);
    await shot(page, 'dashboard');

    // Find the pilot from the dashboard's search.
    await page.getByLabel('Name, email or account id').fill(pilot.name);
    await page.getByRole('button', { name: 'Search' }).click();
    await heading(page, 'Players');
    const rows = page.getByTestId('player-row');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    await shot(page, 'players');
    await rows.getByRole('link', { name: pilot.name }).click();
    await heading(page, pilot.name);
    const startCredits = Number((await page.getByTestId('pilot-credits').textContent())!.replace(/[^0-9]/g, ''));
    expect(startCredits).toBeGreaterThan(0);

    // Credits: an amount, a reason and a fresh code in the prompt.
    await page.getByRole('button', { name: 'Adjust credits' }).click();
    const dialog = page.getByRole('dialog', { name: `Adjust the credits of ${pilot.name}` });
    await dialog.getByLabel('Change in credits').fill('5000');
    await dialog.getByLabel(/Reason/).fill('refund after a lost trade (ticket 42)');
    expect(await dialog.getByRole('button', { name: 'Adjust credits' }).isDisabled()).toBe(true);
    await shot(page, 'credits-prompt');
    await dialog.getByLabel('Authenticator code').fill(await code());
    await dialog.getByRole('button', { name: 'Adjust credits' }).click();
    await expect.poll(() => page.getByTestId('pilot-credits').textContent(), WAIT).toBe(`${(startCredits + 5000).toLocaleString('en-US')} cr`);
    expect(await page.getByRole('dialog').count()).toBe(0);
    const ledgerTop = page.getByTestId('ledger-row').first();
    expect(await ledgerTop.textContent()).toContain('admin_adjustment');
    expect(await ledgerTop.textContent()).toContain('+5,000');
    await shot(page, 'player-detail');

    // The audit log has the change: who, what, before and after, why.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await heading(page, 'Audit log');
    await page.getByLabel('Action').fill('player.credits');
    await page.getByRole('button', { name: 'Filter' }).click();
    const entries = page.getByTestId('audit-row');
    await expect.poll(() => entries.count(), WAIT).toBe(1);
    const entry = (await entries.first().textContent())!;
    expect(entry).toContain(opsName);
    expect(entry).toContain('player.credits');
    expect(entry).toContain('refund after a lost trade (ticket 42)');
    expect(entry).toContain(`"credits":${startCredits + 5000}`);
    await shot(page, 'audit');

    // Ban: the pilot's open socket closes with auth_revoked.
    await page.goBack();
    await heading(page, pilot.name);
    expect(await pilot.page.evaluate(() => (globalThis as unknown as { __closes: number[] }).__closes)).toEqual([]);
    await page.getByRole('button', { name: 'Ban' }).click();
    const ban = page.getByRole('dialog', { name: `Ban ${pilot.name}` });
    await ban.getByLabel(/Reason/).fill('botting in FedSpace');
    await ban.getByLabel('Authenticator code').fill(await code());
    await ban.getByRole('button', { name: 'Ban' }).click();
    await expect.poll(() => page.getByTestId('account-status').first().textContent(), WAIT).toBe('banned');
    await expect.poll(() => pilot.page.evaluate(() => (globalThis as unknown as { __closes: number[] }).__closes), { timeout: 5_000 }).toContain(4001);
    await expect.poll(() => pilot.page.getByRole('button', { name: 'Create pilot' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByRole('button', { name: 'Unban' }).count()).toBe(1);

    // Scopes: who holds what; on a tablet the navigation sits on top.
    await page.getByRole('link', { name: 'Scopes' }).click();
    await heading(page, 'Scopes');
    await expect.poll(() => page.getByTestId('admin-row').count(), WAIT).toBeGreaterThan(0);
    await shot(page, 'scopes');
    await page.setViewportSize(TABLET);
    expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
    await shot(page, 'scopes-tablet');
    expect(admin.errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  }, 240_000);

  it('signs an account with TOTP in to the game with its code', async () => {
    const player = await ag.game.open();
    const { page } = player;
    await page.getByRole('tab', { name: 'Returning pilot' }).click();
    await page.getByLabel('Pilot name').fill(ag.name);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByLabel('Authentication code').count(), WAIT).toBe(1);
    expect(await page.getByRole('tab').count(), 'the sign-in forms make way for the second step').toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'web-totp-sign-in.png'), fullPage: true });
    await page.getByLabel('Authentication code').fill(await code());
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => sectorShown(page), WAIT).toBe('1');
  }, 120_000);
});
