import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { RankingOrder } from '../../../../client/index.js';
import { count, credits } from '../../format.js';
import { useFlight } from '../../flight.js';
import { Loading, Problem } from '../common/Status.js';

const PER_PAGE = 25;

/** The leaderboard, by net worth or experience, a page at a time; or the planets board. */
export function RankingsScreen() {
  const { api, cockpit } = useFlight();
  const [by, setBy] = createSignal<RankingOrder>('networth');
  const [planets, setPlanets] = createSignal(false);
  const [page, setPage] = createSignal(1);
  const [board, { refetch }] = createResource(
    () => ({ by: by(), page: page() }),
    (query) => api.rankings.list({ ...query, per_page: PER_PAGE }),
  );
  const pages = () => Math.max(1, Math.ceil((board.latest?.total ?? 0) / PER_PAGE));
  const me = () => cockpit.state.player?.name;

  return (
    <section class="panel rankings" aria-labelledby="rankings-title">
      <header class="panel-head">
        <h2 id="rankings-title">
          <span class="eyebrow">Rankings</span> Top pilots
        </h2>
        <div class="tabs" role="tablist" aria-label="Rank by">
          <button
            type="button"
            role="tab"
            aria-selected={!planets() && by() === 'networth'}
            onClick={() => {
              setPlanets(false);
              setBy('networth');
              setPage(1);
            }}
          >
            Net worth
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={!planets() && by() === 'experience'}
            onClick={() => {
              setPlanets(false);
              setBy('experience');
              setPage(1);
            }}
          >
            Experience
          </button>
          <button type="button" role="tab" aria-selected={planets()} onClick={() => setPlanets(true)}>
            Planets
          </button>
        </div>
      </header>
      <Switch>
        <Match when={planets()}>
          <PlanetBoard me={me()} />
        </Match>
        <Match when={board.error}>
          <Problem error={board.error} retry={() => void refetch()} />
        </Match>
        <Match when={!board.latest}>
          <Loading what="Counting fortunes…" />
        </Match>
        <Match when={board.latest}>
          {(latest) => (
            <>
              <table class="leaderboard" aria-busy={board.loading}>
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      #
                    </th>
                    <th scope="col">Pilot</th>
                    <th scope="col" class="rank-col">
                      Rank
                    </th>
                    <th scope="col" class="num">
                      Net worth
                    </th>
                    <th scope="col" class="num">
                      Experience
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For
                    each={latest().entries}
                    fallback={
                      <tr>
                        <td colSpan={5} class="muted">
                          No pilots yet.
                        </td>
                      </tr>
                    }
                  >
                    {(entry) => (
                      <tr classList={{ me: entry.name === me() }}>
                        <td class="num">{entry.position}</td>
                        <th scope="row">
                          {entry.name}
                          <span class="rank-under muted">{entry.rank}</span>
                        </th>
                        <td class="rank-col">{entry.rank}</td>
                        <td class="num">{credits(entry.net_worth)}</td>
                        <td class="num">{count(entry.experience)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <p class="muted as-of">
                Standings as of <time dateTime={latest().as_of}>{new Date(latest().as_of).toLocaleString()}</time>; they refresh every 15 minutes.
              </p>
              <Show when={pages() > 1}>
                <nav class="pager" aria-label="Pages">
                  <button type="button" disabled={page() <= 1} onClick={() => setPage((p) => p - 1)}>
                    ← Previous
                  </button>
                  <span>
                    Page {page()} of {pages()}
                  </span>
                  <button type="button" disabled={page() >= pages()} onClick={() => setPage((p) => p + 1)}>
                    Next →
                  </button>
                </nav>
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}

/** Pilots by planets owned, then colonists on them (live). */
function PlanetBoard(props: { me: string | undefined }) {
  const { api } = useFlight();
  const [board, { refetch }] = createResource(() => api.rankings.planets({ per_page: 100 }));
  return (
    <Switch>
      <Match when={board.error}>
        <Problem error={board.error} retry={() => void refetch()} />
      </Match>
      <Match when={!board.latest}>
        <Loading what="Counting colonies…" />
      </Match>
      <Match when={board.latest}>
        {(latest) => (
          <table class="leaderboard" aria-label="Planets leaderboard">
            <thead>
              <tr>
                <th scope="col" class="num">
                  #
                </th>
                <th scope="col">Pilot</th>
                <th scope="col" class="num">
                  Planets
                </th>
                <th scope="col" class="num">
                  Colonists
                </th>
                <th scope="col" class="num">
                  Top citadel
                </th>
              </tr>
            </thead>
            <tbody>
              <For
                each={latest().entries}
                fallback={
                  <tr>
                    <td colSpan={5} class="muted">
                      Nobody owns a planet yet.
                    </td>
                  </tr>
                }
              >
                {(entry) => (
                  <tr classList={{ me: entry.name === props.me }}>
                    <td class="num">{entry.position}</td>
                    <th scope="row">{entry.name}</th>
                    <td class="num">{count(entry.planets)}</td>
                    <td class="num">{count(entry.colonists)}</td>
                    <td class="num">{entry.top_citadel}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        )}
      </Match>
    </Switch>
  );
}
