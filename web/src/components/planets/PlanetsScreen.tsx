import { createEffect, createMemo, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { newActionKey, type Planet, type PlanetType, type Player, type Ship } from '../../../../client/index.js';
import { count, countdown, credits } from '../../format.js';
import { useFlight } from '../../flight.js';
import { Loading, Problem } from '../common/Status.js';

const TYPE_NAMES: Record<PlanetType, string> = {
  earthlike: 'Earth-like',
  oceanic: 'Oceanic',
  desert: 'Desert',
  volcanic: 'Volcanic',
  glacial: 'Glacial',
  gaseous: 'Gaseous',
};
const PRODUCTS = [
  { key: 'fuel_ore', label: 'Fuel Ore' },
  { key: 'organics', label: 'Organics' },
  { key: 'equipment', label: 'Equipment' },
  { key: 'fighters', label: 'Fighters' },
] as const;
type Product = (typeof PRODUCTS)[number]['key'];
const GOODS = [
  { key: 'ore', label: 'Fuel Ore' },
  { key: 'organics', label: 'Organics' },
  { key: 'equipment', label: 'Equipment' },
] as const;
type Good = (typeof GOODS)[number]['key'];
const MAX_PLANETS_PER_SECTOR = 3;

type Crewed = { player: Player; ship: Ship };

/**
 * Planets: the genesis dialog (a torpedo makes a planet here), your colonies, and the planet
 * screen of one: population and the colonist ferry from Earth Station, allocation sliders with
 * production per day, stock to load and sell, fighters and shields, the citadel and its build.
 */
export function PlanetsScreen() {
  const { api, cockpit, navigation } = useFlight();
  const [mine, { refetch, mutate }] = createResource(() => api.planets.list());
  const [selected, setSelected] = createSignal<number | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [genesisOpen, setGenesisOpen] = createSignal(false);
  const [name, setName] = createSignal('');
  const [type, setType] = createSignal<PlanetType | ''>('');

  const player = () => cockpit.state.player;
  const ship = () => cockpit.state.ship;
  const sector = () => cockpit.state.sector;
  const planets = () => mine()?.planets ?? [];
  const current = createMemo(() => planets().find((p) => p.id === selected()) ?? null);
  // Open the planet you are landed on, else the first of yours in this sector, else your first.
  createEffect(() => {
    if (selected() !== null || planets().length === 0) return;
    const landed = player()?.landed_planet_id;
    const here = planets().find((p) => p.id === landed) ?? planets().find((p) => p.sector_id === player()?.sector_id) ?? planets()[0]!;
    setSelected(here.id);
  });

  function replace(planet: Planet) {
    mutate((list) => (list ? { planets: list.planets.map((p) => (p.id === planet.id ? planet : p)) } : list));
  }

  async function act(what: string, work: () => Promise<Crewed & { planet: Planet }>, done: string) {
    setBusy(what);
    setError(null);
    setNotice(null);
    try {
      const result = await work();
      cockpit.applyCrew(result);
      replace(result.planet);
      setNotice(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  const genesisBlocked = (): string | null => {
    const s = sector();
    if (!ship() || !s) return 'Loading…';
    if ((ship()!.genesis_torpedoes ?? 0) < 1) return 'You have no genesis torpedo: the Stardock sells them.';
    if (s.fedspace) return 'FedSpace is kept clear of colonies: fly out past sector 10.';
    if (s.planets.length >= MAX_PLANETS_PER_SECTOR) return 'This sector already has 3 planets.';
    return null;
  };

  async function fireGenesis(event: Event) {
    event.preventDefault();
    setBusy('genesis');
    setError(null);
    setNotice(null);
    try {
      const result = await api.planets.genesis({ name: name().trim(), ...(type() ? { type: type() as PlanetType } : {}) }, newActionKey());
      cockpit.applyCrew(result);
      await refetch();
      setSelected(result.planet.id);
      setGenesisOpen(false);
      setName('');
      setNotice(`${result.genesis.name} is yours: a ${TYPE_NAMES[result.genesis.type]} planet in sector ${result.genesis.sector_id}.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section class="panel planets" aria-labelledby="planets-title">
      <header class="panel-head">
        <h2 id="planets-title">
          <span class="eyebrow">Colonies</span> Planets
        </h2>
        <button type="button" class="link" onClick={() => navigation.go('cockpit')}>
          Back to the cockpit
        </button>
      </header>
      <Show when={notice()}>
        <p class="notice" role="status">
          {notice()}
        </p>
      </Show>
      <Show when={error()}>
        <Problem error={error()} />
      </Show>

      <div class="planets-here">
        <h3>In sector {sector()?.id ?? '…'}</h3>
        <Show when={(sector()?.planets.length ?? 0) > 0} fallback={<p class="muted">No planets here.</p>}>
          <ul class="plain" aria-label="Planets in this sector">
            <For each={sector()?.planets ?? []}>
              {(p) => (
                <li>
                  <Show when={p.yours} fallback={<span>{p.name}</span>}>
                    <button type="button" class="link" onClick={() => setSelected(p.id)}>
                      {p.name}
                    </button>
                  </Show>{' '}
                  <span class="muted">
                    · {TYPE_NAMES[p.type as PlanetType] ?? p.type} ·{' '}
                    {p.yours ? 'yours' : p.owner ? `owned by ${p.owner}` : p.claimable ? 'unclaimed' : 'Federation'} · citadel {p.citadel_level}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show
          when={genesisOpen()}
          fallback={
            <p>
              <button type="button" disabled={genesisBlocked() !== null} onClick={() => setGenesisOpen(true)}>
                Fire a genesis torpedo
              </button>{' '}
              <Show when={genesisBlocked()}>
                <span class="hint">{genesisBlocked()}</span>
              </Show>
            </p>
          }
        >
          <form class="genesis" role="dialog" aria-label="Genesis torpedo" onSubmit={(e) => void fireGenesis(e)}>
            <p>A genesis torpedo makes a planet, yours, in sector {sector()?.id}. Its type sets what it produces best.</p>
            <label>
              Planet name
              <input value={name()} maxLength={40} required onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <label>
              Type
              <select value={type()} onChange={(e) => setType(e.currentTarget.value as PlanetType | '')}>
                <option value="">Let the torpedo decide</option>
                <For each={Object.entries(TYPE_NAMES)}>{([id, label]) => <option value={id}>{label}</option>}</For>
              </select>
            </label>
            <p>
              <button type="submit" disabled={busy() === 'genesis' || name().trim() === ''}>
                Create planet
              </button>{' '}
              <button type="button" class="link" onClick={() => setGenesisOpen(false)}>
                Cancel
              </button>
            </p>
          </form>
        </Show>
      </div>

      <h3>Your planets</h3>
      <Show when={!mine.error} fallback={<Problem error={mine.error} retry={() => void refetch()} />}>
        <Show when={mine()} fallback={<Loading what="Reading your colonies…" />}>
          <Show when={planets().length > 0} fallback={<p class="muted">None yet. Buy a genesis torpedo at the Stardock and fire it outside FedSpace.</p>}>
            <ul class="plain planet-list" aria-label="Your planets">
              <For each={planets()}>
                {(p) => (
                  <li aria-current={p.id === selected() ? 'true' : undefined}>
                    <button type="button" class="link" onClick={() => setSelected(p.id)}>
                      {p.name}
                    </button>{' '}
                    <span class="muted">
                      · sector {p.sector_id} · {count(p.colonists)} colonists · citadel {p.citadel_level}
                    </span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </Show>

      <Show when={current()}>
        {(planet) => (
          <PlanetPanel
            planet={planet()}
            player={player()}
            ship={ship()}
            busy={busy()}
            onRefresh={async () => {
              const fresh = await api.planets.get(planet().id);
              if ('colonists' in fresh) replace(fresh as Planet);
            }}
            act={act}
            api={api}
          />
        )}
      </Show>
    </section>
  );
}

function PlanetPanel(props: {
  planet: Planet;
  player: Player | null | undefined;
  ship: Ship | null | undefined;
  busy: string | null;
  onRefresh(): Promise<void>;
  act(what: string, work: () => Promise<Crewed & { planet: Planet }>, done: string): Promise<void>;
  api: ReturnType<typeof useFlight>['api'];
}) {
  const p = () => props.planet;
  const here = () => props.player?.sector_id === p().sector_id;
  const landed = () => props.player?.landed_planet_id === p().id;
  const [alloc, setAlloc] = createSignal<Record<Product, number>>({ ...p().allocation });
  const [colonists, setColonists] = createSignal(1);
  const [good, setGood] = createSignal<Good>('ore');
  const [quantity, setQuantity] = createSignal(1);
  const [fighters, setFighters] = createSignal(1);
  const [tick, setTick] = createSignal(Date.now());
  const [readAt, setReadAt] = createSignal(Date.now());
  // Sliders follow the planet when another planet is opened or the server answers.
  createEffect(() => {
    setAlloc({ ...p().allocation });
    setReadAt(Date.now());
  });
  const timer = setInterval(() => setTick(Date.now()), 1_000);
  onCleanup(() => clearInterval(timer));
  // Re-read when production or a build is due, so stock and the citadel move without a reload.
  createEffect(() => {
    const due = Math.min(p().next_production_in_ms, p().citadel.ms_left ?? Number.POSITIVE_INFINITY);
    if (tick() - readAt() >= due + 250) {
      setReadAt(Date.now());
      void props.onRefresh().catch(() => {});
    }
  });
  const total = () => PRODUCTS.reduce((sum, x) => sum + alloc()[x.key], 0);
  const carried = () => props.ship?.cargo.colonists ?? 0;
  const key = () => newActionKey();
  const api = props.api.planets;

  return (
    <article class="planet" aria-label={`Planet ${p().name}`}>
      <h3>
        {p().name}{' '}
        <span class="muted">
          · {TYPE_NAMES[p().type]} · sector {p().sector_id}
        </span>
      </h3>
      <Show
        when={here()}
        fallback={
          <p class="hint" role="note">
            {p().name} is in sector {p().sector_id}. Fly there to land.
          </p>
        }
      >
        <p>
          <Show
            when={landed()}
            fallback={
              <button
                type="button"
                disabled={props.busy !== null}
                onClick={() => void props.act('land', () => api.land(p().id, key()), `Landed on ${p().name}.`)}
              >
                Land on {p().name} (1 turn)
              </button>
            }
          >
            <span class="badge" data-testid="landed">
              Landed
            </span>{' '}
            <button
              type="button"
              disabled={props.busy !== null}
              onClick={() => void props.act('leave', () => api.leave(p().id, key()), `Took off from ${p().name}.`)}
            >
              Take off (1 turn)
            </button>
          </Show>
        </p>
      </Show>

      <div class="planet-grid">
        <section aria-label="Population">
          <h4>Population</h4>
          <p data-testid="population">
            {count(p().colonists)} / {count(p().population_cap)} colonists
          </p>
          <Show when={landed()} fallback={<p class="hint">Colonists come from Earth Station in sector 1 (one hold each). You carry {count(carried())}.</p>}>
            <p class="hint">You carry {count(carried())} colonists. Buy more at Earth Station in sector 1.</p>
            <label>
              Colonists
              <input type="number" min="1" value={colonists()} onInput={(e) => setColonists(Math.max(1, Number(e.currentTarget.value) || 1))} />
            </label>{' '}
            <button
              type="button"
              disabled={props.busy !== null || carried() === 0}
              onClick={() => {
                const n = carried();
                void props.act('drop', () => api.colonists(p().id, { action: 'drop', quantity: n }, key()), `Dropped ${count(n)} colonists.`);
              }}
            >
              Drop all {count(carried())}
            </button>{' '}
            <button
              type="button"
              disabled={props.busy !== null}
              onClick={() =>
                void props.act(
                  'drop',
                  () => api.colonists(p().id, { action: 'drop', quantity: colonists() }, key()),
                  `Dropped ${count(colonists())} colonists.`,
                )
              }
            >
              Drop
            </button>{' '}
            <button
              type="button"
              disabled={props.busy !== null}
              onClick={() =>
                void props.act('load', () => api.colonists(p().id, { action: 'load', quantity: colonists() }, key()), `Loaded ${count(colonists())} colonists.`)
              }
            >
              Load
            </button>
          </Show>
        </section>

        <section aria-label="Allocation">
          <h4>Allocation</h4>
          <For each={PRODUCTS}>
            {(product) => (
              <label class="slider">
                <span>
                  {product.label}: {alloc()[product.key]}%
                </span>
                <input
                  type="range"
                  min="0"
                  max="100"
                  step="5"
                  aria-label={`${product.label} %`}
                  value={alloc()[product.key]}
                  disabled={!landed()}
                  onInput={(e) => setAlloc({ ...alloc(), [product.key]: Number(e.currentTarget.value) })}
                />
              </label>
            )}
          </For>
          <p classList={{ problem: total() > 100 }}>{total() > 100 ? `That is ${total()}%: at most 100%` : `Idle: ${100 - total()}%`}</p>
          <Show when={landed()} fallback={<p class="hint">Land to set how the colonists work.</p>}>
            <button
              type="button"
              disabled={props.busy !== null || total() > 100}
              onClick={() => void props.act('allocate', () => api.allocation(p().id, { ...alloc() }, key()), 'Allocation saved.')}
            >
              Save allocation
            </button>
          </Show>
        </section>

        <section aria-label="Production per day">
          <h4>Production per game day</h4>
          <table class="market">
            <tbody>
              <For each={PRODUCTS}>
                {(product) => (
                  <tr>
                    <th scope="row">{product.label}</th>
                    <td data-testid={`production-${product.key}`}>{count(p().production_per_day[product.key])}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <p class="muted">Next day counted in {countdown(Math.max(0, p().next_production_in_ms - (tick() - readAt())))}</p>
        </section>

        <section aria-label="Stock">
          <h4>Stock (up to {count(p().storage_cap)} each)</h4>
          <table class="market">
            <tbody>
              <For each={GOODS}>
                {(g) => (
                  <tr>
                    <th scope="row">{g.label}</th>
                    <td data-testid={`stock-${g.key}`}>{count(p().stock[g.key])}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <Show when={landed()}>
            <label>
              Good
              <select value={good()} onChange={(e) => setGood(e.currentTarget.value as Good)}>
                <For each={GOODS}>{(g) => <option value={g.key}>{g.label}</option>}</For>
              </select>
            </label>{' '}
            <label>
              Units
              <input type="number" min="1" value={quantity()} onInput={(e) => setQuantity(Math.max(1, Number(e.currentTarget.value) || 1))} />
            </label>{' '}
            <button
              type="button"
              disabled={props.busy !== null}
              onClick={() =>
                void props.act(
                  'cargo',
                  () => api.cargo(p().id, { action: 'load', good: good(), quantity: quantity() }, key()),
                  `Loaded ${count(quantity())} into your holds.`,
                )
              }
            >
              Load into holds
            </button>{' '}
            <button
              type="button"
              disabled={props.busy !== null}
              onClick={() =>
                void props.act(
                  'cargo',
                  () => api.cargo(p().id, { action: 'unload', good: good(), quantity: quantity() }, key()),
                  `Unloaded ${count(quantity())}.`,
                )
              }
            >
              Unload
            </button>{' '}
            <button
              type="button"
              disabled={props.busy !== null || !props.ship}
              onClick={() => {
                const n = Math.min(p().stock[good()], props.ship?.holds_free ?? 0);
                if (n > 0)
                  void props.act('cargo', () => api.cargo(p().id, { action: 'load', good: good(), quantity: n }, key()), `Loaded ${count(n)} into your holds.`);
              }}
            >
              Load all that fits
            </button>
          </Show>
        </section>

        <section aria-label="Defense">
          <h4>Defense</h4>
          <p>
            {count(p().fighters)} fighters (up to {count(p().fighters_cap)}) · {count(p().shields)} shields
          </p>
          <Show when={landed()}>
            <label>
              Fighters
              <input type="number" min="1" value={fighters()} onInput={(e) => setFighters(Math.max(1, Number(e.currentTarget.value) || 1))} />
            </label>{' '}
            <button
              type="button"
              disabled={props.busy !== null}
              onClick={() =>
                void props.act(
                  'fighters',
                  () => api.fighters(p().id, { action: 'deposit', quantity: fighters() }, key()),
                  `Stationed ${count(fighters())} fighters.`,
                )
              }
            >
              Station
            </button>{' '}
            <button
              type="button"
              disabled={props.busy !== null}
              onClick={() =>
                void props.act(
                  'fighters',
                  () => api.fighters(p().id, { action: 'withdraw', quantity: fighters() }, key()),
                  `Took ${count(fighters())} fighters aboard.`,
                )
              }
            >
              Take aboard
            </button>
          </Show>
        </section>

        <section aria-label="Citadel">
          <h4>Citadel level {p().citadel.level}</h4>
          <Show when={p().citadel.building_level}>
            {(level) => (
              <p data-testid="citadel-build">
                Building level {level()}: {countdown(Math.max(0, (p().citadel.ms_left ?? 0) - (tick() - readAt())))} left
              </p>
            )}
          </Show>
          <Show when={p().citadel.next} fallback={<p class="muted">The citadel is complete.</p>}>
            {(next) => (
              <>
                <p class="muted">
                  Level {next().level}: {credits(next().credits)} and {count(next().goods.ore)} ore, {count(next().goods.organics)} organics,{' '}
                  {count(next().goods.equipment)} equipment from planet stock; {next().build_hours} game hours. Raises the population cap to{' '}
                  {count(next().population_cap)}, storage to {count(next().storage_cap)}, shields to {count(next().shields)}.
                </p>
                <Show when={landed() && !p().citadel.building_level}>
                  <button
                    type="button"
                    disabled={props.busy !== null}
                    onClick={() => void props.act('citadel', () => api.citadel(p().id, key()), `Building citadel level ${next().level}.`)}
                  >
                    Build level {next().level}
                  </button>
                </Show>
              </>
            )}
          </Show>
        </section>
      </div>
    </article>
  );
}
