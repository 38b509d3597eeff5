import { createSignal, type JSX, onMount, Show } from 'solid-js';
import { Field, FormError, useSubmission } from './forms.js';

export interface TotpPromptProps {
  /** what is about to happen, as the dialog's title: "Ban han_solo" */
  title: string;
  /** the button that does it */
  confirm: string;
  /** a reason the audit log keeps (credits, bans, …): required when true */
  reason?: boolean;
  /** a dangerous change: ask for a fresh code from the authenticator app (sent as X-TOTP-Code) */
  totp?: boolean;
  /** the change's own inputs (an amount, a sector), above the reason */
  children?: JSX.Element;
  /** true when the change's own inputs are not ready */
  invalid?: boolean;
  onConfirm(input: { reason: string; code: string }): Promise<void>;
  onCancel(): void;
}

/**
 * The confirmation in front of an admin change: the reason the audit log keeps, and for a
 * dangerous change a fresh TOTP code. A refused code keeps the dialog open with the reason filled
 * in, so the admin only types the next code.
 */
export function TotpPrompt(props: TotpPromptProps) {
  const [reason, setReason] = createSignal('');
  const [code, setCode] = createSignal('');
  const submission = useSubmission();
  let first: HTMLDivElement | undefined;
  onMount(() => first?.querySelector('input')?.focus());
  const ready = () => !props.invalid && (!props.reason || reason().trim().length >= 3) && (!props.totp || /^\d{6}$/.test(code().trim()));
  return (
    <div class="dialog-backdrop">
      <form
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        noValidate
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onCancel();
        }}
        onSubmit={(e) => {
          e.preventDefault();
          if (!ready()) return;
          void submission.run(async () => {
            await props.onConfirm({ reason: reason().trim(), code: code().trim() });
          });
        }}
      >
        <h2>{props.title}</h2>
        <div ref={first}>
          {props.children}
          <Show when={props.reason}>
            <Field
              id="action-reason"
              label="Reason (kept in the audit log)"
              value={reason()}
              onInput={setReason}
              error={submission.fieldError('reason')}
              hint="At least 3 characters: a ticket number, what happened."
            />
          </Show>
          <Show when={props.totp}>
            <Field
              id="action-totp"
              label="Authenticator code"
              value={code()}
              onInput={setCode}
              autocomplete="one-time-code"
              hint="A fresh 6-digit code: each code works once."
              inputProps={{ inputmode: 'numeric', maxLength: 6 }}
            />
          </Show>
        </div>
        <FormError message={submission.message()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={() => props.onCancel()}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={!ready() || submission.busy()}>
            {submission.busy() ? 'Working…' : props.confirm}
          </button>
        </div>
      </form>
    </div>
  );
}
