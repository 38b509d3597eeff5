import { For } from 'solid-js';
import { FEATURES } from '../../features.js';
import { useFlight } from '../../flight.js';
import { describeClassCode } from '../../format.js';

const CLASSES = ['BBS', 'BSB', 'SBB', 'SSB', 'SBS', 'BSS', 'SSS', 'BBB'];

const KEYS: Array<[string, string]> = [
  ['1–9', 'fly the numbered warp (cockpit and map)'],
  ['C', 'cockpit'],
  ['M', 'map'],
  ['K', "ship's computer: trade routes and the port report"],
  ['R', 'rankings'],
  ['T', 'your team: members, invitations, treasury'],
  ['I', 'mail: inbox, sent, compose'],
  ['? or H', 'this help'],
  ['A', 'account: sign-in providers, password, tokens for bots'],
  ['/', 'type in comms (cockpit)'],
  ['Esc', 'leave a field: the keys fly again'],
  ['Arrows, + −, Home', 'pan, zoom and recentre the map (when it has focus)'],
  ['Tab, Enter', 'move between and press any button or map sector'],
];

/** How to play: the keys, turns, port classes, the Stardock, and the first-flight guide again. */
export function HelpScreen() {
  const { guide } = useFlight();
  return (
    <section class="panel help" aria-labelledby="help-title">
      <header class="panel-head">
        <h2 id="help-title">
          <span class="eyebrow">Help</span> Flying SectorWars
        </h2>
        <button type="button" onClick={() => guide.restart()}>
          Show the first-flight guide
        </button>
      </header>

      <div class="help-grid">
        <section aria-labelledby="help-keys">
          <h3 id="help-keys">Keys</h3>
          <dl class="key-list">
            <For each={KEYS}>
              {([keys, does]) => (
                <div>
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{does}</dd>
                </div>
              )}
            </For>
          </dl>
          <p>On a touch screen every key has a button: the warp pad, the tabs along the bottom, the map's zoom buttons.</p>
        </section>

        <section aria-labelledby="help-trade">
          <h3 id="help-trade">Trading</h3>
          <p>
            Buy a good where a port <b>sells</b> it and carry it to a port that <b>buys</b> it. Prices follow stock: a full seller is cheap, an empty buyer pays
            well, and every unit you trade moves the price a little, so a whole hold costs more per unit than the first one. Markets remember: a pair you work
            hard pays less for a day or two, then recovers.
          </p>
          <p>
            The ship's computer (<kbd>K</kbd>) remembers every port you have seen, with the prices of your last visit, and ranks the pairs you know by credits
            per turn, with <b>Plot</b> and <b>Autopilot</b> to fly there.
          </p>
        </section>

        <section aria-labelledby="help-turns">
          <h3 id="help-turns">Turns</h3>
          <p>
            Everything costs turns: a warp costs your hull's turns per warp (a Light Freighter 2), a trade 1. Your pool refills continuously, a full pool a day;
            the top bar shows when the next turn comes. Autopilot stops when turns run out.
          </p>
        </section>

        <section aria-labelledby="help-classes">
          <h3 id="help-classes">Port classes</h3>
          <p>
            A class code has a letter for each good in order, Fuel Ore, Organics, Equipment: B the port buys it (sell it there), S it sells it (buy it there).
          </p>
          <table class="market compact class-table">
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">Code</th>
                <th scope="col">Trades</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">0</th>
                <td>Earth</td>
                <td>Earth Station, sector 1: sells every good at its base price, buys nothing{FEATURES.colonization ? ', and colonists' : ''}</td>
              </tr>
              <For each={CLASSES}>
                {(code, i) => (
                  <tr>
                    <th scope="row">{i() + 1}</th>
                    <td>{code}</td>
                    <td>{describeClassCode(code)}</td>
                  </tr>
                )}
              </For>
              <tr>
                <th scope="row">9</th>
                <td>Dock</td>
                <td>The Stardock, in FedSpace: ships and hardware, no goods</td>
              </tr>
            </tbody>
          </table>
        </section>

        <section aria-labelledby="help-stardock">
          <h3 id="help-stardock">The Stardock and FedSpace</h3>
          <p>
            Sectors 1–10 are FedSpace: no combat there. The Stardock sits in one of them; its shipyard sells hulls (your old one trades in at half its price),
            extra holds (each dearer than the last), fighters, shields, mines and genesis torpedoes.
          </p>
        </section>

        <section aria-labelledby="help-combat">
          <h3 id="help-combat">Scanning and combat</h3>
          <p>
            Outside FedSpace, scan your sector or a neighbour (1 turn) to see ships, their fighters and shields in bands, and wrecks. Attack a pilot in your
            sector with the fighters you choose (3 turns): the fight runs in rounds, shields absorb hits before fighters, and a ship left with neither is
            destroyed. Its pilot ejects in an Escape Pod to the nearest FedSpace sector, keeping its credits; its cargo drifts as a wreck for a game day that
            anyone there can salvage. New pilots are protected for a while. Attacking good pilots costs alignment; attacking evil ones earns it.
          </p>
        </section>

        <section aria-labelledby="help-soon">
          <h3 id="help-soon">Not open yet</h3>
          <ul>
            <li>
              {FEATURES.colonization
                ? 'Colonists: buy them at Earth Station and settle them on planets.'
                : 'Planets and colonists: Earth Station lists colonists, but nothing uses them until planets open.'}
            </li>
            {FEATURES.teams ? null : <li>Teams: nobody can form one yet, so the Team channel in comms is silent.</li>}
          </ul>
        </section>
      </div>
    </section>
  );
}
