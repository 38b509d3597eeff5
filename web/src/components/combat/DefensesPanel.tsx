import { createResource, createSignal, For, Show } from 'solid-js';
import { newActionKey, type ApiClient, type Player, type Sector, type Ship } from '../../../../client/index.js';
import { count } from '../../format.js';
import { Problem } from '../common/Status.js';

type DefensesApi = { defenses: ApiClient['defenses'] };
type Mode = 'defensive' | 'toll' | 'offensive';

const MODES: Array<{ value: Mode; label: string }> = [
  { value: 'defensive', label: 'Defensive: fight pilots who pass on' },
  { value: 'toll', label: 'Toll: charge entrants, fight those who do not pay' },
  { value: 'offensive', label: 'Offensive: attack entrants' },
];

/** Deploy fighters or lay mines in this sector (1 turn each), see what is deployed here, recall your own. */
export function DefensesPanel(props: { api: DefensesApi; sector: Sector; ship: Ship; onCrew(crew: { player: Player; ship: Ship }): void }) {
  const [here, { refetch }] = createResource(
    () => `${props.sector.id}:${props.ship.fighters}:${props.ship.mines}`,
    () => props.api.defenses.list(),
  );
  const [quantity, setQuantity] = createSignal(10);
  const [mode, setMode] = createSignal<Mode>('defensive');
  const [toll, setToll] = createSignal(100);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);

  async function act(run: () => Promise<{ player: Player; ship: Ship }>) {
    setBusy(true);
    setError(null);
    try {
      props.onCrew(await run());
      await refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel defenses" aria-labelledby="defenses-title">
      <h2 id="defenses-title">
        <span class="eyebrow">Territory</span> Defenses in sector {props.sector.id}
      </h2>
      <Show when={props.sector.fedspace}>
        <p class="muted">The Federation forbids deployed defenses in FedSpace.</p>
      </Show>
      <Show when={(here()?.stacks.length ?? 0) > 0} fallback={<p class="muted">Nothing deployed here.</p>}>
        <ul class="defense-stacks">
          <For each={here()?.stacks ?? []}>
            {(stack) => (
              <li>
                {stack.yours ? 'Yours' : stack.owner}: {stack.quantity !== null ? count(stack.quantity) : `${count(stack.band.min)}+`} {stack.kind}
                {stack.mode ? ` (${stack.mode}${stack.toll !== null ? `, toll ${count(stack.toll)} cr` : ''})` : ''}
                <Show when={stack.yours && stack.quantity}>
                  {(n) => (
                    <>
                      {' '}
                      <button
                        type="button"
                        disabled={busy()}
                        onClick={() => act(() => props.api.defenses.recall({ kind: stack.kind, quantity: n() }, newActionKey()))}
                      >
                        Recall all
                      </button>
                    </>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={!props.sector.fedspace}>
        <form class="deploy-form" onSubmit={(e) => e.preventDefault()}>
          <label>
            Quantity <input type="number" min="1" value={quantity()} onInput={(e) => setQuantity(Number(e.currentTarget.value))} />
          </label>
          <label>
            Mode
            <select value={mode()} onChange={(e) => setMode(e.currentTarget.value as Mode)}>
              <For each={MODES}>{(m) => <option value={m.value}>{m.label}</option>}</For>
            </select>
          </label>
          <Show when={mode() === 'toll'}>
            <label>
              Toll (cr) <input type="number" min="1" value={toll()} onInput={(e) => setToll(Number(e.currentTarget.value))} />
            </label>
          </Show>
          <button
            type="button"
            disabled={busy() || quantity() < 1 || quantity() > props.ship.fighters}
            onClick={() =>
              act(() => props.api.defenses.fighters({ quantity: quantity(), mode: mode(), ...(mode() === 'toll' ? { toll: toll() } : {}) }, newActionKey()))
            }
          >
            Deploy fighters ({count(props.ship.fighters)} aboard)
          </button>{' '}
          <button
            type="button"
            disabled={busy() || quantity() < 1 || quantity() > props.ship.mines}
            onClick={() => act(() => props.api.defenses.mines({ quantity: quantity() }, newActionKey()))}
          >
            Lay mines ({count(props.ship.mines)} aboard)
          </button>
        </form>
      </Show>
      <Show when={error()}>{(err) => <Problem error={err()} />}</Show>
    </section>
  );
}
