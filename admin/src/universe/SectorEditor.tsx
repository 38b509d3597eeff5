import { createEffect, createResource, createSignal, For, Show } from 'solid-js';
import { type AdminPlanetType, type AdminPort, type AdminSectorWarps, ApiError, type ApiClient } from '../../../client/index.js';
import { FormError } from '../components/forms.js';
import { TotpPrompt } from '../components/TotpPrompt.js';
import { describeProblem } from '../problems.js';

/** Every planet type the API takes; typed against the contract, so a new type fails the build here. */
const PLANET_TYPES: Record<AdminPlanetType, string> = {
  earthlike: 'Earth-like',
  oceanic: 'Oceanic',
  desert: 'Desert',
  volcanic: 'Volcanic',
  glacial: 'Glacial',
  gaseous: 'Gaseous',
};
/** Trading ports change between these classes; Earth Station (0) and the Stardock (9) keep theirs. */
const TRADING_CLASSES = [1, 2, 3, 4, 5, 6, 7, 8];

type Pending =
  | { kind: 'warp'; title: string; body: { add: number[]; remove: number[]; two_way: boolean } }
  | {
      kind: 'port';
      title: string;
      portId: number;
      body: { port_class?: number; goods: Array<{ good: 'ore' | 'organics' | 'equipment' | 'colonists'; stock?: number; capacity?: number }> };
    }
  | { kind: 'planet'; title: string; planetId: number; body: { name?: string; planet_type?: AdminPlanetType } };

/**
 * A sector's editors: its warps (add, remove, one way or both; the API refuses an edit that would
 * strand a sector, and that refusal stays on screen), its port (class, stock, capacity) and its
 * planets (name, type). Every change is dangerous: a reason and a fresh code.
 */
export function SectorEditor(props: { api: ApiClient; id: number; mayEdit: boolean; onChanged(): void; onClose(): void }) {
  const [sector, { refetch }] = createResource(
    () => props.id,
    (id) => props.api.admin.universe.sector(id),
  );
  const [pending, setPending] = createSignal<Pending | null>(null);
  const [refusal, setRefusal] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const [portVersion, setPortVersion] = createSignal(0);

  const confirm = async ({ reason, code }: { reason: string; code: string }) => {
    const change = pending()!;
    try {
      if (change.kind === 'warp') await props.api.admin.universe.editWarps(props.id, { ...change.body, reason }, code);
      else if (change.kind === 'port') await props.api.admin.universe.editPort(change.portId, { ...change.body, reason }, code);
      else await props.api.admin.universe.editPlanet(change.planetId, { ...change.body, reason }, code);
    } catch (err) {
      // A refusal of the edit itself (not of the code): close the prompt and keep it in view.
      if (err instanceof ApiError && !err.code.startsWith('totp_') && err.status !== 422) {
        setPending(null);
        setDone(null);
        setRefusal(`${change.title} refused: ${err.detail ?? describeProblem(err)}`);
        return;
      }
      throw err;
    }
    setPending(null);
    setRefusal(null);
    setDone(`${change.title}: done.`);
    void refetch();
    setPortVersion((v) => v + 1);
    props.onChanged();
  };

  return (
    <section class="card" aria-labelledby="sector-title" data-testid="sector-editor">
      <div class="player-head">
        <h2 id="sector-title">Sector {props.id}</h2>
        <button type="button" class="link" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
      <Show when={sector.error}>
        <FormError message={describeProblem(sector.error)} />
      </Show>
      <Show when={refusal()}>
        <p class="form-error" role="alert" data-testid="edit-refusal">
          {refusal()}
        </p>
      </Show>
      <Show when={done()}>
        <p class="notice" data-testid="edit-done">
          {done()}
        </p>
      </Show>
      <Show when={sector.latest}>
        {(s) => (
          <>
            <p class="muted">
              {s().sector.name ? `${s().sector.name} · ` : ''}region {s().sector.region_id} · {s().sector.zone}
              {s().sector.fedspace ? ' · FedSpace' : ''}
            </p>
            <WarpEditor sector={s()} mayEdit={props.mayEdit} ask={setPending} />
            <Show when={s().port}>
              {(port) => <PortEditor api={props.api} portId={port().id} version={portVersion()} mayEdit={props.mayEdit} ask={setPending} />}
            </Show>
            <For each={s().planets}>{(planet) => <PlanetEditor planet={planet} mayEdit={props.mayEdit} ask={setPending} />}</For>
            <Show when={!s().port && s().planets.length === 0}>
              <p class="muted">No port and no planets here.</p>
            </Show>
          </>
        )}
      </Show>
      <Show when={pending()}>
        {(change) => <TotpPrompt title={change().title} confirm="Apply" reason totp onConfirm={confirm} onCancel={() => setPending(null)} />}
      </Show>
    </section>
  );
}

function WarpEditor(props: { sector: AdminSectorWarps; mayEdit: boolean; ask(p: Pending): void }) {
  const [target, setTarget] = createSignal('');
  const [twoWay, setTwoWay] = createSignal(true);
  const id = () => props.sector.sector.id;
  const arrow = () => (twoWay() ? '⇄' : '→');
  return (
    <div class="editor-block">
      <h3>Warps</h3>
      <table class="table" data-testid="warps-out">
        <thead>
          <tr>
            <th scope="col">Out to</th>
            <th scope="col">Kind</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          <For each={props.sector.out}>
            {(w) => (
              <tr data-testid="warp-row" data-to={w.sector_id}>
                <td>{w.sector_id}</td>
                <td>{w.gate ? <span class="badge">gate</span> : props.sector.in.some((i) => i.sector_id === w.sector_id) ? 'two-way' : 'one-way'}</td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    disabled={!props.mayEdit}
                    onClick={() =>
                      props.ask({
                        kind: 'warp',
                        title: `Remove warp ${id()} ${arrow()} ${w.sector_id}`,
                        body: { add: [], remove: [w.sector_id], two_way: twoWay() },
                      })
                    }
                  >
                    Remove
                  </button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <p class="muted small">In from: {props.sector.in.map((w) => w.sector_id).join(', ') || 'none'}</p>
      <div class="row">
        <label class="check">
          <input type="checkbox" checked={twoWay()} onChange={(e) => setTwoWay(e.currentTarget.checked)} /> both ways
        </label>
        <label class="sr-only" for="warp-add">
          Sector to add a warp to
        </label>
        <input id="warp-add" type="number" min="1" placeholder="Sector id" value={target()} onInput={(e) => setTarget(e.currentTarget.value)} />
        <button
          type="button"
          class="secondary"
          disabled={!props.mayEdit || !/^\d+$/.test(target().trim())}
          onClick={() =>
            props.ask({
              kind: 'warp',
              title: `Add warp ${id()} ${arrow()} ${target().trim()}`,
              body: { add: [Number(target())], remove: [], two_way: twoWay() },
            })
          }
        >
          Add warp
        </button>
      </div>
    </div>
  );
}

function PortEditor(props: { api: ApiClient; portId: number; version: number; mayEdit: boolean; ask(p: Pending): void }) {
  const [port] = createResource(
    () => ({ id: props.portId, version: props.version }),
    ({ id }) => props.api.admin.universe.port(id),
  );
  const [portClass, setPortClass] = createSignal<number | null>(null);
  const [goods, setGoods] = createSignal<Record<string, { stock: string; capacity: string }>>({});
  createEffect(() => {
    const p = port.latest;
    if (!p) return;
    setPortClass(p.port_class);
    setGoods(Object.fromEntries(p.goods.map((g) => [g.good, { stock: String(g.stock), capacity: String(g.capacity) }])));
  });
  const fixedClass = (p: AdminPort) => !TRADING_CLASSES.includes(p.port_class);
  const edit = (p: AdminPort): Pending['body'] | null => {
    const changed = p.goods.flatMap((g) => {
      const now = goods()[g.good];
      if (!now) return [];
      const stock = Number(now.stock);
      const capacity = Number(now.capacity);
      const change = { good: g.good as 'ore', ...(stock !== g.stock ? { stock } : {}), ...(capacity !== g.capacity ? { capacity } : {}) };
      return 'stock' in change || 'capacity' in change ? [change] : [];
    });
    const cls = portClass();
    if (changed.length === 0 && cls === p.port_class) return null;
    return { ...(cls !== null && cls !== p.port_class ? { port_class: cls } : {}), goods: changed };
  };
  return (
    <Show when={port.latest}>
      {(p) => (
        <div class="editor-block" data-testid="port-editor">
          <h3>
            Port: {p().name} <span class="muted small">(port {p().id})</span>
          </h3>
          <div class="field">
            <label for="port-class">Class</label>
            <select
              id="port-class"
              disabled={fixedClass(p())}
              value={String(portClass() ?? p().port_class)}
              onChange={(e) => setPortClass(Number(e.currentTarget.value))}
            >
              <Show when={fixedClass(p())}>
                <option value={String(p().port_class)}>{p().port_class === 0 ? '0 · Earth Station' : `${p().port_class} · Stardock`}</option>
              </Show>
              <For each={TRADING_CLASSES}>{(c) => <option value={String(c)}>{c}</option>}</For>
            </select>
          </div>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Good</th>
                <th scope="col">Port</th>
                <th scope="col">Stock</th>
                <th scope="col">Capacity</th>
              </tr>
            </thead>
            <tbody>
              <For each={p().goods}>
                {(g) => (
                  <tr data-testid="port-good" data-good={g.good}>
                    <td>{g.good}</td>
                    <td>{g.mode === 'sell' ? 'sells' : 'buys'}</td>
                    <td>
                      <input
                        type="number"
                        aria-label={`${g.good} stock`}
                        value={goods()[g.good]?.stock ?? ''}
                        onInput={(e) => setGoods({ ...goods(), [g.good]: { ...goods()[g.good]!, stock: e.currentTarget.value } })}
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        aria-label={`${g.good} capacity`}
                        value={goods()[g.good]?.capacity ?? ''}
                        onInput={(e) => setGoods({ ...goods(), [g.good]: { ...goods()[g.good]!, capacity: e.currentTarget.value } })}
                      />
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <button
            type="button"
            class="secondary"
            disabled={!props.mayEdit || edit(p()) === null}
            onClick={() =>
              props.ask({ kind: 'port', title: `Edit port ${p().name}`, portId: p().id, body: edit(p()) as Extract<Pending, { kind: 'port' }>['body'] })
            }
          >
            Save port
          </button>
        </div>
      )}
    </Show>
  );
}

function PlanetEditor(props: { planet: { id: number; name: string; planet_type: string }; mayEdit: boolean; ask(p: Pending): void }) {
  const [name, setName] = createSignal(props.planet.name);
  const [type, setType] = createSignal(props.planet.planet_type);
  const body = () => ({
    ...(name().trim() !== props.planet.name ? { name: name().trim() } : {}),
    ...(type() !== props.planet.planet_type ? { planet_type: type() as AdminPlanetType } : {}),
  });
  return (
    <div class="editor-block" data-testid="planet-editor">
      <h3>Planet {props.planet.name}</h3>
      <div class="row">
        <label class="sr-only" for={`planet-name-${props.planet.id}`}>
          Planet name
        </label>
        <input id={`planet-name-${props.planet.id}`} type="text" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        <label class="sr-only" for={`planet-type-${props.planet.id}`}>
          Planet type
        </label>
        <select id={`planet-type-${props.planet.id}`} value={type()} onChange={(e) => setType(e.currentTarget.value)}>
          <For each={Object.entries(PLANET_TYPES)}>{([value, label]) => <option value={value}>{label}</option>}</For>
        </select>
        <button
          type="button"
          class="secondary"
          disabled={!props.mayEdit || Object.keys(body()).length === 0 || name().trim().length === 0}
          onClick={() => props.ask({ kind: 'planet', title: `Edit planet ${props.planet.name}`, planetId: props.planet.id, body: body() })}
        >
          Save planet
        </button>
      </div>
    </div>
  );
}
