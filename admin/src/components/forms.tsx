import { createSignal, type JSX, Show } from 'solid-js';
import { ApiError } from '../../../client/index.js';
import { describeProblem } from '../problems.js';

/** A form's run: busy while it works, its failure kept to show (and the fields the server named). */
export function useSubmission() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  return {
    busy,
    error,
    message: () => (error() ? describeProblem(error()) : null),
    fieldError: (path: string) => {
      const err = error();
      return err instanceof ApiError ? err.fieldMessage(path) : undefined;
    },
    clear: () => setError(null),
    async run(work: () => Promise<void>) {
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
    },
  };
}

export function Field(props: {
  id: string;
  label: string;
  value: string;
  onInput(value: string): void;
  type?: string;
  autocomplete?: string;
  error?: string | undefined;
  hint?: string;
  inputProps?: JSX.InputHTMLAttributes<HTMLInputElement>;
}) {
  return (
    <div class="field" classList={{ invalid: Boolean(props.error) }}>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        {...props.inputProps}
      />
      <Show when={props.error}>
        <p class="field-error">{props.error}</p>
      </Show>
      <Show when={props.hint && !props.error}>
        <p class="field-hint">{props.hint}</p>
      </Show>
    </div>
  );
}

export function FormError(props: { message: string | null }) {
  return (
    <Show when={props.message}>
      <p class="form-error" role="alert">
        {props.message}
      </p>
    </Show>
  );
}

/** Copies text to the clipboard and says so. */
export function CopyButton(props: { text: string; label?: string }) {
  const [copied, setCopied] = createSignal(false);
  return (
    <button
      type="button"
      class="secondary"
      onClick={() =>
        void navigator.clipboard.writeText(props.text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied() ? 'Copied' : (props.label ?? 'Copy')}
    </button>
  );
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—');
export const credits = (n: number) => `${n.toLocaleString('en-US')} cr`;
/** A job's stats (`{ moves: 3, trades: 1 }`) as `moves 3 · trades 1`. */
export const statsText = (stats: unknown) =>
  stats && typeof stats === 'object'
    ? Object.entries(stats)
        .map(([k, v]) => `${k.replaceAll('_', ' ')} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(' · ')
    : stats == null
      ? '—'
      : String(stats);
