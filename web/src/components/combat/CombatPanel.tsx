import { createResource, createSignal, For, Show } from 'solid-js';
import {
  newActionKey,
  type ApiClient,
  type AttackResult,
  type CombatLog,
  type Player,
  type ScannedShip,
  type ScanResult,
  type Sector,
  type Ship,
} from '../../../../client/index.js';
import { count, GOOD_NAMES } from '../../format.js';
import { Problem } from '../common/Status.js';
import { CombatReport } from './CombatReport.js';

type CombatApi = { player: Pick<ApiClient['player'], 'scan'>; combat: Pick<ApiClient['combat'], 'attack' | 'logs' | 'salvage'> };

const band = (b: { min: number; max: number | null }) =>
  b.max === null ? `${count(b.min)}+` : b.min === b.max ? count(b.min) : `${count(b.min)}–${count(b.max)}`;

/** Why a scanned ship cannot be attacked from here, or null. */
function blockedReason(target: ScannedShip, sector: Sector, ship: Ship): string | null {
  if (sector.fedspace) return 'FedSpace: no combat';
  if (target.escape_pod) return 'Escape Pod: cannot be attacked';
  if (target.protected) return 'New pilot: under protection';
  if (ship.fighters === 0) return 'You have no fighters';
  return null;
}

/**
 * Scanner and weapons: scan this or a neighbouring sector (1 turn), attack a ship scanned here
 * with fighters you choose (3 turns), read the report round by round, and your recent engagements.
 */
export function CombatPanel(props: { api: CombatApi; sector: Sector; ship: Ship; player: Player; onCrew(crew: { player: Player; ship: Ship }): void }) {
  const [scan, setScan] = createSignal<ScanResult['scan'] | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [target, setTarget] = createSignal<ScannedShip | null>(null);
  const [commit, setCommit] = createSignal(0);
  const [report, setReport] = createSignal<AttackResult['attack'] | null>(null);
  // Read again whenever the ship changes (an engagement on either side changes fighters or shields).
  const [logs, { refetch: refetchLogs }] = createResource(
    () => `${props.ship.hull}:${props.ship.fighters}:${props.ship.shields}`,
    () => props.api.combat.logs(5),
  );
  const [openLog, setOpenLog] = createSignal<CombatLog | null>(null);

  async function doScan(sectorId: number) {
    setBusy(true);
    setError(null);
    setTarget(null);
    try {
      const result = await props.api.player.scan(sectorId, newActionKey());
      setScan(result.scan);
      props.onCrew({ player: result.player, ship: props.ship });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function aim(ship: ScannedShip) {
    setTarget(ship);
    setReport(null);
    setCommit(props.ship.fighters);
  }

  async function attack() {
    const t = target();
    if (!t) return;
    setBusy(true);
    setError(null);
    try {
      const result = await props.api.combat.attack({ target: t.pilot, fighters: commit() }, newActionKey());
      setReport(result.attack);
      setTarget(null);
      props.onCrew(result);
      void refetchLogs();
      // What is left of the target (or its wreck) shows on the next scan.
      await doScan(props.sector.id).catch(() => {});
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const scannedHere = () => scan()?.sector_id === props.sector.id;

  return (
    <section class="panel combat" aria-labelledby="combat-title">
      <header class="panel-head">
        <h2 id="combat-title">
          <span class="eyebrow">Scanner</span> &amp; weapons
        </h2>
        <span class="muted">
          {count(props.ship.fighters)} fighters · {count(props.ship.shields)} shields
        </span>
      </header>
      <div class="scan-buttons" role="group" aria-label="Scan a sector">
        <button type="button" disabled={busy()} onClick={() => void doScan(props.sector.id)}>
          Scan sector {props.sector.id}
        </button>
        <For each={props.sector.warps}>
          {(w) => (
            <button type="button" class="secondary" disabled={busy()} onClick={() => void doScan(w.to)}>
              Scan {w.to}
            </button>
          )}
        </For>
        <span class="hint">1 turn each</span>
      </div>
      <Show when={error()}>
        <Problem error={error()} />
      </Show>

      <Show when={scan()}>
        {(s) => (
          <div class="scan-result" aria-label={`Scan of sector ${s().sector_id}`}>
            <h3>Sector {s().sector_id}</h3>
            <Show when={s().ships.length > 0} fallback={<p class="muted">No ships.</p>}>
              <ul class="plain scanned">
                <For each={s().ships}>
                  {(ship) => (
                    <li>
                      <strong>{ship.pilot}</strong> <span class="muted">· {ship.hull_name}</span> · fighters {band(ship.fighters)} · shields{' '}
                      {band(ship.shields)}
                      <Show when={scannedHere()}>
                        {' '}
                        <Show
                          when={blockedReason(ship, props.sector, props.ship) === null}
                          fallback={<span class="muted">({blockedReason(ship, props.sector, props.ship)})</span>}
                        >
                          <button type="button" class="danger" disabled={busy()} onClick={() => aim(ship)} aria-label={`Attack ${ship.pilot}`}>
                            Attack
                          </button>
                        </Show>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <p class="muted">
              Defenses:{' '}
              {s().defenses.fighters + s().defenses.mines === 0 ? 'none' : `${count(s().defenses.fighters)} fighters, ${count(s().defenses.mines)} mines`} ·
              Wrecks:{' '}
              {s().wrecks.length === 0
                ? 'none'
                : s()
                    .wrecks.map((w) => `${w.victim}'s`)
                    .join(', ')}
            </p>
          </div>
        )}
      </Show>

      <Show when={target()}>
        {(t) => (
          <div class="attack-dialog" role="dialog" aria-label={`Attack ${t().pilot}`}>
            <h3>Attack {t().pilot}</h3>
            <div class="versus">
              <div>
                <h4>You commit</h4>
                <label>
                  Fighters (of {count(props.ship.fighters)})
                  <input
                    type="number"
                    min="1"
                    max={props.ship.fighters}
                    value={commit()}
                    aria-label="Fighters to commit"
                    onInput={(e) => setCommit(Math.min(props.ship.fighters, Math.max(1, Math.floor(Number(e.currentTarget.value) || 1))))}
                  />
                </label>
                <button type="button" class="link" onClick={() => setCommit(props.ship.fighters)}>
                  All
                </button>
                <p class="muted">Your {count(props.ship.shields)} shields absorb their hits first.</p>
              </div>
              <div>
                <h4>They have (scanned)</h4>
                <p>
                  Fighters {band(t().fighters)} · shields {band(t().shields)}
                </p>
                <p class="muted">Defenders hit a little harder. Their ship is destroyed when fighters and shields reach zero.</p>
              </div>
            </div>
            <button type="button" class="danger" disabled={busy() || commit() < 1} onClick={() => void attack()}>
              Attack with {count(commit())} fighters (3 turns)
            </button>
            <button type="button" class="link" onClick={() => setTarget(null)}>
              Cancel
            </button>
          </div>
        )}
      </Show>

      <Show when={report()}>
        {(r) => (
          <CombatReport
            attacker={props.player.name}
            defender={r().target}
            side="attacker"
            result={r().result}
            rounds={r().rounds}
            seed={r().seed}
            attackerLost={r().fighters_lost}
            defenderLost={r().target_fighters_lost}
          />
        )}
      </Show>

      <h3>Recent engagements</h3>
      <Show when={(logs()?.logs.length ?? 0) > 0} fallback={<p class="muted">None yet.</p>}>
        <ul class="plain logs" aria-label="Combat logs">
          <For each={logs()?.logs}>
            {(log) => (
              <li>
                <button type="button" class="link" onClick={() => setOpenLog(openLog()?.id === log.id ? null : log)}>
                  {log.attacker} vs {log.defender}: {log.result}
                </button>{' '}
                <span class="muted">· sector {log.sector_id}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={openLog()}>{(log) => <LogReport log={log()} />}</Show>
    </section>
  );
}

export function LogReport(props: { log: CombatLog }) {
  return (
    <CombatReport
      attacker={props.log.attacker}
      defender={props.log.defender}
      side={props.log.your_side}
      result={props.log.result}
      rounds={props.log.rounds}
      seed={props.log.seed}
      attackerLost={props.log.attacker_fighters_lost}
      defenderLost={props.log.defender_fighters_lost}
    />
  );
}

/** Wrecks in this sector and what each holds, with salvage into free holds (1 turn). */
export function WrecksPanel(props: { api: CombatApi; sector: Sector; ship: Ship; onCrew(crew: { player: Player; ship: Ship }): void }) {
  const [error, setError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);
  async function salvage(wreck: string, good: keyof Ship['cargo'], quantity: number) {
    setBusy(true);
    setError(null);
    try {
      props.onCrew(await props.api.combat.salvage({ wreck, good, quantity }, newActionKey()));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Show when={props.sector.wrecks.length > 0}>
      <section class="panel wrecks" aria-label="Wrecks">
        <h2>
          <span class="eyebrow">Wrecks</span> in sector {props.sector.id}
        </h2>
        <Show when={error()}>
          <Problem error={error()} />
        </Show>
        <ul class="plain">
          <For each={props.sector.wrecks}>
            {(wreck) => (
              <li>
                <strong>{wreck.victim}'s wreck</strong> <span class="muted">· drifts until {new Date(wreck.expires_at).toLocaleString()}</span>
                <ul class="plain">
                  <For each={(Object.entries(wreck.cargo) as Array<[keyof Ship['cargo'], number]>).filter(([, n]) => n > 0)}>
                    {([good, n]) => {
                      const take = () => Math.min(n, props.ship.holds_free);
                      return (
                        <li>
                          {count(n)} {GOOD_NAMES[good]}{' '}
                          <Show when={take() > 0} fallback={<span class="muted">(no free holds)</span>}>
                            <button type="button" disabled={busy()} onClick={() => void salvage(wreck.id, good, take())}>
                              Salvage {count(take())} {GOOD_NAMES[good]}
                            </button>
                          </Show>
                        </li>
                      );
                    }}
                  </For>
                </ul>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}

/** After a destruction: what happened, where the pod is, and what to do next. */
export function EscapePodBanner(props: { api: CombatApi; player: Player; sector: Sector; onStardock?: () => void }) {
  const [logs] = createResource(() => props.api.combat.logs(5));
  const [open, setOpen] = createSignal(false);
  const loss = () => logs()?.logs.find((l) => l.your_side === 'defender' && l.result === 'destroyed') ?? null;
  return (
    <section class="panel escape-pod" role="alert" aria-label="Escape pod">
      <h2>
        <span class="eyebrow">Escape Pod</span> Your ship was destroyed
      </h2>
      <p>
        <Show when={loss()} fallback="You ejected before your ship broke up.">
          {(l) => `${l().attacker} destroyed your ship in sector ${l().sector_id}; its hull and cargo are lost.`}
        </Show>{' '}
        You are safe in an Escape Pod in sector <strong>{props.sector.id}</strong>
        {props.sector.fedspace ? ', in FedSpace, where no one can attack you' : ''}. Your {count(props.player.credits)} credits are untouched.
      </p>
      <p>Next: fly to the Stardock (the class 9 port in FedSpace) and buy a new hull. The pod has 5 holds, no fighters, and takes 3 turns a warp.</p>
      <Show when={props.onStardock}>
        <button type="button" class="primary" onClick={() => props.onStardock!()}>
          Open the shipyard
        </button>
      </Show>
      <Show when={loss()}>
        {(l) => (
          <>
            <button type="button" class="link" onClick={() => setOpen(!open())}>
              {open() ? 'Hide' : 'Read'} the combat report
            </button>
            <Show when={open()}>
              <LogReport log={l()} />
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
