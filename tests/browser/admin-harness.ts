import path from 'node:path';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN_SCOPES } from '../../platform/admin-scopes.js';
import { uniqueName } from '../harness.js';
import { DESKTOP, type Game, type Pilot, runOnce, SCREENSHOTS, startGame } from './browser-harness.js';

/** What the admin browser tests share: a CLI-made admin, its authenticator, and waits on headings. */

export const ADMIN_PASSWORD = 'admin horse battery staple';
export const TABLET = { width: 820, height: 1180 };
/** Every wait here is for a state the page shows; a slow machine (Argon2 on a busy core) gets 15 s. */
export const WAIT = { timeout: 15_000 };

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `admin-${name}.png`), fullPage: true });
export const heading = (page: Page, name: string) => expect.poll(() => page.getByRole('heading', { name, exact: true }).count(), WAIT).toBe(1);

/**
 * Codes as an authenticator app shows them, one per 30-second step. The server takes the current
 * step or the next, each once and only moving forward, so a third code in one step waits for the
 * clock to reach the next step (a wait on a concrete condition: the time).
 */
export function authenticator(key: Uint8Array) {
  let last = -1n;
  return async (): Promise<string> => {
    for (;;) {
      const now = BigInt(Math.floor(Date.now() / 30_000));
      const step = last + 1n > now ? last + 1n : now;
      if (step <= now + 1n) {
        last = step;
        return generateHOTP(key, step, 6);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
}

export interface AdminGame {
  game: Game;
  /** the admin's username, made by `sectorwars admin create` with every scope */
  name: string;
  /** `/admin/enroll?token=…`, printed by the CLI */
  enrollLink: string;
}

/** `sectorwars all` with an admin made by the CLI (every scope) before the server starts (on `onceEnv`'s databases). */
export async function startAdminGame(
  env: Record<string, string> = {},
  scopes: readonly string[] = ADMIN_SCOPES,
  /** the databases the one-shot roles (generate, admin create) use, when the server is not on embedded defaults */
  onceEnv: Record<string, string> = {},
): Promise<AdminGame> {
  const name = uniqueName('ops');
  let enrollLink = '';
  const game = await startGame(env, {
    onceEnv,
    prepare: async (_dataDir, once) => {
      const out = await runOnce('admin', once, ['create', '--username', name, '--scopes', scopes.join(',')]);
      enrollLink = /\/admin\/enroll\?token=\S+/.exec(out)?.[0] ?? '';
    },
  });
  return { game, name, enrollLink };
}

export interface Enrolled {
  admin: Pilot;
  page: Page;
  /** the key read off the enrollment page */
  secret: string;
  /** the next code of the admin's authenticator */
  code: () => Promise<string>;
  recoveryCodes: string[];
}

/**
 * Redeems the enrollment link in a new desktop page: a password, then TOTP from the QR code's key,
 * confirmed with a computed code; stops at the recovery codes the page shows once.
 */
export async function enroll({ game, enrollLink }: AdminGame): Promise<Enrolled> {
  expect(enrollLink).toMatch(/^\/admin\/enroll\?token=/);
  const admin = await game.open(DESKTOP);
  const { page } = admin;
  await page.goto(`${game.base}${enrollLink}`);
  await page.getByLabel('New password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByLabel('Repeat the password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Set password' }).click();
  await heading(page, 'Set up two-step sign-in');
  await expect.poll(() => page.getByRole('img', { name: 'QR code of the TOTP key' }).count(), WAIT).toBe(1);
  const secret = (await page.getByTestId('totp-secret').textContent())!;
  expect(await page.getByTestId('otpauth-url').textContent()).toContain(`secret=${secret}`);
  const code = authenticator(decodeBase32IgnorePadding(secret));
  await shot(page, 'enroll');
  await page.getByLabel('Code from the app').fill(await code());
  await page.getByRole('button', { name: 'Confirm' }).click();
  const recovery = page.getByTestId('recovery-codes').locator('li');
  await expect.poll(() => recovery.count(), WAIT).toBe(10);
  return { admin, page, secret, code, recoveryCodes: await recovery.allTextContents() };
}

/** Enrollment, then the two-step sign-in that follows it with the app's code: on the dashboard. */
export async function signedInAdmin(adminGame: AdminGame): Promise<Enrolled> {
  const enrolled = await enroll(adminGame);
  const { page, code } = enrolled;
  await page.getByRole('button', { name: 'I saved them: continue' }).click();
  await heading(page, 'Two-step sign-in');
  await page.getByLabel('Authenticator code').fill(await code());
  await page.getByRole('button', { name: 'Verify' }).click();
  await heading(page, 'Dashboard');
  return enrolled;
}
