import { createSignal, Show } from 'solid-js';
import { ApiError } from '../../../../client/index.js';
import { describeProblem } from '../../problems.js';
import { Field } from './Field.js';

/** A form's failure: a message for the form and one per field the server named. */
function useSubmission() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const fieldError = (path: string) => {
    const err = error();
    return err instanceof ApiError ? err.fieldMessage(path) : undefined;
  };
  const formError = () => {
    const err = error();
    if (!err) return null;
    // Field problems are shown beside their fields; say so only when none could be placed.
    if (err instanceof ApiError && err.code === 'validation_failed' && err.fieldErrors.length > 0) return 'Check the highlighted fields.';
    if (err instanceof ApiError && err.fieldErrors.length > 0 && (err.code === 'username_taken' || err.code === 'email_taken')) return null;
    return describeProblem(err);
  };
  const run = async (work: () => Promise<void>) => {
    if (busy()) return;
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, fieldError, formError, run };
}

export function LoginForm(props: { onLogin(username: string, password: string): Promise<void> }) {
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const submission = useSubmission();
  return (
    <form
      class="auth-form"
      noValidate
      aria-label="Sign in"
      onSubmit={(e) => {
        e.preventDefault();
        void submission.run(() => props.onLogin(username().trim(), password()));
      }}
    >
      <Field
        id="login-username"
        label="Pilot name"
        autocomplete="username"
        value={username()}
        onInput={setUsername}
        error={submission.fieldError('username')}
      />
      <Field
        id="login-password"
        label="Password"
        type="password"
        autocomplete="current-password"
        value={password()}
        onInput={setPassword}
        error={submission.fieldError('password')}
      />
      <Show when={submission.formError()}>
        <p class="form-error" role="alert">
          {submission.formError()}
        </p>
      </Show>
      <button type="submit" class="primary" disabled={submission.busy()}>
        {submission.busy() ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

export function SignupForm(props: { onRegister(username: string, email: string, password: string): Promise<void> }) {
  const [username, setUsername] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const submission = useSubmission();
  return (
    <form
      class="auth-form"
      noValidate
      aria-label="Sign up"
      onSubmit={(e) => {
        e.preventDefault();
        void submission.run(() => props.onRegister(username().trim(), email().trim(), password()));
      }}
    >
      <Field
        id="signup-username"
        label="Pilot name"
        autocomplete="username"
        value={username()}
        onInput={setUsername}
        error={submission.fieldError('username')}
        hint="3–24 letters, digits or underscores. Other pilots see it."
      />
      <Field id="signup-email" label="Email" type="email" autocomplete="email" value={email()} onInput={setEmail} error={submission.fieldError('email')} />
      <Field
        id="signup-password"
        label="Password"
        type="password"
        autocomplete="new-password"
        value={password()}
        onInput={setPassword}
        error={submission.fieldError('password')}
        hint="At least 10 characters."
      />
      <Show when={submission.formError()}>
        <p class="form-error" role="alert">
          {submission.formError()}
        </p>
      </Show>
      <button type="submit" class="primary" disabled={submission.busy()}>
        {submission.busy() ? 'Launching…' : 'Create pilot'}
      </button>
    </form>
  );
}

/** After a first provider sign-in whose name was taken (or not a valid pilot name): choose one. */
export function PickUsernameForm(props: { suggested: string; onPick(username: string): Promise<void> }) {
  const [username, setUsername] = createSignal(props.suggested);
  const submission = useSubmission();
  return (
    <form
      class="auth-form"
      noValidate
      aria-label="Choose a pilot name"
      onSubmit={(e) => {
        e.preventDefault();
        void submission.run(() => props.onPick(username().trim()));
      }}
    >
      <p>One more step: choose your pilot name.</p>
      <Field
        id="pick-username"
        label="Pilot name"
        autocomplete="username"
        value={username()}
        onInput={setUsername}
        error={submission.fieldError('username')}
        hint="3–24 letters, digits or underscores. Other pilots see it."
      />
      <Show when={submission.formError()}>
        <p class="form-error" role="alert">
          {submission.formError()}
        </p>
      </Show>
      <button type="submit" class="primary" disabled={submission.busy()}>
        Start flying
      </button>
    </form>
  );
}

/** The second step of a sign-in for an account with TOTP: the app's 6-digit code, or a recovery code. */
export function TotpForm(props: { onCode(code: string): Promise<void>; onCancel(): void }) {
  const [code, setCode] = createSignal('');
  const [recovery, setRecovery] = createSignal(false);
  const submission = useSubmission();
  return (
    <form
      class="auth-form"
      noValidate
      aria-label="Two-step sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        void submission.run(() => props.onCode(code().trim()));
      }}
    >
      <p>{recovery() ? 'Enter one of your recovery codes. Each works once.' : 'Enter the 6-digit code from your authenticator app.'}</p>
      <Field
        id="totp-code"
        label={recovery() ? 'Recovery code' : 'Authentication code'}
        autocomplete="one-time-code"
        value={code()}
        onInput={setCode}
        error={submission.fieldError('code')}
        inputProps={recovery() ? {} : { inputmode: 'numeric', maxLength: 6 }}
      />
      <Show when={submission.formError()}>
        <p class="form-error" role="alert">
          {submission.formError()}
        </p>
      </Show>
      <button type="submit" class="primary" disabled={submission.busy()}>
        {submission.busy() ? 'Checking…' : 'Verify'}
      </button>
      <button
        type="button"
        class="link"
        onClick={() => {
          setRecovery(!recovery());
          setCode('');
        }}
      >
        {recovery() ? 'Use the authenticator app instead' : 'Use a recovery code'}
      </button>
      <button type="button" class="link" onClick={() => props.onCancel()}>
        Back
      </button>
    </form>
  );
}

/** The page behind a forced password reset's one-time link (`/reset-password?token=`): a new password, then the game. */
export function ResetPasswordForm(props: { onReset(password: string): Promise<void> }) {
  const [password, setPassword] = createSignal('');
  const submission = useSubmission();
  return (
    <form
      class="auth-form"
      noValidate
      aria-label="Choose a new password"
      onSubmit={(e) => {
        e.preventDefault();
        void submission.run(() => props.onReset(password()));
      }}
    >
      <p>An admin asked you to choose a new password. The link works once.</p>
      <Field
        id="reset-password"
        label="New password"
        type="password"
        autocomplete="new-password"
        value={password()}
        onInput={setPassword}
        error={submission.fieldError('password')}
        hint="At least 10 characters."
      />
      <Show when={submission.formError()}>
        <p class="form-error" role="alert">
          {submission.formError()}
        </p>
      </Show>
      <button type="submit" class="primary" disabled={submission.busy()}>
        {submission.busy() ? 'Saving…' : 'Set password and sign in'}
      </button>
    </form>
  );
}
