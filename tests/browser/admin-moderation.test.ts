import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createApiClient, newActionKey } from '../../client/index.js';
import { NEW_PILOT } from '../../game/catalog/new-pilot.js';
import { generateGalaxy } from '../../game/galaxy.js';
import { buildWarpGraph, plotCourse } from '../../game/pathfinding.js';
import { uniqueName } from '../harness.js';
import { TEST_GALAXY } from '../test-galaxy.js';
import { type AdminGame, heading, shot, signedInAdmin, startAdminGame, TABLET, WAIT } from './admin-harness.js';
import { CHROMIUM, hasChromium, onSharedBackends, sidewaysScroll } from './browser-harness.js';

/**
 * The admin SPA's Moderation, Teams and Combat logs views in Chromium against a real
 * `sectorwars all`. Two pilots play through the API: one mails the other an insult, the other
 * reports it. The admin (made by the CLI, TOTP enrolled on the page) finds the report in the
 * queue, deletes the mail, mutes the sender in chat behind a TOTP code (the sender's next chat
 * line is refused in its own browser), resolves the report, renames the sender and opens its
 * page; renames the recipient's team; and reads the combat log of the sender's attack on the
 * recipient outside FedSpace (new-pilot protection off for this server).
 */
if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const PASSWORD = 'correct horse battery';
const INSULT = 'You are a worthless space slug, and everyone at the Stardock knows it.';

describe.skipIf(!hasChromium || onSharedBackends())('the admin SPA: moderation, teams and combat logs', () => {
  let ag: AdminGame;
  beforeAll(async () => {
    ag = await startAdminGame({ NEW_PILOT_PROTECTION_HOURS: '0' });
  }, 120_000);
  afterAll(async () => {
    await ag?.game.close();
  });

  /** A pilot signed up through the typed client, as a bot would. */
  const pilot = async () => {
    const api = createApiClient({ baseUrl: ag.game.base, refreshTokenIn: 'memory' });
    const name = uniqueName('mod');
    const user = await api.auth.register({ username: name, email: `${name}@example.test`, password: PASSWORD });
    await api.player.state();
    return { api, name, id: user.id };
  };

  it('reports reach the queue; the admin deletes the mail, mutes the sender (refused in chat), resolves, renames; renames a team; reads a combat log', async () => {
    const { game } = ag;
    const sender = await pilot();
    const recipient = await pilot();

    // The insult by mail, and the recipient's report of it.
    await sender.api.mail.send({ to: recipient.name, subject: 'About you', body: INSULT });
    const mail = (await recipient.api.mail.list()).messages.find((m) => m.body === INSULT);
    expect(mail, 'the mail in the inbox').toBeDefined();
    const { id: reportId } = await recipient.api.reports.create({ kind: 'message', id: mail!.id, reason: 'abusive mail' });

    // The recipient founds a team; the sender attacks the recipient in the first sector outside FedSpace.
    const tag = `M${uniqueName('').slice(1, 4)}`.toUpperCase();
    const team = await recipient.api.teams.create({ name: `Slug Haters ${tag}`, tag });
    const galaxy = generateGalaxy(TEST_GALAXY);
    const graph = buildWarpGraph(galaxy.warps);
    const courses = galaxy.sectors
      .filter((s) => !s.fedspace && s.regionId === galaxy.sectors[0]!.regionId)
      .map((s) => plotCourse(graph, 1, s.id, { turnsPerWarp: 2 })?.path ?? [])
      .filter((path) => path.length > 1)
      .sort((a, b) => a.length - b.length);
    const course = courses[0]!;
    const battlefield = course[course.length - 1]!;
    for (const p of [sender, recipient]) for (const to of course.slice(1)) await p.api.player.move(to, newActionKey());
    const attack = await sender.api.combat.attack({ target: recipient.name, fighters: 10 }, newActionKey());
    expect(attack.attack.committed).toBe(10);

    // The sender in its own browser, speaking on Global before the mute: the line goes out.
    const speaker = await game.open();
    await speaker.page.getByRole('tab', { name: 'Returning pilot' }).click();
    await speaker.page.getByLabel('Pilot name').fill(sender.name);
    await speaker.page.getByLabel('Password').fill(PASSWORD);
    await speaker.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => speaker.page.locator('.uplink').textContent(), WAIT).toContain('Live');
    await speaker.page.keyboard.press('c');
    await speaker.page.getByRole('tab', { name: 'Global' }).click();
    const say = async (text: string) => {
      await speaker.page.getByLabel('Message', { exact: true }).fill(text);
      await speaker.page.keyboard.press('Enter');
    };
    await say('Hello, traders');
    await expect.poll(() => speaker.page.getByRole('list', { name: 'Global messages' }).textContent(), WAIT).toContain('Hello, traders');

    const { admin, page, code } = await signedInAdmin(ag);
    onTestFailed(async () => {
      await shot(page, 'moderation-failed');
    });

    // The queue: the report with who, whom, why and what was said.
    await page.getByRole('link', { name: 'Moderation' }).click();
    await heading(page, 'Moderation');
    const report = page.getByRole('article', { name: `Report ${reportId}` });
    await expect.poll(() => report.count(), WAIT).toBe(1);
    expect(await report.getByTestId('reported').textContent()).toBe(sender.name);
    expect(await report.getByTestId('reported-text').textContent()).toBe(INSULT);
    const card = (await report.textContent())!;
    expect(card).toContain(recipient.name);
    expect(card).toContain('abusive mail');
    expect(card).toContain('About you');
    await shot(page, 'moderation');

    // Delete the mail: both copies go, the report keeps the words.
    await report.getByRole('button', { name: 'Delete the message' }).click();
    const remove = page.getByRole('dialog', { name: `Delete the message of ${sender.name}` });
    await remove.getByLabel(/Reason/).fill('insult by mail (report)');
    await remove.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), WAIT).toBe('The message is deleted (2 copies); the report keeps what was said.');
    expect((await recipient.api.mail.list()).messages.map((m) => m.id)).not.toContain(mail!.id);
    expect((await sender.api.mail.list({ folder: 'sent' })).messages.filter((m) => m.body === INSULT)).toEqual([]);
    expect(await report.getByTestId('reported-text').textContent()).toBe(INSULT);

    // Mute in chat for 2 hours: the prompt wants a fresh code.
    await report.getByRole('button', { name: 'Mute in chat' }).click();
    const mute = page.getByRole('dialog', { name: `Mute ${sender.name} in chat` });
    await mute.getByLabel('Hours').fill('2');
    await mute.getByLabel(/Reason/).fill('insults other pilots');
    expect(await mute.getByRole('button', { name: 'Mute' }).isDisabled()).toBe(true);
    await mute.getByLabel('Authenticator code').fill(await code());
    await mute.getByRole('button', { name: 'Mute' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), WAIT).toMatch(new RegExp(`^${sender.name} is muted in chat until `));

    // The sender's next line is refused in its browser, and never reaches Global.
    await say('Still here, slugs');
    await expect.poll(() => speaker.page.locator('.chat-error').textContent(), WAIT).toBe('A moderator muted you in chat for a while');
    expect(await speaker.page.getByRole('list', { name: 'Global messages' }).textContent()).not.toContain('Still here, slugs');

    // Resolve: the report leaves the open queue and shows under Resolved.
    await report.getByRole('button', { name: 'Resolve' }).click();
    const resolve = page.getByRole('dialog', { name: `Resolve report ${reportId}` });
    await resolve.getByLabel(/Reason/).fill('mail deleted, sender muted for 2 h');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), WAIT).toBe(`Report ${reportId} is resolved: it is listed under Resolved.`);
    await expect.poll(() => report.count(), WAIT).toBe(0);
    await page.getByRole('button', { name: 'Resolved' }).click();
    await expect.poll(() => report.count(), WAIT).toBe(1);
    expect(await report.locator('.status').textContent()).toBe('resolved');
    expect(await report.getByRole('button', { name: 'Resolve' }).count()).toBe(0);

    // Rename the sender: the queue and the player's page show the new name.
    const renamed = uniqueName('renamed');
    await report.getByRole('button', { name: 'Rename pilot' }).click();
    const rename = page.getByRole('dialog', { name: `Rename ${sender.name}` });
    await rename.getByLabel('New name').fill(renamed);
    await rename.getByLabel(/Reason/).fill('name used to insult');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => report.getByTestId('reported').textContent(), WAIT).toBe(renamed);
    expect(await page.getByRole('status').textContent()).toBe(`${sender.name} is now ${renamed}.`);
    expect((await sender.api.player.state()).player.name).toBe(renamed);
    await report.getByRole('link', { name: 'Open player' }).click();
    await heading(page, renamed);
    // Their page links to their combat logs, filtered to them.
    await page.getByRole('link', { name: 'All their combat logs' }).click();
    await heading(page, 'Combat logs');
    expect(await page.getByLabel('Pilot (account id)').inputValue()).toBe(sender.id);
    await expect.poll(() => page.getByTestId('combat-row').count(), WAIT).toBe(1);

    // Teams: find the recipient's team by tag and rename it.
    await page.getByRole('link', { name: 'Teams' }).click();
    await heading(page, 'Teams');
    await page.getByLabel('Team name or tag').fill(tag);
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByTestId('team-row');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    expect(await rows.getByTestId('team-name').textContent()).toBe(`Slug Haters ${tag}`);
    expect(await rows.textContent()).toContain('0 cr');
    await rows.getByRole('button', { name: 'Rename' }).click();
    const teamRename = page.getByRole('dialog', { name: `Rename Slug Haters ${tag} [${tag}]` });
    await teamRename.getByLabel('Name', { exact: true }).fill(`Quiet Traders ${tag}`);
    await teamRename.getByLabel(/Reason/).fill('team name mocks another pilot');
    await teamRename.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => rows.getByTestId('team-name').textContent(), WAIT).toBe(`Quiet Traders ${tag}`);
    expect((await recipient.api.teams.get(team.id)).name).toBe(`Quiet Traders ${tag}`);
    await shot(page, 'teams');

    // Combat logs: the attack, found by the attacker's id, and its rounds.
    await page.getByRole('link', { name: 'Combat logs' }).click();
    await heading(page, 'Combat logs');
    await page.getByLabel('Pilot (account id)').fill(sender.id);
    await page.getByRole('button', { name: 'Filter' }).click();
    const logs = page.getByTestId('combat-row');
    await expect.poll(() => logs.count(), WAIT).toBe(1);
    const row = (await logs.textContent())!;
    // The log keeps the names as they were when the shots were fired.
    expect(row).toContain(sender.name);
    expect(row).toContain(recipient.name);
    expect(row).toContain(String(battlefield));
    await logs.getByRole('link', { name: 'Open' }).click();
    await heading(page, `${sender.name} vs ${recipient.name}`);
    const rounds = page.getByTestId('combat-round');
    await expect.poll(() => rounds.count(), WAIT).toBe(attack.attack.rounds.length);
    const losses = page.getByTestId('combat-losses').locator('tbody tr');
    expect(await losses.nth(0).locator('td').first().textContent()).toBe(`${attack.attack.fighters_lost} of 10`);
    expect(await losses.nth(1).locator('td').first().textContent()).toBe(`${attack.attack.target_fighters_lost} of ${NEW_PILOT.fighters}`);
    expect(await page.getByTestId('combat-seed').textContent()).toBe(attack.attack.seed);
    await shot(page, 'combat');

    // On a tablet the wide tables scroll inside the page, not the page sideways.
    await page.setViewportSize(TABLET);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.getByRole('link', { name: 'Moderation' }).click();
    await heading(page, 'Moderation');
    expect(await sidewaysScroll(page)).toBe(0);
    expect(admin.errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  }, 300_000);
});
