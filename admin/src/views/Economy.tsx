import { createMemo, createResource, createSignal, For, type JSX, Show } from 'solid-js';
import type { AdminCreditFlows, AdminNpcActivity, AdminTopEarners, Query } from '../../../client/index.js';
import { Chart } from '../components/Chart.js';
import { credits, FormError, statsText, when } from '../components/forms.js';
import { loaded } from '../components/resources.js';
import { describeProblem } from '../problems.js';
import { holds, type ViewProps } from '../sections.js';
import { flowFigures, type Period, periodWindow, priceFigures, supplyFigures } from './economy-figures.js';

type PriceQuery = Query<'/api/v1/admin/economy/prices/history', 'get'>;
const GOODS = ['ore', 'organics', 'equipment', 'colonists'] as const satisfies readonly PriceQuery['good'][];
const SIDES = { sell: 'what pilots pay', buy: 'what ports pay' } as const satisfies Record<NonNullable<PriceQuery['side']>, string>;
const unitPrice = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} cr`;
const signed = (n: number) => `${n > 0 ? '+' : ''}${n.toLocaleString('en-US')}`;

/**
 * The economy (issue 19), read from the ledger, the markets and the jobs: the money supply over
 * time, where credits come from and go to, each good's price with its band, who earns most, and
 * what the NPCs do. One period (two days by the hour, or a month by the day) for all of it.
 */
export function EconomyView(props: ViewProps) {
  const economy = props.api.admin.economy;
  const [period, setPeriod] = createSignal<Period>('hour');
  const [now, setNow] = createSignal(Date.now());
  const span = createMemo(() => periodWindow(period(), now()));
  const [supply] = createResource(
    () => ({ ...span(), bucket: period() }),
    (q) => economy.moneySupply(q),
  );
  const [flows] = createResource(span, (w) => economy.flows(w));
  const [earners] = createResource(span, (w) => economy.topEarners({ ...w, limit: 10 }));
  const [npcs] = createResource(span, (w) => economy.npcs(w));
  const [prices] = createResource(now, () => economy.prices());
  const [good, setGood] = createSignal<PriceQuery['good']>('ore');
  const [side, setSide] = createSignal<NonNullable<PriceQuery['side']>>('sell');
  const [history] = createResource(
    () => ({ ...span(), good: good(), side: side() }),
    (q) => economy.priceHistory(q),
  );
  const supplyChart = createMemo(() => {
    const m = loaded(supply);
    return m ? supplyFigures(m) : null;
  });
  const priceChart = createMemo(() => {
    const h = loaded(history);
    return h && h.points.length > 0 ? priceFigures(h) : null;
  });

  return (
    <section aria-labelledby="economy-title">
      <header class="view-head">
        <h1 id="economy-title">Economy</h1>
        <div class="row">
          <fieldset class="toggle">
            <legend class="sr-only">Period</legend>
            <For each={[['hour', 'Last 48 h, hourly'] as const, ['day', 'Last 30 days, daily'] as const]}>
              {([value, label]) => (
                <button type="button" class="secondary" aria-pressed={period() === value} onClick={() => setPeriod(value)}>
                  {label}
                </button>
              )}
            </For>
          </fieldset>
          <button type="button" class="secondary" onClick={() => setNow(Date.now())}>
            Refresh
          </button>
        </div>
      </header>
      <div class="panels">
        <Panel title="Money supply" span error={supply.error}>
          <Show when={supplyChart()}>
            {(figures) => (
              <>
                <Chart title="Credits in circulation" figures={figures()} format={credits} />
                <Show when={loaded(supply)}>
                  {(m) => (
                    <p class="muted small" data-testid="supply-summary">
                      {credits(m().opening_supply)} at {when(m().window.from)}; created {credits(m().buckets.reduce((n, b) => n + b.minted, 0))}, destroyed{' '}
                      {credits(m().buckets.reduce((n, b) => n + b.burned, 0))} in {m().buckets.reduce((n, b) => n + b.entries, 0)} ledger entries since.
                    </p>
                  )}
                </Show>
              </>
            )}
          </Show>
        </Panel>
        <Panel title="Credits by source and sink" span error={flows.error}>
          <Show when={loaded(flows)}>{(f) => <Flows flows={f()} />}</Show>
        </Panel>
        <Panel title="Prices" span error={history.error ?? prices.error}>
          <div class="row">
            <label for="price-good">Good</label>
            <select id="price-good" value={good()} onChange={(e) => setGood(e.currentTarget.value as PriceQuery['good'])}>
              <For each={GOODS}>{(g) => <option value={g}>{g}</option>}</For>
            </select>
            <label for="price-side">Side</label>
            <select id="price-side" value={side()} onChange={(e) => setSide(e.currentTarget.value as keyof typeof SIDES)}>
              <For each={Object.entries(SIDES)}>
                {([value, label]) => (
                  <option value={value}>
                    {value}: {label}
                  </option>
                )}
              </For>
            </select>
          </div>
          <Show
            when={priceChart()}
            fallback={
              <p class="muted">
                {history.loading ? 'Loading…' : `No price snapshots of ${good()} in this period yet: the economy-snapshots job takes one each hour.`}
              </p>
            }
          >
            {(figures) => <Chart title={`${good()} price (${side()}) with its band`} figures={figures()} format={unitPrice} />}
          </Show>
          <h3>Now, across the ports</h3>
          <table class="table" aria-label="Prices now">
            <thead>
              <tr>
                <th scope="col">Good</th>
                <th scope="col">Side</th>
                <th scope="col" class="num">
                  Ports
                </th>
                <th scope="col" class="num">
                  Lowest
                </th>
                <th scope="col" class="num">
                  Mean
                </th>
                <th scope="col" class="num">
                  Highest
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={loaded(prices)?.goods ?? []} fallback={<EmptyRow columns={6} text={prices.loading ? 'Loading…' : 'No port trades any good.'} />}>
                {(p) => (
                  <tr>
                    <td>{p.good}</td>
                    <td>{p.port_side}</td>
                    <td class="num">{p.ports}</td>
                    <td class="num">{unitPrice(p.min)}</td>
                    <td class="num">{unitPrice(p.mean)}</td>
                    <td class="num">{unitPrice(p.max)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Panel>
        <Panel title="Top earners" span error={earners.error}>
          <Show when={loaded(earners)}>{(e) => <TopEarners {...props} earners={e().earners} />}</Show>
        </Panel>
        <Panel title="NPC activity" span error={npcs.error}>
          <Show when={loaded(npcs)}>{(n) => <Npcs npcs={n()} />}</Show>
        </Panel>
      </div>
    </section>
  );
}

function Panel(props: { title: string; span?: boolean; error: unknown; children: JSX.Element }) {
  return (
    <section class="card" classList={{ span: props.span }} aria-label={props.title}>
      <h2>{props.title}</h2>
      <Show when={props.error}>
        <FormError message={describeProblem(props.error)} />
      </Show>
      {props.children}
    </section>
  );
}

const EmptyRow = (props: { columns: number; text: string }) => (
  <tr>
    <td colSpan={props.columns} class="muted">
      {props.text}
    </td>
  </tr>
);

function Flows(props: { flows: AdminCreditFlows }) {
  const figures = createMemo(() => flowFigures(props.flows));
  /** every reason once, with what it brought in and took out */
  const reasons = createMemo(() => {
    const byReason = new Map<string, { reason: string; credits_in: number; credits_out: number; entries: number }>();
    for (const f of [...props.flows.sources, ...props.flows.sinks]) byReason.set(f.reason, f);
    return [...byReason.values()].sort((a, b) => b.credits_in + b.credits_out - (a.credits_in + a.credits_out));
  });
  return (
    <>
      <div class="chart-pair">
        <Chart title="Sources: credits in by reason" figures={figures().sources} format={credits} height={200} />
        <Chart title="Sinks: credits out by reason" figures={figures().sinks} format={credits} height={200} />
      </div>
      <table class="table" aria-label="Credits by reason">
        <thead>
          <tr>
            <th scope="col">Reason</th>
            <th scope="col" class="num">
              In
            </th>
            <th scope="col" class="num">
              Out
            </th>
            <th scope="col" class="num">
              Entries
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={reasons()} fallback={<EmptyRow columns={4} text="No credits moved in this period." />}>
            {(f) => (
              <tr data-testid="flow-row">
                <td>
                  <code>{f.reason}</code>
                </td>
                <td class="num">{f.credits_in.toLocaleString('en-US')}</td>
                <td class="num">{f.credits_out.toLocaleString('en-US')}</td>
                <td class="num">{f.entries}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </>
  );
}

function TopEarners(props: ViewProps & { earners: AdminTopEarners['earners'] }) {
  return (
    <table class="table" aria-label="Top earners">
      <thead>
        <tr>
          <th scope="col">Pilot</th>
          <th scope="col" class="num">
            Net
          </th>
          <th scope="col" class="num">
            Earned
          </th>
          <th scope="col" class="num">
            Credits now
          </th>
        </tr>
      </thead>
      <tbody>
        <For each={props.earners} fallback={<EmptyRow columns={4} text="No pilot's credits moved in this period." />}>
          {(e) => (
            <tr data-testid="earner-row">
              <td>
                <Show when={holds(props.me, 'admin:read')} fallback={e.name}>
                  <a
                    href={`/admin/players/${e.user_id}`}
                    onClick={(ev) => {
                      ev.preventDefault();
                      props.router.go(`/players/${e.user_id}`);
                    }}
                  >
                    {e.name}
                  </a>
                </Show>
              </td>
              <td class="num">{signed(e.net)}</td>
              <td class="num">{e.earned.toLocaleString('en-US')}</td>
              <td class="num">{e.credits.toLocaleString('en-US')}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function Npcs(props: { npcs: AdminNpcActivity }) {
  return (
    <>
      <dl class="facts">
        <dt>Traders</dt>
        <dd data-testid="npc-traders">{props.npcs.traders}</dd>
        <dt>Pirates flying</dt>
        <dd>{props.npcs.pirates_alive}</dd>
        <dt>Pirates awaiting respawn</dt>
        <dd>{props.npcs.pirates_awaiting_respawn}</dd>
        <dt>Pirates destroyed</dt>
        <dd>{props.npcs.pirates_destroyed} in this period</dd>
      </dl>
      <h3>Their jobs' runs</h3>
      <table class="table" aria-label="NPC job runs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Window</th>
            <th scope="col">State</th>
            <th scope="col">What it did</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.npcs.runs} fallback={<EmptyRow columns={4} text="No runs in this period." />}>
            {(r) => (
              <tr classList={{ failed: r.status === 'failed' }}>
                <td>{r.job}</td>
                <td>{when(r.window_start)}</td>
                <td>{r.status}</td>
                <td class="small" classList={{ 'error-text': Boolean(r.error) }}>
                  {r.error ?? statsText(r.stats)}
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </>
  );
}
