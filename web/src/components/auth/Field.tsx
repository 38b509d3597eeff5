import { Show, type JSX } from 'solid-js';

export interface FieldProps {
  id: string;
  label: string;
  type?: string;
  autocomplete?: string;
  value: string;
  onInput(value: string): void;
  error?: string | undefined;
  hint?: string;
  ref?: (el: HTMLInputElement) => void;
  inputProps?: JSX.InputHTMLAttributes<HTMLInputElement>;
}

/** A labelled input with its hint, and the server's message about it when there is one. */
export function Field(props: FieldProps) {
  const describedBy = () => [props.error ? `${props.id}-error` : null, props.hint ? `${props.id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field" classList={{ invalid: Boolean(props.error) }}>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        ref={props.ref}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy()}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        {...props.inputProps}
      />
      <Show when={props.error}>
        <p class="field-error" id={`${props.id}-error`}>
          {props.label} {props.error}
        </p>
      </Show>
      <Show when={props.hint && !props.error}>
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
    </div>
  );
}
