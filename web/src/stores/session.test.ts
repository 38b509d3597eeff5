import { createRoot } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient, User } from '../../../client/index.js';
import { createSessionStore } from './session.js';

const han: User = {
  id: '7f1c2d5e-0000-4000-8000-000000000001',
  username: 'han_solo',
  email: 'han@example.test',
  scopes: [],
  created_at: '2026-05-01T00:00:00.000Z',
};

function fakeApi(login: ApiClient['auth']['login']) {
  const listeners: Array<(u: User | null) => void> = [];
  const api = {
    auth: { login, loginTotp: vi.fn(async () => han), resume: vi.fn(async () => null) },
    session: { onChange: (l: (u: User | null) => void) => listeners.push(l), user: () => null, accessToken: async () => null },
  } as unknown as Pick<ApiClient, 'auth' | 'session'>;
  return api;
}

describe('the session store', () => {
  it('stops a sign-in at the TOTP challenge and finishes it with the code', async () => {
    const api = fakeApi(vi.fn(async () => ({ totp_required: true as const, challenge: 'ch4llenge', expires_in: 300 })));
    await createRoot(async (dispose) => {
      const session = createSessionStore(api, null);
      await session.restore();
      await session.login('han_solo', 'correct horse battery');
      expect(session.challenge()).toBe('ch4llenge');
      expect(session.status()).toBe('signed-out');
      await session.finishTotp('123456');
      expect(api.auth.loginTotp).toHaveBeenCalledWith({ challenge: 'ch4llenge', code: '123456' });
      expect(session.challenge()).toBeNull();
      expect([session.status(), session.user()?.username]).toEqual(['signed-in', 'han_solo']);
      dispose();
    });
  });

  it('signs in at once an account without TOTP', async () => {
    const api = fakeApi(vi.fn(async () => han));
    await createRoot(async (dispose) => {
      const session = createSessionStore(api, null);
      await session.login('han_solo', 'correct horse battery');
      expect([session.status(), session.challenge()]).toEqual(['signed-in', null]);
      dispose();
    });
  });

  it('picks up the challenge a provider sign-in redirected back with', async () => {
    globalThis.history.replaceState(null, '', '/?totp_challenge=fr0m-github');
    const api = fakeApi(vi.fn());
    await createRoot(async (dispose) => {
      const session = createSessionStore(api, null);
      await session.restore();
      expect(session.challenge()).toBe('fr0m-github');
      expect(globalThis.location.search).toBe('');
      expect(api.auth.resume).not.toHaveBeenCalled();
      dispose();
    });
  });
});
