import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { ApiError, newActionKey, type EquipmentOffer, type HullOffer, type Player, type Ship, type Shipyard } from '../../../../client/index.js';
import { count, credits } from '../../format.js';
import { useFlight } from '../../flight.js';
import { Loading, Problem } from '../common/Status.js';

const ITEM_NAMES: Record<EquipmentOffer['item'], string> = {
  holds: 'Cargo holds',
  fighters: 'Fighters',
  shields: 'Shield points',
  mines: 'Armid mines',
  genesis_torpedoes: 'Genesis torpedoes',
};

const BLOCKED: Record<NonNullable<HullOffer['blocked_by']>, string> = {
  same_hull: 'Your hull',
  cargo_would_not_fit: 'Cargo would not fit',
  insufficient_credits: 'Not enough credits',
};

/** What the shipyard API needs here: read the offers, buy a hull or hardware. */
export type ShipyardApi = {
  get(): Promise<Shipyard>;
  buyHull(body: { hull: HullOffer['id'] }, key: string): Promise<{ player: Player; ship: Ship }>;
  buyEquipment(body: { item: EquipmentOffer['item']; quantity: number }, key: string): Promise<{ player: Player; ship: Ship }>;
};

/** The Stardock's shipyard: hulls compared with your trade-in, and hardware with the most you can buy. */
export function StardockScreen() {
  const { api, cockpit, navigation } = useFlight();
  return <StardockView shipyard={api.shipyard} onBought={(crew) => cockpit.applyCrew(crew)} onLeave={() => navigation.go('cockpit')} />;
}

export function StardockView(props: { shipyard: ShipyardApi; onBought(crew: { player: Player; ship: Ship }): void; onLeave(): void }) {
  const [yard, { refetch }] = createResource(() => props.shipyard.get());
  const [busy, setBusy] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [confirming, setConfirming] = createSignal<HullOffer['id'] | null>(null);
  const [quantities, setQuantities] = createStore<Partial<Record<EquipmentOffer['item'], number>>>({});

  async function run(what: string, work: () => Promise<{ player: Player; ship: Ship }>, done: string) {
    setBusy(what);
    setError(null);
    setNotice(null);
    try {
      const crew = await work();
      props.onBought(crew);
      setNotice(done);
      await refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
      setConfirming(null);
    }
  }

  const buyHull = (hull: HullOffer) =>
    run(`hull:${hull.id}`, () => props.shipyard.buyHull({ hull: hull.id }, newActionKey()), `Your new ${hull.name} is ready.`);

  const buyEquipment = (offer: EquipmentOffer) => {
    const quantity = quantities[offer.item] ?? 1;
    return run(
      `item:${offer.item}`,
      () => props.shipyard.buyEquipment({ item: offer.item, quantity }, newActionKey()),
      `Bought ${count(quantity)} ${ITEM_NAMES[offer.item].toLowerCase()}.`,
    );
  };

  const notHere = () => yard.error instanceof ApiError && yard.error.code === 'no_stardock';
  // While a purchase runs and the offers reload after it, what they say (Max above all) is stale.
  const settling = () => busy() !== null || yard.loading;

  return (
    <section class="panel stardock" aria-labelledby="stardock-title">
      <header class="panel-head">
        <h2 id="stardock-title">
          <span class="eyebrow">Stardock</span> Shipyard
        </h2>
        <button type="button" class="link" onClick={() => props.onLeave()}>
          Back to the cockpit
        </button>
      </header>
      <Switch>
        <Match when={notHere()}>
          <div class="problem" role="alert">
            <p>The shipyard is at the Stardock, a class 9 port in FedSpace (sectors 1–10). Fly there, then open it from the port panel.</p>
            <button type="button" onClick={() => props.onLeave()}>
              Back to the cockpit
            </button>
          </div>
        </Match>
        <Match when={yard.error}>
          <Problem error={yard.error} retry={() => void refetch()} />
        </Match>
        <Match when={!yard()}>
          <Loading what="Docking…" />
        </Match>
        <Match when={yard()}>
          {(y) => (
            <>
              <p class="trade-in" data-testid="trade-in">
                Your {y().ship.hull_name} trades in for <strong>{credits(y().trade_in_value)}</strong> (half its list price). You have{' '}
                <strong>{credits(y().player.credits)}</strong>.
              </p>
              <Show when={notice()}>
                <p class="notice" role="status">
                  {notice()}
                </p>
              </Show>
              <Show when={error()}>
                <Problem error={error()} />
              </Show>

              <h3>Hulls</h3>
              <div class="table-scroll" tabindex="0" role="region" aria-label="Hulls, scrollable">
                <table class="market hulls" aria-label="Hulls">
                  <thead>
                    <tr>
                      <th scope="col">Hull</th>
                      <th scope="col" class="num">
                        Price
                      </th>
                      <th scope="col" class="num">
                        You pay
                      </th>
                      <th scope="col" class="num">
                        Holds
                      </th>
                      <th scope="col" class="num">
                        Fighters
                      </th>
                      <th scope="col" class="num">
                        Shields
                      </th>
                      <th scope="col" class="num">
                        Turns/warp
                      </th>
                      <th scope="col">Carries over</th>
                      <th scope="col">
                        <span class="sr-only">Buy</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={y().hulls}>
                      {(hull) => (
                        <tr classList={{ chosen: hull.blocked_by === 'same_hull' }}>
                          <th scope="row">{hull.name}</th>
                          <td class="num">{credits(hull.price)}</td>
                          <td class="num">{hull.net_cost >= 0 ? credits(hull.net_cost) : `you get ${credits(-hull.net_cost)}`}</td>
                          <td class="num">
                            {count(hull.holds)} <span class="muted">/ {count(hull.max_holds)}</span>
                          </td>
                          <td class="num">{count(hull.max_fighters)}</td>
                          <td class="num">{count(hull.max_shields)}</td>
                          <td class="num">{hull.turns_per_warp}</td>
                          <td>
                            {hull.carry_over.cargo_fits ? 'cargo' : 'cargo does not fit'} · {count(hull.carry_over.fighters)} fighters ·{' '}
                            {count(hull.carry_over.shields)} shields
                          </td>
                          <td>
                            <Show
                              when={hull.blocked_by === null}
                              fallback={<span class="muted">{BLOCKED[hull.blocked_by as NonNullable<HullOffer['blocked_by']>]}</span>}
                            >
                              <Show
                                when={confirming() === hull.id}
                                fallback={
                                  <button type="button" disabled={busy() !== null} onClick={() => setConfirming(hull.id)}>
                                    Buy {hull.name}
                                  </button>
                                }
                              >
                                <button type="button" class="primary" disabled={busy() !== null} onClick={() => void buyHull(hull)}>
                                  Confirm: {hull.net_cost >= 0 ? `pay ${credits(hull.net_cost)}` : `receive ${credits(-hull.net_cost)}`}
                                </button>
                                <button type="button" class="link" onClick={() => setConfirming(null)}>
                                  Cancel
                                </button>
                              </Show>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <p class="hint">Extra holds stay with the old hull; fighters and shields beyond the new hull's limits are left at the dock.</p>

              <h3>Hardware</h3>
              <div class="table-scroll" tabindex="0" role="region" aria-label="Hardware, scrollable">
                <table class="market equipment" aria-label="Hardware">
                  <thead>
                    <tr>
                      <th scope="col">Item</th>
                      <th scope="col" class="num">
                        Unit price
                      </th>
                      <th scope="col" class="num">
                        Aboard
                      </th>
                      <th scope="col">Quantity</th>
                      <th scope="col">
                        <span class="sr-only">Buy</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={y().equipment}>
                      {(offer) => (
                        <tr>
                          <th scope="row">{ITEM_NAMES[offer.item]}</th>
                          <td class="num">
                            {credits(offer.unit_price)}
                            <Show when={offer.item === 'holds'}>
                              <span class="muted"> · rises with each</span>
                            </Show>
                          </td>
                          <td class="num">
                            {count(offer.owned)} <span class="muted">/ {count(offer.capacity)}</span>
                          </td>
                          <td>
                            <input
                              type="number"
                              min="1"
                              max={Math.max(1, offer.max_quantity)}
                              aria-label={`Quantity of ${ITEM_NAMES[offer.item]}`}
                              value={quantities[offer.item] ?? 1}
                              disabled={offer.max_quantity === 0 || settling()}
                              onInput={(e) => setQuantities(offer.item, Math.max(1, Math.floor(Number(e.currentTarget.value) || 1)))}
                            />
                            <button
                              type="button"
                              class="link"
                              disabled={offer.max_quantity === 0 || settling()}
                              onClick={() => setQuantities(offer.item, offer.max_quantity)}
                              aria-label={`Max ${count(offer.max_quantity)} ${ITEM_NAMES[offer.item]}`}
                            >
                              Max {count(offer.max_quantity)}
                            </button>
                          </td>
                          <td>
                            <Show
                              when={offer.max_quantity > 0}
                              fallback={<span class="muted">{offer.owned >= offer.capacity ? 'Hull is full' : 'Not enough credits'}</span>}
                            >
                              <button
                                type="button"
                                disabled={busy() !== null}
                                onClick={() => void buyEquipment(offer)}
                                aria-label={`Buy ${ITEM_NAMES[offer.item]}`}
                              >
                                Buy
                              </button>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
