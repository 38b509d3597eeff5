import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type AdminMe, type AdminReport, ApiError } from '../../../client/index.js';
import { createRouter } from '../router.js';
import { ModerationView, reportedContent } from './Moderation.js';

const me: AdminMe = { id: '00000000-0000-4000-8000-00000000000a', username: 'ops_mod', scopes: ['admin:read', 'admin:moderation'], totp_enrolled: true };
const greedo = '00000000-0000-4000-8000-0000000000b1';

function report(over: Partial<AdminReport> = {}): AdminReport {
  return {
    id: 7,
    kind: 'message',
    reporter_id: '00000000-0000-4000-8000-0000000000c1',
    reporter: 'han_solo',
    reported_id: greedo,
    reported: 'greedo',
    target: '41',
    reason: 'threats',
    content: { from: 'greedo', to: 'han_solo', subject: 'Jabba', body: 'Going somewhere, Solo?', sent_at: '2026-12-01T10:00:00.000Z' },
    status: 'open',
    created_at: '2026-12-01T10:05:00.000Z',
    ...over,
  };
}

/** The moderation calls the view makes; the queue answers from `queues`, and a decision moves the report. */
function fakeApi(initial: AdminReport[]) {
  const queues: Record<AdminReport['status'], AdminReport[]> = { open: initial, resolved: [], dismissed: [] };
  const decide = (status: 'resolved' | 'dismissed') =>
    vi.fn(async (id: number, _reason: string) => {
      const found = queues.open.find((r) => r.id === id)!;
      queues.open = queues.open.filter((r) => r.id !== id);
      queues[status] = [{ ...found, status }, ...queues[status]];
      return { after: { ...found, status }, audit: {} as never };
    });
  // `until` is null for a ban from chat; the generated contract says string (the route's .openapi({ type }) hides its nullable).
  const moderation = {
    reports: vi.fn(async (status: AdminReport['status'] = 'open') => ({ reports: queues[status] })),
    resolve: decide('resolved'),
    dismiss: decide('dismissed'),
    deleteMessage: vi.fn(async () => ({ after: { deleted: 2 }, audit: {} as never })),
    rename: vi.fn(async (id: string, body: { name: string; reason: string }) => ({ after: { id, name: body.name }, audit: {} as never })),
    mute: vi.fn(async (_id: string, body: { hours?: number; reason: string }, _code: string) => ({
      after: { muted: true, until: body.hours ? '2026-12-03T16:00:00.000Z' : (null as unknown as string) },
      audit: {} as never,
    })),
    unmute: vi.fn(async () => ({ after: { muted: false, until: null as unknown as string }, audit: {} as never })),
  };
  return { api: { admin: { moderation } }, moderation };
}

const show = (api: ReturnType<typeof fakeApi>['api']) => render(() => <ModerationView api={api as never} me={me} router={createRouter()} rest="" />);

describe('the moderation queue', () => {
  // The shown status lives in the URL: each test starts at the open queue.
  beforeEach(() => globalThis.history.replaceState(null, '', '/admin/moderation'));

  it('shows who reported whom, why and what was said', () => {
    expect(reportedContent(report())).toEqual({ context: expect.stringMatching(/^Mail to han_solo: “Jabba”, sent /), text: 'Going somewhere, Solo?' });
    const chat = report({
      kind: 'chat',
      content: JSON.stringify({ from: 'greedo', channel: 'global', text: 'Maclunkey', sent_at: '2026-12-01T10:00:00.000Z' }),
    });
    expect(reportedContent(chat)).toEqual({ context: expect.stringMatching(/^Chat on global, said /), text: 'Maclunkey' });
    expect(reportedContent(report({ content: null }))).toEqual({ context: expect.stringMatching(/^Mail to —/), text: '' });
  });

  it('dismisses a report with a note: the queue refreshes and the report moves to Dismissed', async () => {
    const { api, moderation } = fakeApi([report(), report({ id: 8, reported: 'bossk' })]);
    const user = userEvent.setup();
    show(api);
    const card = await screen.findByRole('article', { name: 'Report 7' });
    expect(within(card).getByTestId('reported-text').textContent).toBe('Going somewhere, Solo?');
    expect(within(card).getByRole('link', { name: 'greedo' }).getAttribute('href')).toBe(`/admin/players/${greedo}`);
    await user.click(within(card).getByRole('button', { name: 'Dismiss' }));
    const dialog = screen.getByRole('dialog', { name: 'Dismiss report 7' });
    expect(within(dialog).queryByLabelText('Authenticator code')).toBeNull();
    await user.type(within(dialog).getByLabelText('Reason (kept in the audit log)'), 'old grudge, no threat');
    await user.click(within(dialog).getByRole('button', { name: 'Dismiss' }));
    expect(moderation.dismiss).toHaveBeenCalledWith(7, 'old grudge, no threat');
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Report 7' })).toBeNull());
    expect(screen.getByRole('status').textContent).toBe('Report 7 is dismissed: it is listed under Dismissed.');
    expect(screen.getByRole('article', { name: 'Report 8' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Dismissed' }));
    const decided = await screen.findByRole('article', { name: 'Report 7' });
    expect(moderation.reports).toHaveBeenLastCalledWith('dismissed');
    expect(within(decided).queryByRole('button', { name: 'Resolve' })).toBeNull();
  });

  it('mutes behind a fresh code: hours for a mute, none for a ban from chat', async () => {
    const { api, moderation } = fakeApi([report()]);
    const user = userEvent.setup();
    show(api);
    const card = await screen.findByRole('article', { name: 'Report 7' });
    await user.click(within(card).getByRole('button', { name: 'Mute in chat' }));
    let dialog = screen.getByRole('dialog', { name: 'Mute greedo in chat' });
    await user.clear(within(dialog).getByLabelText('Hours'));
    await user.type(within(dialog).getByLabelText('Hours'), '0');
    await user.type(within(dialog).getByLabelText('Reason (kept in the audit log)'), 'threats by mail');
    await user.type(within(dialog).getByLabelText('Authenticator code'), '123456');
    expect((within(dialog).getByRole('button', { name: 'Mute' }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(within(dialog).getByLabelText('Hours'));
    await user.click(within(dialog).getByRole('button', { name: 'Mute' }));
    expect(moderation.mute).toHaveBeenCalledWith(greedo, { reason: 'threats by mail' }, '123456');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('greedo is banned from chat until a moderator lifts it.'));

    await user.click(within(screen.getByRole('article', { name: 'Report 7' })).getByRole('button', { name: 'Mute in chat' }));
    dialog = screen.getByRole('dialog', { name: 'Mute greedo in chat' });
    await user.type(within(dialog).getByLabelText('Reason (kept in the audit log)'), 'threats by mail');
    await user.type(within(dialog).getByLabelText('Authenticator code'), '654321');
    await user.click(within(dialog).getByRole('button', { name: 'Mute' }));
    expect(moderation.mute).toHaveBeenLastCalledWith(greedo, { hours: 24, reason: 'threats by mail' }, '654321');
  });

  it('deletes the reported mail by its id, and offers no pilot actions on a report about the moderator', async () => {
    const { api, moderation } = fakeApi([report(), report({ id: 9, kind: 'chat', reported_id: me.id, reported: me.username })]);
    const user = userEvent.setup();
    show(api);
    const card = await screen.findByRole('article', { name: 'Report 7' });
    await user.click(within(card).getByRole('button', { name: 'Delete the message' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete the message of greedo' });
    await user.type(within(dialog).getByLabelText('Reason (kept in the audit log)'), 'threats');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(moderation.deleteMessage).toHaveBeenCalledWith(41, 'threats');
    const mine = screen.getByRole('article', { name: 'Report 9' });
    expect(within(mine).queryByRole('button', { name: 'Delete the message' })).toBeNull();
    expect(within(mine).queryByRole('button', { name: 'Mute in chat' })).toBeNull();
    expect(within(mine).queryByRole('button', { name: 'Rename pilot' })).toBeNull();
    expect(within(mine).getByRole('link', { name: 'Open player' })).toBeTruthy();
  });

  it('renames the reported pilot; a taken name keeps the dialog open and says so', async () => {
    const { api, moderation } = fakeApi([report()]);
    moderation.rename.mockRejectedValueOnce(new ApiError(409, 'username_taken', 'That username is taken'));
    const user = userEvent.setup();
    show(api);
    await user.click(within(await screen.findByRole('article', { name: 'Report 7' })).getByRole('button', { name: 'Rename pilot' }));
    const dialog = screen.getByRole('dialog', { name: 'Rename greedo' });
    await user.clear(within(dialog).getByLabelText('New name'));
    await user.type(within(dialog).getByLabelText('New name'), 'han solo');
    await user.type(within(dialog).getByLabelText('Reason (kept in the audit log)'), 'impersonation');
    expect((within(dialog).getByRole('button', { name: 'Rename' }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(within(dialog).getByLabelText('New name'));
    await user.type(within(dialog).getByLabelText('New name'), 'Han_Solo');
    await user.click(within(dialog).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toBe('Another account has that name (names are unique whatever the case).'));
    await user.clear(within(dialog).getByLabelText('New name'));
    await user.type(within(dialog).getByLabelText('New name'), 'greedo_the_quick');
    await user.click(within(dialog).getByRole('button', { name: 'Rename' }));
    expect(moderation.rename).toHaveBeenLastCalledWith(greedo, { name: 'greedo_the_quick', reason: 'impersonation' });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('greedo is now greedo_the_quick.'));
  });
});
