import { render, screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../../client/index.js';
import { LoginForm, SignupForm, TotpForm } from './AuthForms.js';

const problem = (status: number, code: string, title: string, errors: Array<{ path: string; code: string; message: string }> = []) =>
  new ApiError(status, code, title, { fieldErrors: errors });

describe('SignupForm', () => {
  it('sends what was typed and shows each field error the server returned beside its field', async () => {
    const onRegister = vi.fn(async () => {
      throw problem(422, 'validation_failed', 'The request is not valid', [
        { path: 'username', code: 'invalid_format', message: '3–24 letters, digits or underscores' },
        { path: 'password', code: 'too_small', message: 'at least 10 characters' },
      ]);
    });
    const user = userEvent.setup();
    render(() => <SignupForm onRegister={onRegister} />);
    await user.type(screen.getByLabelText('Pilot name'), 'x!');
    await user.type(screen.getByLabelText('Email'), 'x@example.test');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create pilot' }));

    expect(onRegister).toHaveBeenCalledWith('x!', 'x@example.test', 'short');
    expect(await screen.findByText('Pilot name 3–24 letters, digits or underscores')).toBeTruthy();
    expect(screen.getByText('Password at least 10 characters')).toBeTruthy();
    expect(screen.getByLabelText('Pilot name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe('Check the highlighted fields.');
  });

  it('marks a taken name on the name field', async () => {
    const onRegister = vi.fn(async () => {
      throw problem(409, 'username_taken', 'That username is taken', [{ path: 'username', code: 'taken', message: 'is taken' }]);
    });
    const user = userEvent.setup();
    render(() => <SignupForm onRegister={onRegister} />);
    await user.type(screen.getByLabelText('Pilot name'), 'han_solo');
    await user.type(screen.getByLabelText('Email'), 'han@example.test');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Create pilot' }));
    expect(await screen.findByText('Pilot name is taken')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('stays busy while the request runs and sends it once', async () => {
    let finish!: () => void;
    const onRegister = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const user = userEvent.setup();
    render(() => <SignupForm onRegister={onRegister} />);
    await user.type(screen.getByLabelText('Pilot name'), 'han_solo');
    await user.type(screen.getByLabelText('Email'), 'han@example.test');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.dblClick(screen.getByRole('button', { name: 'Create pilot' }));
    expect((screen.getByRole('button', { name: 'Launching…' }) as HTMLButtonElement).disabled).toBe(true);
    finish();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Create pilot' })).toBeTruthy());
    expect(onRegister).toHaveBeenCalledTimes(1);
  });
});

describe('LoginForm', () => {
  it('says plainly when the name or password is wrong', async () => {
    const onLogin = vi.fn(async () => {
      throw problem(401, 'invalid_credentials', 'Wrong username or password');
    });
    const user = userEvent.setup();
    render(() => <LoginForm onLogin={onLogin} />);
    await user.type(screen.getByLabelText('Pilot name'), '  han_solo ');
    await user.type(screen.getByLabelText('Password'), 'not it at all');
    await user.keyboard('{Enter}');
    expect(onLogin).toHaveBeenCalledWith('han_solo', 'not it at all');
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong pilot name or password.');
  });

  it('tells the pilot to wait when sign-ins are rate limited', async () => {
    const onLogin = vi.fn(async () => {
      throw new ApiError(429, 'rate_limited', 'Too many requests', { retryAfter: 42 });
    });
    const user = userEvent.setup();
    render(() => <LoginForm onLogin={onLogin} />);
    await user.type(screen.getByLabelText('Pilot name'), 'han_solo');
    await user.type(screen.getByLabelText('Password'), 'whatever it is');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Too many attempts. Try again in 42 s.');
  });
});

describe('TotpForm', () => {
  it('sends the app’s code, or a recovery code once switched, and says why a code was refused', async () => {
    const onCode = vi.fn(async (code: string) => {
      if (code === '000000') throw problem(403, 'totp_invalid', 'Wrong or expired code');
    });
    const user = userEvent.setup();
    render(() => <TotpForm onCode={onCode} onCancel={() => {}} />);
    await user.type(screen.getByLabelText('Authentication code'), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(onCode).toHaveBeenLastCalledWith('000000');
    await waitFor(() => expect(screen.getByRole('alert')).toBeTruthy());
    await user.click(screen.getByRole('button', { name: 'Use a recovery code' }));
    await user.type(screen.getByLabelText('Recovery code'), 'k3f9-2mxq-7hdp');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(onCode).toHaveBeenLastCalledWith('k3f9-2mxq-7hdp');
  });
});
