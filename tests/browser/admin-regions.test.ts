import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ADMIN_SCOPES } from '../../platform/admin-scopes.js';
import { dockerdAvailable, startDockerd, type TestDockerd } from '../dockerd.js';
import { TEST_SECRET, testBackends } from '../harness.js';
import { createNexus, type Nexus, SERVER_URL } from '../scratch-nexus.js';
import { type AdminGame, heading, shot, signedInAdmin, startAdminGame } from './admin-harness.js';
import { hasChromium } from './browser-harness.js';

/**
 * The Regions view in Chromium against `sectorwars all` that is the region manager too
 * (DOCKER_SOCKET set) on a scratch dockerd: an admin creates the Central Nexus with one api
 * replica and watches its steps complete, sees it healthy, scales it to 2 and sees 2/2 running,
 * then deletes it behind the slug and TOTP. The PostgreSQL pass only: the region's containers
 * reach the registry and their shard there.
 */
const { databaseUrl, redisUrl } = testBackends();
const SLOW = { timeout: 180_000 };

describe.skipIf(!hasChromium || !dockerdAvailable || !databaseUrl)('the admin Regions view', () => {
  let engine: TestDockerd;
  let nexus: Nexus;
  let ag: AdminGame;
  const dumpDir = mkdtempSync(path.join(tmpdir(), 'sw-dumps-'));

  beforeAll(async () => {
    [engine, nexus] = await Promise.all([startDockerd(), createNexus()]);
    const backends = { DATABASE_URL: nexus.accountsUrl, REGION_DATABASE_URL: nexus.terranUrl, JWT_SECRET: TEST_SECRET };
    ag = await startAdminGame(
      {
        ...backends,
        ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_PREFIX: `sw-regions-spa-${nexus.suffix}:` } : {}),
        DOCKER_SOCKET: engine.socket,
        REGIONS_DATABASE_SERVER_URL: SERVER_URL,
        REGIONS_PORT_BASE: String(22_000 + Math.floor(Math.random() * 1_500) * 20),
        REGIONS_DUMP_DIR: dumpDir,
        REGIONS_RECONCILE_EVERY: '1s',
      },
      ADMIN_SCOPES,
      backends,
    );
  }, 300_000);

  afterAll(async () => {
    await ag?.game.close();
    await engine?.stop();
    await nexus?.close();
    rmSync(dumpDir, { recursive: true, force: true });
  }, 120_000);

  it('creates a region with its steps shown live, sees it healthy, scales it to 2 and deletes it', async () => {
    const { page, code } = await signedInAdmin(ag);
    onTestFailed(async () => {
      await shot(page, 'regions-failed');
    });
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Regions' }).click();
    await heading(page, 'Regions');
    const row = (slug: string) => page.locator(`[data-testid="region-row"][data-slug="${slug}"]`);
    await expect.poll(() => row('terran').textContent(), SLOW).toContain('external');

    await page.getByLabel('Slug', { exact: true }).fill('nexus');
    await page.getByLabel('api replicas', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Create…' }).click();
    const createDialog = page.getByRole('dialog', { name: 'Create the region nexus' });
    await createDialog.getByLabel('Reason (kept in the audit log)').fill('open the central nexus');
    await createDialog.getByRole('button', { name: 'Create the region' }).click();

    // The steps as the job reports them: a step seen done before the job is, then all of them.
    const progress = page.getByTestId('create-progress');
    const step = (name: string) => progress.locator(`[data-step="${name}"]`);
    await expect.poll(() => step('database').getAttribute('data-state'), SLOW).toBe('done');
    expect(await progress.getAttribute('data-state')).toBe('running');
    await shot(page, 'regions-creating');
    await expect.poll(() => progress.getAttribute('data-state'), SLOW).toBe('done');
    expect(await progress.locator('[data-testid="create-step"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-state')))).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(await page.getByTestId('create-error').count()).toBe(0);

    // Healthy: 1/1, its replica ready.
    await expect.poll(() => row('nexus').getByTestId('region-api').textContent(), SLOW).toBe('1/1 running');
    await expect.poll(() => row('nexus').locator('[data-testid="region-replica"][data-ready="true"]').count(), SLOW).toBe(1);
    expect(await row('nexus').getByTestId('region-state').textContent()).toBe('active');
    await shot(page, 'regions-created');

    // Scale to 2: 2/2 running, both ready.
    await row('nexus').getByRole('button', { name: 'Scale…' }).click();
    const scaleDialog = page.getByRole('dialog', { name: 'Scale Central Nexus' });
    await scaleDialog.getByLabel('api replicas').fill('2');
    await scaleDialog.getByLabel('Reason (kept in the audit log)').fill('a busy evening');
    await scaleDialog.getByRole('button', { name: 'Scale' }).click();
    await expect.poll(() => page.getByTestId('region-done').textContent(), SLOW).toBe('Central Nexus runs 2 api replicas.');
    await expect.poll(() => row('nexus').getByTestId('region-api').textContent(), SLOW).toBe('2/2 running');
    await expect.poll(() => row('nexus').locator('[data-testid="region-replica"][data-ready="true"]').count(), SLOW).toBe(2);
    await shot(page, 'regions-scaled');

    // Delete: the slug typed, a fresh code, the dump kept.
    await row('nexus').getByRole('button', { name: 'Delete…' }).click();
    const deleteDialog = page.getByRole('dialog', { name: 'Delete the region Central Nexus' });
    await deleteDialog.getByLabel('Reason (kept in the audit log)').fill('end of the test season');
    await deleteDialog.getByLabel('Type nexus to confirm').fill('nexus');
    await deleteDialog.getByLabel('Authenticator code').fill(await code());
    await deleteDialog.getByRole('button', { name: 'Delete the region' }).click();
    await expect.poll(() => page.getByTestId('region-done').textContent(), SLOW).toContain(`Central Nexus is deleted. Its final dump: ${dumpDir}`);
    await expect.poll(() => row('nexus').count(), SLOW).toBe(0);
  }, 600_000);
});
