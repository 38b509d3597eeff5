import { render, screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../client/index.js';
import { TotpPrompt } from './TotpPrompt.js';

const confirmButton = () => screen.getByRole('button', { name: 'Ban' }) as HTMLButtonElement;

describe('TotpPrompt', () => {
  it('holds the change until a reason and a 6-digit code are typed, then sends both once', async () => {
    const onConfirm = vi.fn(async () => {});
    const user = userEvent.setup();
    render(() => <TotpPrompt title="Ban han_solo" confirm="Ban" reason totp onConfirm={onConfirm} onCancel={() => {}} />);
    expect(screen.getByRole('dialog', { name: 'Ban han_solo' })).toBeTruthy();
    expect(confirmButton().disabled).toBe(true);
    await user.type(screen.getByLabelText('Reason (kept in the audit log)'), '  botting in FedSpace ');
    expect(confirmButton().disabled).toBe(true);
    await user.type(screen.getByLabelText('Authenticator code'), '12345');
    expect(confirmButton().disabled).toBe(true);
    await user.type(screen.getByLabelText('Authenticator code'), '6');
    expect(confirmButton().disabled).toBe(false);
    await user.click(confirmButton());
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onConfirm).toHaveBeenCalledWith({ reason: 'botting in FedSpace', code: '123456' });
  });

  it('keeps the reason and says why when the code is refused', async () => {
    const onConfirm = vi.fn(async () => {
      throw new ApiError(403, 'totp_invalid', 'Wrong code');
    });
    const user = userEvent.setup();
    render(() => <TotpPrompt title="Ban han_solo" confirm="Ban" reason totp onConfirm={onConfirm} onCancel={() => {}} />);
    await user.type(screen.getByLabelText('Reason (kept in the audit log)'), 'botting');
    await user.type(screen.getByLabelText('Authenticator code'), '000000');
    await user.click(confirmButton());
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('That code is wrong, expired or already used. Wait for the next one.'));
    expect((screen.getByLabelText('Reason (kept in the audit log)') as HTMLInputElement).value).toBe('botting');
  });

  it('asks for no code on a change that is not dangerous, and cancels on Escape', async () => {
    const onCancel = vi.fn();
    const onConfirm = vi.fn(async () => {});
    const user = userEvent.setup();
    render(() => <TotpPrompt title="Move han_solo" confirm="Move" reason onConfirm={onConfirm} onCancel={onCancel} />);
    expect(screen.queryByLabelText('Authenticator code')).toBeNull();
    await user.type(screen.getByLabelText('Reason (kept in the audit log)'), 'stuck');
    await user.click(screen.getByRole('button', { name: 'Move' }));
    expect(onConfirm).toHaveBeenCalledWith({ reason: 'stuck', code: '' });
    await user.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalledTimes(1);
  });
});
