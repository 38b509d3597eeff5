import { createResource, createSignal, For, Show } from 'solid-js';
import type { AdminAuditEntry } from '../../../client/index.js';
import { FormError, when } from '../components/forms.js';
import { refreshWhileVisible } from '../components/refresh.js';
import { TotpPrompt } from '../components/TotpPrompt.js';
import { loaded } from '../components/resources.js';
import { describeProblem } from '../problems.js';
import { holds, type ViewProps } from '../sections.js';

/** how often who is online and where things happen are asked again while the view is on screen */
export const LIVE_REFRESH_MS = 10_000;
const SPANS = [
  [15, 'last 15 minutes'],
  [60, 'last hour'],
  [24 * 60, 'last 24 hours'],
] as const;
const BROADCAST_MAX = 500;

/**
 * Live operations (issue 19): the pilots online and where they are, the busiest sectors lately,
 * and a system broadcast to everyone (with `admin:moderation`, a reason kept in the audit log).
 */
export function LiveOpsView(props: ViewProps) {
  const ops = props.api.admin.ops;
  const [online, { refetch: refetchOnline }] = createResource(() => ops.online());
  const [minutes, setMinutes] = createSignal<number>(60);
  const [activity, { refetch: refetchActivity }] = createResource(minutes, (m) => ops.activity({ minutes: m, limit: 20 }));
  const refresh = () => {
    void refetchOnline();
    void refetchActivity();
  };
  refreshWhileVisible(refresh, LIVE_REFRESH_MS);
  const goToPlayer = (id: string) => (e: MouseEvent) => {
    e.preventDefault();
    props.router.go(`/players/${id}`);
  };
  return (
    <section aria-labelledby="live-title">
      <header class="view-head">
        <h1 id="live-title">Live operations</h1>
        <button type="button" class="secondary" onClick={refresh}>
          Refresh
        </button>
      </header>
      <div class="panels wide">
        <section class="card" aria-labelledby="online-title">
          <h2 id="online-title">
            Players online: <span data-testid="online-count">{loaded(online)?.count ?? '…'}</span>
          </h2>
          <Show when={online.error}>
            <FormError message={describeProblem(online.error)} />
          </Show>
          <table class="table" aria-label="Pilots online">
            <thead>
              <tr>
                <th scope="col">Pilot</th>
                <th scope="col" class="num">
                  Sector
                </th>
              </tr>
            </thead>
            <tbody>
              <For
                each={loaded(online)?.pilots ?? []}
                fallback={
                  <tr>
                    <td colSpan={2} class="muted">
                      {online.loading ? 'Loading…' : 'Nobody is connected.'}
                    </td>
                  </tr>
                }
              >
                {(p) => (
                  <tr data-testid="online-row">
                    <td>
                      <a href={`/admin/players/${p.user_id}`} onClick={goToPlayer(p.user_id)}>
                        {p.name}
                      </a>
                    </td>
                    <td class="num">{p.sector_id ?? '—'}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <Show when={(loaded(online)?.count ?? 0) > (loaded(online)?.pilots.length ?? 0)}>
            <p class="muted small">Showing the first {loaded(online)!.pilots.length} by name.</p>
          </Show>
        </section>
        <section class="card" aria-labelledby="activity-title">
          <h2 id="activity-title">Busiest sectors</h2>
          <div class="row">
            <label for="activity-span">In the</label>
            <select id="activity-span" value={minutes()} onChange={(e) => setMinutes(Number(e.currentTarget.value))}>
              <For each={SPANS}>{([value, label]) => <option value={value}>{label}</option>}</For>
            </select>
          </div>
          <Show when={activity.error}>
            <FormError message={describeProblem(activity.error)} />
          </Show>
          <table class="table" aria-label="Activity per sector">
            <thead>
              <tr>
                <th scope="col">Sector</th>
                <th scope="col" class="num">
                  Arrivals
                </th>
                <th scope="col" class="num">
                  Trades
                </th>
                <th scope="col" class="num">
                  Combats
                </th>
              </tr>
            </thead>
            <tbody>
              <For
                each={loaded(activity)?.sectors ?? []}
                fallback={
                  <tr>
                    <td colSpan={4} class="muted">
                      {activity.loading ? 'Loading…' : 'Nothing happened in any sector.'}
                    </td>
                  </tr>
                }
              >
                {(s) => (
                  <tr data-testid="activity-row">
                    <th scope="row">{s.sector_id}</th>
                    <td class="num">{s.arrivals}</td>
                    <td class="num">{s.trades}</td>
                    <td class="num">{s.combats}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </section>
        <Show when={holds(props.me, 'admin:moderation')}>
          <Broadcast {...props} />
        </Show>
      </div>
    </section>
  );
}

/** A message to every pilot from Federation Command: typed here, confirmed with a reason in the prompt. */
function Broadcast(props: ViewProps) {
  const [message, setMessage] = createSignal('');
  const [confirming, setConfirming] = createSignal(false);
  const [sent, setSent] = createSignal<{ from: string; body: string; audit: AdminAuditEntry } | null>(null);
  const body = () => message().trim();
  return (
    <section class="card span" aria-labelledby="broadcast-title">
      <h2 id="broadcast-title">System broadcast</h2>
      <form
        noValidate
        aria-label="System broadcast"
        onSubmit={(e) => {
          e.preventDefault();
          if (body()) setConfirming(true);
        }}
      >
        <div class="field">
          <label for="broadcast-message">Message to every pilot</label>
          <textarea id="broadcast-message" rows={3} maxLength={BROADCAST_MAX} value={message()} onInput={(e) => setMessage(e.currentTarget.value)} />
          <p class="field-hint">
            Shown in every connected pilot's log as from Federation Command. {message().length}/{BROADCAST_MAX}
          </p>
        </div>
        <button type="submit" class="primary" disabled={!body()}>
          Send broadcast…
        </button>
      </form>
      <Show when={sent()}>
        {(s) => (
          <p class="notice" role="status" data-testid="broadcast-result">
            Sent as {s().from}: “{s().body}” — audit entry #{s().audit.id} at {when(s().audit.at)}.
          </p>
        )}
      </Show>
      <Show when={confirming()}>
        <TotpPrompt
          title="Broadcast to every pilot"
          confirm="Send broadcast"
          reason
          onCancel={() => setConfirming(false)}
          onConfirm={async ({ reason }) => {
            const answer = await props.api.admin.ops.broadcast({ body: body(), reason });
            setSent({ ...answer.after, audit: answer.audit });
            setMessage('');
            setConfirming(false);
          }}
        >
          <p class="quote">{body()}</p>
        </TotpPrompt>
      </Show>
    </section>
  );
}
