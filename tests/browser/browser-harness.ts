import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ensureWebBuilt } from '../../web/build.js';
import { testBackends, uniqueName } from '../harness.js';
import { spawnRole, type RunningRole } from '../spawn-role.js';
import { TEST_GALAXY } from '../test-galaxy.js';

/** What the browser suites share: Chromium, a real `sectorwars all`, pilots signing up. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = path.resolve(process.env.ARTIFACTS_DIR ?? 'artifacts', 'screenshots');
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export const hasChromium = existsSync(CHROMIUM);
// The server under test runs on embedded defaults either way: once per CI pass is enough.
export const onSharedBackends = () => Boolean(testBackends().databaseUrl);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Run `sectorwars <role>` to completion (the one-shot roles); resolves with what it printed. */
export async function runOnce(role: string, env: Record<string, string>, args: string[]): Promise<string> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['bin/sectorwars.js', role, ...args], {
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`sectorwars ${role} exited ${code}: ${stderr}`);
  return stdout;
}

export interface Pilot {
  page: Page;
  context: BrowserContext;
  name: string;
  /** console errors and uncaught exceptions seen on the page */
  errors: string[];
}

export interface Game {
  base: string;
  browser: Browser;
  /** the `sectorwars all` process: its log lines say what a 500 was */
  server: RunningRole;
  /** A new browser context (its own cookies) at the sign-up page; `touch` makes it a phone. */
  open(viewport?: { width: number; height: number }, options?: { touch?: boolean }): Promise<Pilot>;
  close(): Promise<void>;
}

/**
 * A fresh data folder with the test galaxy, `sectorwars all` on it (with `env` added), and Chromium.
 * `prepare` runs against the data folder before the server opens it (PGlite has one writer), as
 * an operator runs `sectorwars admin create` with the server stopped.
 */
export async function startGame(
  env: Record<string, string> = {},
  /** `onceEnv`: the databases `prepare`'s one-shot roles use when the server is not on embedded defaults */
  options: { prepare?: (dataDir: string, onceEnv: Record<string, string>) => Promise<void>; onceEnv?: Record<string, string> } = {},
): Promise<Game> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sw-browser-'));
  const [port] = await Promise.all([
    freePort(),
    ensureWebBuilt(),
    runOnce('generate', { DATA_DIR: dataDir }, [
      '--seed',
      TEST_GALAXY.seed,
      '--sectors',
      String(TEST_GALAXY.terranSectors),
      '--nexus',
      String(TEST_GALAXY.nexusSectors),
    ]),
  ]);
  await options.prepare?.(dataDir, { DATA_DIR: dataDir, ...options.onceEnv });
  // A fixed port: the browser's Origin must be one of ALLOWED_ORIGINS for realtime to accept it.
  // No pirates unless a test asks for them: a raid on a test's trader would be a coin toss in a flow about something else.
  const server: RunningRole = await spawnRole('all', { DATA_DIR: dataDir, PORT: String(port), NPC_PIRATES_PER_REGION: '0', ...env });
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  return {
    base,
    browser,
    server,
    async open(viewport = DESKTOP, options = {}) {
      const context = await browser.newContext({ viewport, ...(options.touch ? { hasTouch: true, isMobile: true } : {}) });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${base}/`);
      return { page, context, name: '', errors };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await server.stop();
    },
  };
}

export const sectorShown = (page: Page) => page.locator('.sector-number .number').textContent();
export const credits = async (page: Page) => Number((await page.getByTestId('credits').textContent())!.replace(/[^0-9]/g, ''));

export async function signUp(pilot: Pilot): Promise<void> {
  const { page } = pilot;
  pilot.name = uniqueName('web');
  await page.getByLabel('Pilot name').fill(pilot.name);
  await page.getByLabel('Email').fill(`${pilot.name}@example.test`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create pilot' }).click();
  await expect.poll(() => sectorShown(page)).toBe('1');
  await expect.poll(() => page.locator('.uplink').textContent()).toContain('Live');
}

/** Fly a course warp by warp the TradeWars way: press the number of the warp on the pad. */
export async function flyByKeys(page: Page, course: number[]): Promise<void> {
  for (const to of course.slice(1)) {
    const key = await page.locator('.col-sector .warp-key', { has: page.locator('.to', { hasText: new RegExp(`^${to}$`) }) }).getAttribute('aria-keyshortcuts');
    expect(key, `a numbered warp to sector ${to}`).toMatch(/^[1-9]$/);
    await page.keyboard.press(key!);
    await expect.poll(() => sectorShown(page)).toBe(String(to));
  }
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * axe-core run inside the page (evaluated over the DevTools protocol, so the app's strict CSP
 * does not block it): the serious and critical violations on what the page shows now.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: unknown[] }> } }).axe
      .run({ resultTypes: ['violations'] })
      .then((r) => r.violations),
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

/** How far the page scrolls sideways (0 = it fits the viewport). */
export const sidewaysScroll = (page: Page) => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;
