import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ADMIN_SCOPES } from '../../platform/admin-scopes.js';
import { DOCKERD_HOOK_TIMEOUT_MS, dockerdAvailable, startDockerd, type TestDockerd } from '../dockerd.js';
import { TEST_SECRET, testBackends } from '../harness.js';
import { quietPortBlock } from '../ports.js';
import { createNexus, type Nexus, SERVER_URL, withServer } from '../scratch-nexus.js';
import { type AdminGame, heading, shot, signedInAdmin, startAdminGame, WAIT } from './admin-harness.js';
import { hasChromium, SCREENSHOTS } from './browser-harness.js';

/**
 * The Regions view (issue 21) in Chromium against `sectorwars all` that is the region manager too
 * (DOCKER_SOCKET set) on a scratch dockerd of the test's own: Terran is listed as external; an
 * admin creates the Central Nexus with one api replica and watches its steps advance live (a step
 * seen running before the job is done), sees 1/1 running and ready, scales it to 2 and sees 2/2,
 * then deletes it behind the slug and TOTP; its containers and database are gone. Every answer
 * the page got is checked for a 5xx: a 500 on the way is a failure, with the server's log kept.
 * The PostgreSQL pass only: the region's containers reach the registry and their shard there.
 */
const { databaseUrl, redisUrl, redisPrefix } = testBackends();
/** the create job migrates, writes a shard and starts 3 containers: up to ~2 min on two cores */
const SLOW = { timeout: 180_000, interval: 250 };

/** One look at the progress card: its state and each step's, read in one go. */
interface ProgressLook {
  card: string | null;
  steps: Array<{ step: string | null; state: string | null }>;
}

/**
 * Run in the page (over the DevTools protocol, so the app's CSP does not apply): every change of
 * the progress card's or a step's data-state is kept in window.progressLooks, as one look at the
 * whole card, so none is missed between the test's polls.
 */
const WATCH_PROGRESS = `(() => {
  window.progressLooks = [];
  const look = () => {
    const card = document.querySelector('[data-testid="create-progress"]');
    if (!card) return;
    const steps = [...card.querySelectorAll('[data-testid="create-step"]')].map((s) => ({ step: s.getAttribute('data-step'), state: s.getAttribute('data-state') }));
    const next = { card: card.getAttribute('data-state'), steps };
    if (JSON.stringify(window.progressLooks.at(-1)) !== JSON.stringify(next)) window.progressLooks.push(next);
  };
  new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})()`;

describe.skipIf(!hasChromium || !dockerdAvailable || !databaseUrl)('the admin Regions view', () => {
  let engine: TestDockerd;
  let nexus: Nexus;
  let ag: AdminGame;
  const dumpDir = mkdtempSync(path.join(tmpdir(), 'sw-dumps-'));

  beforeAll(async () => {
    [engine, nexus] = await Promise.all([startDockerd(), createNexus()]);
    // what `sectorwars admin create` needs too: on PostgreSQL a JWT secret is required
    const databases = { DATABASE_URL: nexus.accountsUrl, REGION_DATABASE_URL: nexus.terranUrl, JWT_SECRET: TEST_SECRET };
    ag = await startAdminGame(
      {
        ...databases,
        // under the run's prefix, which the global teardown clears (the region's processes add their slug to it)
        ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_PREFIX: `${redisPrefix}regions-browser:` } : {}),
        RATE_LIMITS: 'false',
        DOCKER_SOCKET: engine.socket,
        REGIONS_DRIVER: 'containers',
        REGIONS_DATABASE_SERVER_URL: SERVER_URL,
        REGIONS_DATABASE_PREFIX: nexus.databasePrefix,
        REGIONS_PORT_BASE: String(await quietPortBlock(20)),
        REGIONS_DUMP_DIR: dumpDir,
        REGIONS_RECONCILE_EVERY: '1s',
      },
      ADMIN_SCOPES,
      databases,
    );
  }, DOCKERD_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await ag?.game.close();
    await engine?.stop();
    await nexus?.close();
    rmSync(dumpDir, { recursive: true, force: true });
  }, 120_000);

  it('creates a small region with live progress, scales it to 2 and deletes it', async () => {
    const { page, code } = await signedInAdmin(ag);
    // Every 5xx the page was answered with: the list's refreshes included, which the flow would not notice otherwise.
    const failures: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 500) failures.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
    });
    onTestFailed(async () => {
      await shot(page, 'regions-failed');
      mkdirSync(SCREENSHOTS, { recursive: true });
      const log = path.join(SCREENSHOTS, 'admin-regions-server.log');
      writeFileSync(log, ag.game.server.lines.join('\n'));
      console.error(`5xx answers: ${failures.join(', ') || 'none'}; the server's log: ${log}`);
      console.error(ag.game.server.lines.filter((l) => /"level":(50|60)|error/i.test(l)).join('\n'));
    });

    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Regions' }).click();
    await heading(page, 'Regions');
    const row = (slug: string) => page.locator(`[data-testid="region-row"][data-slug="${slug}"]`);
    // Terran is registered but run elsewhere: shown as external, its buttons off with the reason.
    await expect.poll(() => row('terran').count(), WAIT).toBe(1);
    expect(await row('terran').locator('.badge').textContent()).toBe('external');
    expect(await row('terran').getByTestId('region-api').textContent()).toBe('not run by the manager');
    const terranScale = row('terran').getByRole('button', { name: 'Scale…' });
    expect(await terranScale.isDisabled()).toBe(true);
    expect(await terranScale.getAttribute('title')).toBe('Run outside the region manager: change it where it runs');
    expect(await page.getByText('Driver: containers').count()).toBe(1);
    expect(await row('nexus').count()).toBe(0);
    await shot(page, 'regions');

    await page.getByLabel('Slug', { exact: true }).fill('nexus');
    await page.getByLabel('api replicas', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Create…' }).click();
    const createDialog = page.getByRole('dialog', { name: 'Create the region nexus' });
    await createDialog.getByLabel('Reason (kept in the audit log)').fill('open the central nexus');

    // Every look the page gives of the progress card, from a MutationObserver in the page (no look missed between polls).
    await page.evaluate(WATCH_PROGRESS);
    await createDialog.getByRole('button', { name: 'Create the region' }).click();

    const progress = page.getByTestId('create-progress');
    await expect.poll(() => progress.count(), WAIT).toBe(1);
    await expect.poll(() => progress.getAttribute('data-state'), SLOW).not.toBe('running');
    expect(await page.getByTestId('create-error').count()).toBe(0);
    expect(await progress.getAttribute('data-state')).toBe('done');
    expect(await page.getByTestId('create-status').textContent()).toBe('done');
    const looks = (await page.evaluate('window.progressLooks')) as ProgressLook[];
    const order = ['database', 'shard', 'services', 'ready'];
    expect(looks.at(-1)!.steps).toEqual(order.map((step) => ({ step, state: 'done' })));
    // Live: while the job ran the card showed a step running, and the running step only moved forward.
    const whileRunning = looks.filter((l) => l.card === 'running');
    const runningSteps = whileRunning.map((l) => l.steps.filter((s) => s.state === 'running').map((s) => s.step));
    expect(
      runningSteps.every((r) => r.length === 1),
      JSON.stringify(looks),
    ).toBe(true);
    const seen = runningSteps.map((r) => order.indexOf(r[0]!));
    expect(seen.length, JSON.stringify(looks)).toBeGreaterThan(0);
    expect(seen, JSON.stringify(looks)).toEqual([...seen].sort((a, b) => a - b));
    // each look is consistent: the steps before the running one done, the ones after it pending
    for (const l of whileRunning) {
      const at = l.steps.findIndex((s) => s.state === 'running');
      expect(l.steps.map((s) => s.state)).toEqual(order.map((_, i) => (i < at ? 'done' : i === at ? 'running' : 'pending')));
    }
    // the services step (three containers started, then /readyz) lasts seconds: a page polling each second shows it
    expect(runningSteps.flat(), JSON.stringify(looks)).toContain('services');
    await shot(page, 'regions-created-progress');

    // Healthy: 1/1 running, its replica ready, the region active and managed.
    const nexusRow = row('nexus');
    await expect.poll(() => nexusRow.getByTestId('region-api').textContent(), SLOW).toBe('1/1 running');
    await expect.poll(() => nexusRow.locator('[data-testid="region-replica"][data-ready="true"]').count(), SLOW).toBe(1);
    expect(await nexusRow.getByTestId('region-replica').count()).toBe(1);
    expect(await nexusRow.getByTestId('region-state').textContent()).toBe('active');
    expect(await nexusRow.locator('.badge').count()).toBe(0);
    expect(await nexusRow.getByRole('button', { name: 'Scale…' }).isDisabled()).toBe(false);
    await shot(page, 'regions-created');

    // Scale to 2: the notice, then 2/2 running with both ready (the list refreshes every 5 s; Refresh asks now).
    await nexusRow.getByRole('button', { name: 'Scale…' }).click();
    const scaleDialog = page.getByRole('dialog', { name: 'Scale Central Nexus' });
    expect(await scaleDialog.getByLabel('api replicas').inputValue()).toBe('1');
    await scaleDialog.getByLabel('api replicas').fill('2');
    await scaleDialog.getByLabel('Reason (kept in the audit log)').fill('a busy evening');
    await scaleDialog.getByRole('button', { name: 'Scale' }).click();
    await expect.poll(() => page.getByTestId('region-done').textContent(), WAIT).toBe('Central Nexus runs 2 api replicas.');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => nexusRow.getByTestId('region-api').textContent(), SLOW).toBe('2/2 running');
    await expect.poll(() => nexusRow.locator('[data-testid="region-replica"][data-ready="true"]').count(), SLOW).toBe(2);
    expect(await nexusRow.getByTestId('region-replica').count()).toBe(2);
    await shot(page, 'regions-scaled');

    // Delete: the slug typed, the reason, a fresh code; the dump kept; the row gone.
    await nexusRow.getByRole('button', { name: 'Delete…' }).click();
    const deleteDialog = page.getByRole('dialog', { name: 'Delete the region Central Nexus' });
    const confirmDelete = deleteDialog.getByRole('button', { name: 'Delete the region' });
    await deleteDialog.getByLabel('Reason (kept in the audit log)').fill('end of the test season');
    await deleteDialog.getByLabel('Authenticator code').fill(await code());
    expect(await confirmDelete.isDisabled()).toBe(true);
    await deleteDialog.getByLabel('Type nexus to confirm').fill('nexus');
    await confirmDelete.click();
    await expect.poll(() => page.getByTestId('region-done').textContent(), SLOW).toMatch(/^Central Nexus is deleted\. Its final dump: /);
    const dump = (await page.getByTestId('region-done').textContent())!.replace(/^Central Nexus is deleted\. Its final dump: /, '');
    expect(path.dirname(dump)).toBe(dumpDir);
    expect(existsSync(dump)).toBe(true);
    expect(readFileSync(dump, 'utf8')).toContain('CREATE TABLE public.sectors');
    await expect.poll(() => nexusRow.count(), SLOW).toBe(0);
    expect(await row('terran').count()).toBe(1);
    await shot(page, 'regions-deleted');

    // Nothing of it is left: no container on the engine, no database on the server.
    await expect.poll(async () => (await engine.docker.listContainers({ all: true, filters: { label: ['sectorwars.region'] } })).length, WAIT).toBe(0);
    const database = `${nexus.databasePrefix}nexus`;
    expect(await withServer(async (c) => (await c.query('select 1 from pg_database where datname = $1', [database])).rowCount)).toBe(0);
    expect(failures).toEqual([]);
  }, 600_000);
});
