import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { type AdminMe, ApiError, type ApiClient } from '../../../client/index.js';
import type { Router } from '../router.js';
import { Dashboard } from './Dashboard.js';

const down = () => {
  throw new ApiError(503, 'database_unavailable', 'The game’s database cannot be reached right now');
};

describe('Dashboard', () => {
  it('still shows what loaded when some of its reads fail, and says why the others did not', async () => {
    const api = {
      admin: {
        audit: vi.fn(async () => down()),
        scopes: { list: vi.fn(async () => down()), requests: vi.fn(async () => ({ requests: [] })) },
        ops: { online: vi.fn(async () => ({ count: 3, pilots: [] })), jobs: vi.fn(async () => down()) },
      },
    } as unknown as ApiClient;
    const me = { id: 'a', username: 'ops', scopes: ['admin:read'] } as unknown as AdminMe;
    render(() => <Dashboard api={api} me={me} router={{ go: () => {} } as unknown as Router} rest="" />);
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
    await vi.waitFor(() => expect(document.body.textContent).toContain('3'));
    expect(screen.getByTestId('admin-count').textContent).toBe('…');
    expect(document.body.textContent).toMatch(/database/i);
  });
});
