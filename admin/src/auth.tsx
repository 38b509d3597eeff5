import { createResource, createSignal, For, Show } from 'solid-js';
import { ApiError, type ApiClient } from '../../client/index.js';
import { CopyButton, Field, FormError, useSubmission } from './components/forms.js';
import { QrCode } from './components/Qr.js';
import { describeProblem } from './problems.js';

/** Username and password: the first step of every admin sign-in. */
export function SignInForm(props: { onSignIn(username: string, password: string): Promise<void> }) {
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const submission = useSubmission();
  return (
    <form
      class="card auth"
      aria-label="Admin sign-in"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submission.run(() => props.onSignIn(username().trim(), password()));
      }}
    >
      <h1>SectorWars admin</h1>
      <Field id="username" label="Username" autocomplete="username" value={username()} onInput={setUsername} error={submission.fieldError('username')} />
      <Field
        id="password"
        label="Password"
        type="password"
        autocomplete="current-password"
        value={password()}
        onInput={setPassword}
        error={submission.fieldError('password')}
      />
      <FormError message={submission.message()} />
      <button type="submit" class="primary" disabled={submission.busy()}>
        {submission.busy() ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/** The second step: the authenticator app's code, or one of the recovery codes in its place. */
export function TotpStep(props: { note?: string; onCode(code: string): Promise<void>; onCancel(): void }) {
  const [code, setCode] = createSignal('');
  const [recovery, setRecovery] = createSignal(false);
  const submission = useSubmission();
  return (
    <form
      class="card auth"
      aria-label="Two-step sign-in form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submission.run(() => props.onCode(code().trim()));
      }}
    >
      <h1>Two-step sign-in</h1>
      <Show when={props.note}>
        <p>{props.note}</p>
      </Show>
      <Field
        id="totp-code"
        label={recovery() ? 'Recovery code' : 'Authenticator code'}
        autocomplete="one-time-code"
        value={code()}
        onInput={setCode}
        error={submission.fieldError('code')}
        hint={recovery() ? 'One of the 10 codes you saved; each works once.' : 'The 6-digit code your authenticator app shows now.'}
        inputProps={recovery() ? {} : { inputmode: 'numeric', maxLength: 6 }}
      />
      <FormError message={submission.message()} />
      <button type="submit" class="primary" disabled={submission.busy()}>
        {submission.busy() ? 'Checking…' : 'Verify'}
      </button>
      <div class="row">
        <button
          type="button"
          class="link"
          onClick={() => {
            setRecovery(!recovery());
            setCode('');
          }}
        >
          {recovery() ? 'Use the authenticator app' : 'Use a recovery code'}
        </button>
        <button type="button" class="link" onClick={() => props.onCancel()}>
          Start over
        </button>
      </div>
    </form>
  );
}

/**
 * First admin sign-in without TOTP: a new key as a QR code (and as text, with a copy button),
 * confirmed with a code; then the 10 recovery codes, shown this once.
 */
export function Enrollment(props: { api: ApiClient; onDone(): void; onAlreadyEnrolled(): void; onCancel(): void }) {
  const [key] = createResource(() =>
    props.api.auth.totp.enroll().catch((err: unknown) => {
      // Enrolled already: this session was only signed in without the code.
      if (err instanceof ApiError && err.code === 'totp_already_enrolled') props.onAlreadyEnrolled();
      throw err;
    }),
  );
  const [code, setCode] = createSignal('');
  const [recoveryCodes, setRecoveryCodes] = createSignal<string[] | null>(null);
  const submission = useSubmission();
  return (
    <div class="card auth wide">
      <h1>Set up two-step sign-in</h1>
      <Show
        when={recoveryCodes()}
        fallback={
          <>
            <p>Every admin account needs an authenticator app (TOTP). Scan the code, then enter the 6 digits it shows.</p>
            <Show when={key.error}>
              <FormError message={describeProblem(key.error)} />
            </Show>
            <Show when={key()}>
              {(k) => (
                <div class="enroll">
                  <QrCode text={k().otpauth_url} label="QR code of the TOTP key" />
                  <div>
                    <p>
                      Cannot scan? Enter this key: <code data-testid="totp-secret">{k().secret}</code> <CopyButton text={k().secret} label="Copy key" />
                    </p>
                    <p class="muted small">
                      <code data-testid="otpauth-url">{k().otpauth_url}</code>
                    </p>
                    <form
                      noValidate
                      aria-label="Confirm the key"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void submission.run(async () => {
                          setRecoveryCodes((await props.api.auth.totp.verify(code().trim())).recovery_codes);
                        });
                      }}
                    >
                      <Field
                        id="enroll-code"
                        label="Code from the app"
                        autocomplete="one-time-code"
                        value={code()}
                        onInput={setCode}
                        error={submission.fieldError('code')}
                        inputProps={{ inputmode: 'numeric', maxLength: 6 }}
                      />
                      <FormError message={submission.message()} />
                      <button type="submit" class="primary" disabled={submission.busy()}>
                        Confirm
                      </button>
                    </form>
                  </div>
                </div>
              )}
            </Show>
            <button type="button" class="link" onClick={() => props.onCancel()}>
              Sign out
            </button>
          </>
        }
      >
        {(codes) => (
          <>
            <p>
              Two-step sign-in is on. These <strong>recovery codes</strong> sign you in when the app is not at hand; each works once. Save them now: they are
              not shown again.
            </p>
            <ol class="recovery" data-testid="recovery-codes">
              <For each={codes()}>{(c) => <li>{c}</li>}</For>
            </ol>
            <CopyButton text={codes().join('\n')} label="Copy codes" />{' '}
            <button type="button" class="primary" onClick={() => props.onDone()}>
              I saved them: continue
            </button>
          </>
        )}
      </Show>
    </div>
  );
}

/** The one-time enrollment link `sectorwars admin create` printed: choose the password. */
export function EnrollLinkForm(props: { onRedeem(password: string): Promise<void> }) {
  const [password, setPassword] = createSignal('');
  const [again, setAgain] = createSignal('');
  const submission = useSubmission();
  return (
    <form
      class="card auth"
      aria-label="Choose your password"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (password() !== again()) return;
        void submission.run(() => props.onRedeem(password()));
      }}
    >
      <h1>Welcome aboard</h1>
      <p>Choose the password of your admin account. This link works once.</p>
      <Field
        id="new-password"
        label="New password"
        type="password"
        autocomplete="new-password"
        value={password()}
        onInput={setPassword}
        error={submission.fieldError('password')}
        hint="At least 10 characters."
      />
      <Field
        id="new-password-again"
        label="Repeat the password"
        type="password"
        autocomplete="new-password"
        value={again()}
        onInput={setAgain}
        error={again() && again() !== password() ? 'The two passwords differ.' : undefined}
      />
      <FormError message={submission.message()} />
      <button type="submit" class="primary" disabled={submission.busy() || password().length === 0 || password() !== again()}>
        Set password
      </button>
    </form>
  );
}
