import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, CHROMIUM, credits, type Game, hasChromium, onSharedBackends, SCREENSHOTS, signUp, startGame } from './browser-harness.js';

/**
 * People in Chromium against a real `sectorwars all`: two pilots form a team, talk on the team
 * channel and one deposits to the treasury; a third pilot mails the second while it is signed
 * out, and the mail is waiting (with the unread badge) when it signs in again.
 */
if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe.skipIf(!hasChromium || onSharedBackends())('teams and mail in Chromium', () => {
  let game: Game;
  beforeAll(async () => {
    game = await startGame();
  }, 60_000);
  afterAll(async () => {
    await game?.close();
  });

  it('two pilots form a team, chat on the team channel and deposit; mail sent while one is away waits for its next login', async () => {
    const leader = await game.open();
    await signUp(leader);
    const mate = await game.open();
    await signUp(mate);

    // The leader founds a team and invites the mate from the team screen.
    await leader.page.keyboard.press('t');
    await leader.page.getByLabel('Name', { exact: true }).fill('Kessel Runners');
    await leader.page.getByLabel('Tag', { exact: true }).fill('KSL');
    await leader.page.getByRole('button', { name: 'Found team' }).click();
    await expect.poll(() => leader.page.locator('#team-title').textContent()).toContain('Kessel Runners [KSL]');
    await leader.page.getByLabel('Pilot', { exact: true }).fill(mate.name);
    await leader.page.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect.poll(() => leader.page.locator('.team-body').textContent()).toContain(`Invited: ${mate.name}`);

    // The mate accepts on its team screen (the invitation arrived over realtime).
    await mate.page.keyboard.press('t');
    await mate.page.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => mate.page.locator('.members').textContent()).toContain(leader.name);
    await expect.poll(() => leader.page.locator('.members').textContent()).toContain(mate.name);

    // Team chat: the mate speaks on the Team channel, the leader hears it there.
    await leader.page.keyboard.press('c');
    await leader.page.getByRole('tab', { name: 'Team' }).click();
    await mate.page.keyboard.press('c');
    await mate.page.getByRole('tab', { name: 'Team' }).click();
    await mate.page.getByLabel('Message', { exact: true }).fill('Meet at the Stardock');
    await mate.page.keyboard.press('Enter');
    const heard = leader.page.getByRole('list', { name: 'Team messages' });
    await expect.poll(() => heard.textContent()).toContain(`${mate.name}Meet at the Stardock`);

    // The mate deposits to the treasury; both see it.
    const before = await credits(mate.page);
    await mate.page.keyboard.press('Escape');
    await mate.page.keyboard.press('t');
    await mate.page.getByLabel('Credits', { exact: true }).fill('1000');
    await mate.page.getByRole('button', { name: 'Deposit' }).click();
    await expect.poll(() => mate.page.getByTestId('treasury').textContent()).toMatch(/1,000/);
    await expect.poll(() => credits(mate.page)).toBe(before - 1000);
    await expect.poll(() => mate.page.locator('.treasury-history').textContent()).toContain(mate.name);
    await leader.page.keyboard.press('t');
    await expect.poll(() => leader.page.getByTestId('treasury').textContent()).toMatch(/1,000/);
    await mate.page.screenshot({ path: path.join(SCREENSHOTS, 'team-desktop.png'), fullPage: true });
    expect(await axeViolations(mate.page)).toEqual([]);

    // The mate signs out; a third pilot mails it.
    await mate.page.getByRole('button', { name: 'Sign out' }).click();
    await mate.page.getByRole('tab', { name: 'Returning pilot' }).waitFor();
    const writer = await game.open();
    await signUp(writer);
    await writer.page.keyboard.press('i');
    await writer.page.getByLabel('To', { exact: true }).fill(mate.name);
    await writer.page.getByLabel('Subject', { exact: true }).fill('Ore for sale');
    await writer.page.getByLabel('Message', { exact: true }).fill('Cheap fuel ore at my port.\nCome by.');
    await writer.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => writer.page.locator('.notice').textContent()).toBe(`Sent to ${mate.name}.`);

    // Back in: the badge says one unread, and the message is in the inbox.
    await mate.page.getByRole('tab', { name: 'Returning pilot' }).click();
    await mate.page.getByLabel('Pilot name').fill(mate.name);
    await mate.page.getByLabel('Password').fill('correct horse battery');
    await mate.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => mate.page.getByTestId('mail-unread').first().textContent()).toBe('1');
    await mate.page.keyboard.press('i');
    const inbox = mate.page.getByRole('list', { name: 'Inbox' });
    await expect.poll(() => inbox.textContent()).toContain(`${writer.name} — Ore for sale`);
    await inbox.getByRole('button', { name: new RegExp(writer.name) }).click();
    await expect.poll(() => mate.page.locator('.mail-text').textContent()).toBe('Cheap fuel ore at my port.\nCome by.');
    await expect.poll(() => mate.page.getByTestId('mail-unread').count()).toBe(0);
    await mate.page.screenshot({ path: path.join(SCREENSHOTS, 'mail-desktop.png'), fullPage: true });
    expect(await axeViolations(mate.page)).toEqual([]);

    for (const p of [leader, mate, writer]) expect(p.errors).toEqual([]);
  });
});
