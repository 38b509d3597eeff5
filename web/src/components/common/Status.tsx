import { Show, type JSX } from 'solid-js';
import { describeProblem } from '../../problems.js';

/** A panel's loading line. */
export function Loading(props: { what: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {props.what}
    </p>
  );
}

/** A problem with a way to try again. */
export function Problem(props: { error: unknown; retry?: () => void; children?: JSX.Element }) {
  return (
    <div class="problem" role="alert">
      <p>{describeProblem(props.error)}</p>
      {props.children}
      <Show when={props.retry}>
        <button type="button" onClick={() => props.retry!()}>
          Try again
        </button>
      </Show>
    </div>
  );
}
