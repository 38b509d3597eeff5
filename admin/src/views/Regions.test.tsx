import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AdminMe, type AdminRegionHealth, type AdminRegionJob, type AdminRegions, ApiError, type ApiClient } from '../../../client/index.js';
import type { Router } from '../router.js';
import { JOB_POLL_MS, RegionsView, stepStates } from './Regions.js';

const me = (scopes: AdminMe['scopes']): AdminMe => ({ id: '00000000-0000-4000-8000-00000000000a', username: 'ops_regions', scopes, totp_enrolled: true });

const replica = (n: number, over: Partial<AdminRegionHealth['services'][number]['replicas'][number]> = {}) => ({
  replica: n,
  address: `127.0.0.1:${9100 + n}`,
  state: 'running',
  running: true,
  restarts: 0,
  ready: true,
  requests_per_second: 4.5,
  ...over,
});
const nexus: AdminRegionHealth = {
  id: 2,
  slug: 'nexus',
  name: 'Central Nexus',
  state: 'active',
  managed: true,
  api_urls: ['127.0.0.1:9100', '127.0.0.1:9101'],
  realtime_urls: ['127.0.0.1:9116'],
  services: [
    {
      service: 'api',
      wanted: 2,
      running: 1,
      restarts: 3,
      replicas: [replica(0), replica(1, { running: false, ready: false, state: 'restarting', restarts: 3 })],
    },
    { service: 'realtime', wanted: 1, running: 1, restarts: 0, replicas: [replica(16, { requests_per_second: null })] },
    { service: 'jobs', wanted: 1, running: 1, restarts: 1, replicas: [replica(17, { requests_per_second: null, restarts: 1 })] },
  ],
};
const terran: AdminRegionHealth = {
  id: 1,
  slug: 'terran',
  name: 'Terran Space',
  state: 'active',
  managed: false,
  api_urls: ['127.0.0.1:8080'],
  realtime_urls: [],
  services: [],
};
const listed: AdminRegions = { driver: 'containers', regions: [terran, nexus] };

const job = (over: Partial<AdminRegionJob>): AdminRegionJob => ({
  id: '5b0c1a53-9f0e-4b8e-9a57-2f3c1d8e7a10',
  slug: 'rim',
  state: 'running',
  step: 'database',
  steps: [{ step: 'database', at: '2026-12-03T14:00:00.000Z' }],
  progress: [],
  error: null,
  started_at: '2026-12-03T14:00:00.000Z',
  finished_at: null,
  ...over,
});
const at = (step: AdminRegionJob['step']) => ({ step, at: '2026-12-03T14:00:01.000Z' });

function fakeApi(over: Partial<ApiClient['admin']['regions']> = {}) {
  const regions = {
    list: vi.fn(async () => listed),
    create: vi.fn(async () => ({ job: job({}), audit: {} as never })),
    job: vi.fn(async () => job({})),
    scale: vi.fn(async (_slug: string, body: { api_replicas: number }) => ({
      before: { api_replicas: 2 },
      after: { api_replicas: body.api_replicas },
      changes: [],
      audit: {} as never,
    })),
    start: vi.fn(),
    stop: vi.fn(async () => ({ before: { state: 'active' }, after: { state: 'stopped' }, changes: [], audit: {} as never })),
    delete: vi.fn(async () => ({ dump: '/data/region-dumps/nexus-2026-12-03.sql', changes: [], audit: {} as never })),
    ...over,
  };
  return { api: { admin: { regions } } as unknown as ApiClient, regions };
}

function renderRegions(scopes: AdminMe['scopes'], api = fakeApi()) {
  render(() => <RegionsView api={api.api} me={me(scopes)} router={{} as Router} rest="" />);
  return api.regions;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RegionsView', () => {
  it('lists each region with its health: state, api replicas running of wanted, restarts, each replica’s readiness and rate', async () => {
    renderRegions(['admin:read', 'admin:regions']);
    const rows = await screen.findAllByTestId('region-row');
    expect(rows.map((r) => r.dataset.slug)).toEqual(['terran', 'nexus']);
    const [outside, managed] = rows as [HTMLElement, HTMLElement];
    expect(within(managed).getByTestId('region-api').textContent).toBe('1/2 running');
    expect(within(managed).getByTestId('region-restarts').textContent).toBe('4');
    const replicas = within(managed)
      .getAllByTestId('region-replica')
      .map((r) => r.textContent);
    expect(replicas[0]).toContain('127.0.0.1:9100 ready');
    expect(replicas[0]).toContain('4.5 req/s');
    expect(replicas[1]).toContain('127.0.0.1:9101 not ready');
    expect(replicas[1]).toContain('restarting · 3 restarts');
    expect(within(managed).getByTestId('region-state').className).not.toContain('ok');
    // Terran runs outside the manager: shown, its buttons off with the reason.
    expect(within(outside).getByText('external')).toBeTruthy();
    const scale = within(outside).getByRole('button', { name: 'Scale…' }) as HTMLButtonElement;
    expect(scale.disabled).toBe(true);
    expect(scale.title).toBe('Run outside the region manager: change it where it runs');
    expect((within(managed).getByRole('button', { name: 'Scale…' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('turns every control off, saying why, for an admin without admin:regions', async () => {
    renderRegions(['admin:read']);
    const managed = (await screen.findAllByTestId('region-row'))[1]!;
    for (const name of ['Scale…', 'Stop…', 'Delete…']) {
      const button = within(managed).getByRole('button', { name }) as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      expect(button.title).toBe('Needs the admin:regions scope');
    }
    expect((screen.getByRole('button', { name: 'Create…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('regions-read-only').textContent).toContain('admin:regions');
  });

  it('creates a region and shows its steps and the galaxy written as the job reports them, then the error when it fails', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const answers = [
      job({ step: 'shard', steps: [at('database'), at('shard')], progress: [{ table: 'sectors', written: 500, total: 1200 }] }),
      job({ state: 'failed', step: 'services', steps: [at('database'), at('shard'), at('services')], error: 'the api of rim was not ready within 120 s' }),
    ];
    const regions = renderRegions(['admin:read', 'admin:regions'], fakeApi({ job: vi.fn(async () => answers.shift()!) }));
    await screen.findAllByTestId('region-row');
    const user = userEvent.setup({ advanceTimers: () => {} });
    await user.type(screen.getByLabelText('Slug'), 'rim');
    await user.clear(screen.getByLabelText('api replicas'));
    await user.type(screen.getByLabelText('api replicas'), '2');
    await user.click(screen.getByRole('button', { name: 'Create…' }));
    const dialog = screen.getByRole('dialog', { name: 'Create the region rim' });
    await user.type(within(dialog).getByLabelText('Reason (kept in the audit log)'), 'the rim opens');
    await user.click(within(dialog).getByRole('button', { name: 'Create the region' }));
    await waitFor(() => expect(regions.create).toHaveBeenCalledWith({ slug: 'rim', api_replicas: 2, reason: 'the rim opens' }));
    const states = () => screen.getAllByTestId('create-step').map((s) => s.dataset.state);
    await waitFor(() => expect(states()).toEqual(['running', 'pending', 'pending', 'pending']));
    vi.advanceTimersByTime(JOB_POLL_MS);
    await waitFor(() => expect(states()).toEqual(['done', 'running', 'pending', 'pending']));
    // the shard's galaxy as it is written, table by table
    expect(screen.getAllByTestId('create-table').map((row) => row.textContent)).toEqual(['sectors: 500 / 1,200']);
    expect(regions.job).toHaveBeenCalledWith(expect.any(String), '5b0c1a53-9f0e-4b8e-9a57-2f3c1d8e7a10');
    vi.advanceTimersByTime(JOB_POLL_MS);
    await waitFor(() => expect(screen.getByTestId('create-progress').dataset.state).toBe('failed'));
    expect(states()).toEqual(['done', 'done', 'failed', 'pending']);
    expect(screen.getByTestId('create-error').textContent).toBe('the api of rim was not ready within 120 s');
    // finished: no more polling, and the list is read again
    vi.advanceTimersByTime(JOB_POLL_MS * 2);
    expect(regions.job).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(regions.list).toHaveBeenCalledTimes(2));
  });

  it('deletes only after the region’s slug is typed, with TOTP, the reason and the dump choice', async () => {
    const regions = renderRegions(['admin:read', 'admin:regions']);
    const managed = (await screen.findAllByTestId('region-row'))[1]!;
    await userEvent.click(within(managed).getByRole('button', { name: 'Delete…' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete the region Central Nexus' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete the region' }) as HTMLButtonElement;
    await userEvent.type(within(dialog).getByLabelText('Reason (kept in the audit log)'), 'season over');
    await userEvent.type(within(dialog).getByLabelText('Authenticator code'), '123456');
    expect(confirm.disabled).toBe(true);
    await userEvent.type(within(dialog).getByLabelText('Type nexus to confirm'), 'nexus');
    await userEvent.click(within(dialog).getByLabelText('Keep a final dump of its database'));
    expect(confirm.disabled).toBe(false);
    await userEvent.click(confirm);
    await waitFor(() => expect(regions.delete).toHaveBeenCalledWith('nexus', { keep_dump: false, reason: 'season over' }, '123456'));
    await waitFor(() => expect(screen.getByTestId('region-done').textContent).toContain('Central Nexus is deleted.'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('scales a region to the count asked for', async () => {
    const regions = renderRegions(['admin:read', 'admin:regions']);
    const managed = (await screen.findAllByTestId('region-row'))[1]!;
    await userEvent.click(within(managed).getByRole('button', { name: 'Scale…' }));
    const dialog = screen.getByRole('dialog', { name: 'Scale Central Nexus' });
    const count = within(dialog).getByLabelText('api replicas');
    expect((count as HTMLInputElement).value).toBe('2');
    await userEvent.clear(count);
    await userEvent.type(count, '3');
    await userEvent.type(within(dialog).getByLabelText('Reason (kept in the audit log)'), 'a busy evening');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Scale' }));
    await waitFor(() => expect(regions.scale).toHaveBeenCalledWith('nexus', { api_replicas: 3, reason: 'a busy evening' }));
    await waitFor(() => expect(screen.getByTestId('region-done').textContent).toBe('Central Nexus runs 3 api replicas.'));
  });

  it('says there is no region manager when the game serves none', async () => {
    renderRegions(
      ['admin:read'],
      fakeApi({
        list: vi.fn(async (): Promise<AdminRegions> => {
          throw new ApiError(404, 'not_found', 'Not found', { detail: 'GET /api/v1/admin/regions' });
        }),
      }),
    );
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('No region manager serves this game'));
  });

  it('marks a step done once a later one has begun, and every step once the job is done', () => {
    expect(stepStates(job({ steps: [] }))).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(stepStates(job({ state: 'done', steps: [at('database'), at('shard'), at('services'), at('ready')] }))).toEqual(['done', 'done', 'done', 'done']);
  });
});
