import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createApiClient, newActionKey } from '../../client/index.js';
import { generateGalaxy } from '../../game/galaxy.js';
import { buildWarpGraph, plotCourse } from '../../game/pathfinding.js';
import { uniqueName } from '../harness.js';
import { TEST_GALAXY } from '../test-galaxy.js';
import { type AdminGame, heading, shot, signedInAdmin, startAdminGame, TABLET, WAIT } from './admin-harness.js';
import { axeViolations, credits, DESKTOP, hasChromium, onSharedBackends, sidewaysScroll, signUp } from './browser-harness.js';
import { planTradeRoute } from './trade-route.js';

/**
 * The admin SPA's economy, jobs and live-operations views in Chromium against a real `sectorwars
 * all`, with no NPCs so every credit in the universe is a pilot's: one pilot flies in a browser,
 * another trades a hold through the API (buys at one port, sells at another), and the admin reads
 * the charts through their text alternative — the money supply is the pilots' starting credits
 * plus the trade's profit, the flows name the starting credits and both trades — sees the jobs
 * run, the pilot online and the trades in their sectors, and broadcasts to the pilot's log.
 */
const START = 25_000;
const HOLDS = 50;
const cr = (n: number) => `${n.toLocaleString('en-US')} cr`;

/** A chart's figures as its hidden table gives them: one array of cells per row. */
const figures = (page: Page, title: string) =>
  page
    .getByRole('table', { name: `${title} (figures)`, exact: true })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
const number = (text: string) => Number(text.replace(/[^0-9.]/g, ''));

describe.skipIf(!hasChromium || onSharedBackends())('the admin SPA: economy, jobs and live operations', () => {
  let ag: AdminGame;
  beforeAll(async () => {
    ag = await startAdminGame({ NEW_PILOT_CREDITS: String(START), NPC_TRADERS_PER_REGION: '0' });
  }, 120_000);
  afterAll(async () => {
    await ag?.game.close();
  });

  it('charts the money supply and the flows the pilots made, lists the jobs and who is online, and broadcasts to a pilot', async () => {
    const { game } = ag;
    const pilot = await game.open();
    await signUp(pilot);

    // A second pilot trades through the API: a hold bought where it is cheap, sold where it is dear.
    const route = planTradeRoute(TEST_GALAXY, HOLDS);
    const galaxy = generateGalaxy(TEST_GALAXY);
    const back = plotCourse(buildWarpGraph(galaxy.warps), route.buyAt, route.sellAt, { turnsPerWarp: 2 })!.path;
    const trader = createApiClient({ baseUrl: game.base, refreshTokenIn: 'memory' });
    const traderName = uniqueName('api');
    await trader.auth.register({ username: traderName, email: `${traderName}@example.test`, password: 'correct horse battery' });
    await trader.player.state();
    for (const to of [...route.outbound.slice(1), ...route.toBuyer.slice(1)]) await trader.player.move(to, newActionKey());
    const bought = await trader.trade.buy({ good: route.good, quantity: HOLDS }, newActionKey());
    for (const to of back.slice(1)) await trader.player.move(to, newActionKey());
    const sold = await trader.trade.sell({ good: route.good, quantity: HOLDS }, newActionKey());
    const traderCredits = (await trader.player.state()).player.credits;
    expect(traderCredits).toBe(START - bought.trade.total + sold.trade.total);
    trader.dispose();

    const { admin, page } = await signedInAdmin(ag);
    onTestFailed(async () => {
      await shot(page, 'economy-failed');
    });
    await expect.poll(() => page.getByTestId('dash-online').textContent(), WAIT).toBe('1 live operations');

    // Economy: every credit is a pilot's, so the supply now is what the two pilots hold.
    await page.getByRole('link', { name: 'Economy' }).click();
    await heading(page, 'Economy');
    await expect.poll(async () => (await figures(page, 'Credits in circulation')).length, WAIT).toBeGreaterThanOrEqual(3);
    const supply = await figures(page, 'Credits in circulation');
    expect(supply[0]![1]).toBe(cr(0));
    expect(supply.at(-1)![1]).toBe(cr((await credits(pilot.page)) + traderCredits));
    expect(await page.getByRole('img', { name: /^Credits in circulation, latest/ }).getAttribute('aria-label')).toContain(
      `Money supply ${cr(START * 2 + sold.trade.total - bought.trade.total)}`,
    );
    // Biggest first: both pilots' starting credits, then the sale; the purchase is the one sink.
    await expect
      .poll(() => figures(page, 'Sources: credits in by reason'), WAIT)
      .toEqual([
        ['starting_credits', cr(START * 2)],
        ['trade_sell', cr(sold.trade.total)],
      ]);
    await expect.poll(() => figures(page, 'Sinks: credits out by reason'), WAIT).toEqual([['trade_buy', cr(bought.trade.total)]]);
    expect(await page.getByTestId('earner-row').first().textContent()).toContain(traderName);
    // The economy-snapshots job took the hour's price bands when the server started.
    await page.getByLabel('Good').selectOption(route.good);
    await expect.poll(async () => (await figures(page, `${route.good} price (sell) with its band`)).length, WAIT).toBeGreaterThanOrEqual(1);
    for (const [, low, mean, high] of await figures(page, `${route.good} price (sell) with its band`)) {
      expect(number(low!)).toBeLessThanOrEqual(number(mean!));
      expect(number(mean!)).toBeLessThanOrEqual(number(high!));
    }
    await page.getByRole('button', { name: 'Last 30 days, daily' }).click();
    await expect.poll(async () => (await figures(page, 'Credits in circulation')).at(-1)?.[1], WAIT).toBe(supply.at(-1)![1]);
    expect(await page.getByRole('button', { name: 'Last 30 days, daily' }).getAttribute('aria-pressed')).toBe('true');
    await shot(page, 'economy');
    expect(await axeViolations(page)).toEqual([]);
    // On a tablet the charts follow their narrower boxes, and nothing scrolls sideways.
    const plotWidth = () =>
      page
        .locator('.chart-plot .uplot')
        .first()
        .evaluate((el) => Math.round(el.getBoundingClientRect().width));
    const boxWidth = () =>
      page
        .locator('.chart-plot')
        .first()
        .evaluate((el) => Math.round(el.getBoundingClientRect().width));
    const desktopWidth = await plotWidth();
    await page.setViewportSize(TABLET);
    await expect.poll(plotWidth, WAIT).toBeLessThan(desktopWidth);
    expect(await plotWidth()).toBeLessThanOrEqual(await boxWidth());
    expect(await sidewaysScroll(page)).toBe(0);
    await shot(page, 'economy-tablet');
    await page.setViewportSize(DESKTOP);

    // Jobs: the embedded server runs them; the outbox relay every 5 s, with a live leader.
    await page.getByRole('link', { name: 'Jobs' }).click();
    await heading(page, 'Jobs');
    const relay = page.getByTestId('job-row').filter({ has: page.getByRole('rowheader', { name: 'outbox-relay', exact: true }) });
    await expect.poll(() => relay.getByTestId('job-state').textContent(), WAIT).toBe('succeeded');
    expect(await page.getByTestId('job-leaders').textContent()).toContain('live');
    // It asks again by itself while on screen.
    const asOf = await page.getByText(/^As of /).textContent();
    await expect.poll(() => page.getByText(/^As of /).textContent(), { timeout: 25_000 }).not.toBe(asOf);
    await shot(page, 'jobs');
    expect(await axeViolations(page)).toEqual([]);

    // Live operations: the browser pilot is online; the trades show in their sectors.
    await page.getByRole('link', { name: 'Live operations' }).click();
    await heading(page, 'Live operations');
    await expect.poll(() => page.getByTestId('online-row').allTextContents(), WAIT).toEqual([`${pilot.name}1`]);
    expect(await page.getByTestId('online-count').textContent()).toBe('1');
    const sector = (id: number) =>
      page
        .getByTestId('activity-row')
        .filter({ has: page.getByRole('rowheader', { name: String(id), exact: true }) })
        .locator('td')
        .allTextContents();
    // Columns: arrivals, trades, combats; one trade in each of the two port sectors.
    await expect.poll(async () => (await sector(route.buyAt))[1], WAIT).toBe('1');
    expect((await sector(route.sellAt))[1]).toBe('1');

    // A system broadcast: a reason in the prompt, then the pilot's log has it.
    const message = `Federation maintenance at 18:00 (${uniqueName('b')})`;
    await page.getByLabel('Message to every pilot').fill(message);
    await page.getByRole('button', { name: 'Send broadcast…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Broadcast to every pilot' });
    expect(await dialog.getByLabel('Authenticator code').count(), 'the broadcast route is not dangerous: no TOTP').toBe(0);
    await dialog.getByLabel(/Reason/).fill('scheduled maintenance (ticket 77)');
    await dialog.getByRole('button', { name: 'Send broadcast' }).click();
    await expect.poll(() => page.getByTestId('broadcast-result').textContent(), WAIT).toContain(`Sent as Federation Command: “${message}”`);
    await expect.poll(() => pilot.page.locator('.log').textContent(), WAIT).toContain(`Broadcast from Federation Command: ${message}`);
    await shot(page, 'liveops');
    expect(await axeViolations(page)).toEqual([]);

    // The audit log keeps who sent it and why.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await heading(page, 'Audit log');
    await page.getByLabel('Action').fill('ops.broadcast');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByTestId('audit-row').count(), WAIT).toBe(1);
    const entry = (await page.getByTestId('audit-row').textContent())!;
    expect(entry).toContain(ag.name);
    expect(entry).toContain('scheduled maintenance (ticket 77)');
    expect(entry).toContain(message);
    // No view threw or logged an error on the way (uPlot included).
    expect(admin.errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  }, 240_000);
});
