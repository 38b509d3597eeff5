import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminMe, AdminTeam } from '../../../client/index.js';
import { createRouter } from '../router.js';
import { TeamsView } from './Teams.js';

const me = (scopes: AdminMe['scopes']): AdminMe => ({ id: '00000000-0000-4000-8000-00000000000a', username: 'ops_mod', scopes, totp_enrolled: true });
const rebels: AdminTeam = {
  id: 3,
  name: 'Rebel Traders',
  tag: 'REB',
  leader_id: '00000000-0000-4000-8000-0000000000b1',
  treasury: 1_000,
  members: 2,
  created_at: '2026-12-01T10:00:00.000Z',
  // The generated contract says string: the route's .openapi({ type: 'string' }) hides its nullable.
  disbanded_at: null as unknown as string,
};

function fakeApi() {
  let team = { ...rebels };
  const teams = {
    list: vi.fn(async (_query: { q?: string; disbanded?: 'true' | 'false' }) => ({ teams: team.disbanded_at ? [] : [team] })),
    rename: vi.fn(async (_id: number, body: { name?: string; tag?: string; reason: string }) => {
      team = { ...team, name: body.name ?? team.name, tag: body.tag ?? team.tag };
      return { after: { name: team.name, tag: team.tag }, audit: {} as never };
    }),
    disband: vi.fn(async () => {
      team = { ...team, disbanded_at: '2026-12-03T10:00:00.000Z', treasury: 0 };
      return {
        after: {
          disbanded: true as const,
          payouts: [
            { pilot: 'han_solo', amount: 500 },
            { pilot: 'chewie', amount: 500 },
          ],
        },
        audit: {} as never,
      };
    }),
  };
  return { api: { admin: { teams } }, teams };
}

describe('the teams view', () => {
  beforeEach(() => globalThis.history.replaceState(null, '', '/admin/teams'));

  it('renames a team sending only what changed, then disbands it and says who was paid', async () => {
    const { api, teams } = fakeApi();
    const user = userEvent.setup();
    render(() => <TeamsView api={api as never} me={me(['admin:read', 'admin:moderation'])} router={createRouter()} rest="" />);
    const row = await screen.findByTestId('team-row');
    expect(row.textContent).toContain('1,000 cr');
    await user.click(within(row).getByRole('button', { name: 'Rename' }));
    const dialog = screen.getByRole('dialog', { name: 'Rename Rebel Traders [REB]' });
    expect((within(dialog).getByRole('button', { name: 'Rename' }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(within(dialog).getByLabelText('Name'));
    await user.type(within(dialog).getByLabelText('Name'), 'Quiet Traders');
    await user.type(within(dialog).getByLabelText('Reason (kept in the audit log)'), 'offensive name');
    await user.click(within(dialog).getByRole('button', { name: 'Rename' }));
    expect(teams.rename).toHaveBeenCalledWith(3, { name: 'Quiet Traders', reason: 'offensive name' });
    await waitFor(() => expect(screen.getByTestId('team-name').textContent).toBe('Quiet Traders'));

    await user.click(within(screen.getByTestId('team-row')).getByRole('button', { name: 'Disband' }));
    const disband = screen.getByRole('dialog', { name: 'Disband Quiet Traders [REB]' });
    expect(disband.textContent).toContain('1,000 cr is paid out evenly to its 2 members');
    await user.type(within(disband).getByLabelText('Reason (kept in the audit log)'), 'used for abuse');
    await user.click(within(disband).getByRole('button', { name: 'Disband' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Quiet Traders is disbanded. Paid out: han_solo 500 cr, chewie 500 cr.'));
    expect(screen.queryByTestId('team-row')).toBeNull();
  });

  it('shows no rename or disband to an admin without admin:moderation', async () => {
    const { api } = fakeApi();
    render(() => <TeamsView api={api as never} me={me(['admin:read'])} router={createRouter()} rest="" />);
    const row = await screen.findByTestId('team-row');
    expect(within(row).queryAllByRole('button')).toEqual([]);
  });
});
