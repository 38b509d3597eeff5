import { createMemo, Match, Show, Switch } from 'solid-js';
import { useFlight } from '../../flight.js';
import { CombatPanel, EscapePodBanner, WrecksPanel } from '../combat/CombatPanel.js';
import { DefensesPanel } from '../combat/DefensesPanel.js';
import { CommsPanel } from '../comms/CommsPanel.js';
import { Loading, Problem } from '../common/Status.js';
import { TradePanel } from '../trade/TradePanel.js';
import { EventLog } from './EventLog.js';
import { FirstFlightGuide } from './FirstFlightGuide.js';
import { SectorPanel } from './SectorPanel.js';
import { ShipPanel } from './ShipPanel.js';

/** The main screen: the sector and its warps, the port's market, the ship, the log and comms. */
export function CockpitScreen(props: { chatInputRef: (el: HTMLInputElement) => void }) {
  const { api, cockpit, log, comms, link, costs, navigation, people } = useFlight();
  const state = cockpit.state;
  const ready = createMemo(() => (state.player && state.ship && state.sector ? { player: state.player, ship: state.ship, sector: state.sector } : null));

  return (
    <Switch>
      <Match when={!ready() && state.error}>
        <Problem error={state.error} retry={() => void cockpit.load()} />
      </Match>
      <Match when={!ready()}>
        <Loading what="Powering up the cockpit…" />
      </Match>
      <Match when={ready()}>
        {(deck) => (
          <>
            <FirstFlightGuide />
            <Show when={deck().ship.escape_pod}>
              <EscapePodBanner
                api={api}
                player={deck().player}
                sector={deck().sector}
                {...(deck().sector.port?.class === 9 ? { onStardock: () => navigation.go('stardock') } : {})}
              />
            </Show>
            <div class="cockpit">
              <div class="col col-sector">
                <SectorPanel
                  sector={deck().sector}
                  online={
                    new Set(
                      deck()
                        .sector.players.filter((p) => p.online)
                        .map((p) => p.name),
                    )
                  }
                  warpingTo={state.warpingTo}
                  error={state.warpError}
                  onWarp={(to, toll) => void cockpit.warp(to, toll)}
                  onPlanets={() => navigation.go('planets')}
                />
                <WrecksPanel api={api} sector={deck().sector} ship={deck().ship} onCrew={(crew) => cockpit.applyCrew(crew)} />
                <CombatPanel api={api} sector={deck().sector} ship={deck().ship} player={deck().player} onCrew={(crew) => cockpit.applyCrew(crew)} />
                <DefensesPanel api={api} sector={deck().sector} ship={deck().ship} onCrew={(crew) => cockpit.applyCrew(crew)} />
              </div>
              <div class="col col-port">
                <Show
                  when={deck().sector.port}
                  fallback={
                    <section class="panel trade empty" aria-label="Port">
                      <h2>
                        <span class="eyebrow">Port</span> none here
                      </h2>
                      <p class="hint">Warp on to find one. The map marks every port you have seen with its class.</p>
                    </section>
                  }
                >
                  {(port) => (
                    <TradePanel
                      port={port()}
                      player={deck().player}
                      ship={deck().ship}
                      api={api}
                      costs={costs}
                      departing={state.warpingTo !== null}
                      onTraded={(result) => cockpit.applyTrade(result)}
                      {...(port().class === 9 ? { onOpenStardock: () => navigation.go('stardock') } : {})}
                    />
                  )}
                </Show>
              </div>
              <div class="col col-ship">
                <ShipPanel ship={deck().ship} />
                <EventLog entries={log.entries} />
                <CommsPanel
                  comms={comms}
                  live={link.state().status === 'live'}
                  inputRef={props.chatInputRef}
                  actions={{
                    block: (name) => people.block(name),
                    report: async (id, reason) => void (await api.reports.create({ kind: 'chat', id, reason })),
                  }}
                />
              </div>
            </div>
          </>
        )}
      </Match>
    </Switch>
  );
}
