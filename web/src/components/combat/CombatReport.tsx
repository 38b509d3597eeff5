import { For, Show } from 'solid-js';
import type { CombatRound } from '../../../../client/index.js';
import { count } from '../../format.js';

export interface ReportProps {
  attacker: string;
  defender: string;
  /** 'attacker' or 'defender': whose point of view the headline takes */
  side: 'attacker' | 'defender';
  result: 'destroyed' | 'repelled' | 'stalemate';
  rounds: CombatRound[];
  seed: string;
  attackerLost: number;
  defenderLost: number;
}

function headline(p: ReportProps): string {
  const mine = p.side === 'attacker';
  if (p.result === 'destroyed') return mine ? `${p.defender}'s ship destroyed` : `Your ship was destroyed by ${p.attacker}`;
  if (p.result === 'repelled') return mine ? `Attack on ${p.defender} repelled` : `You repelled ${p.attacker}`;
  return 'Stalemate: both ships still stand';
}

/** An engagement round by round: each side's hits and what it had left. */
export function CombatReport(props: ReportProps) {
  return (
    <section class="combat-report" aria-label="Combat report">
      <h3 data-testid="combat-result" class={`result-${props.result}`}>
        {headline(props)}
      </h3>
      <p class="muted">
        {props.attacker} (attacker) lost {count(props.attackerLost)} fighters · {props.defender} (defender) lost {count(props.defenderLost)} fighters ·{' '}
        {props.rounds.length} rounds · seed <code>{props.seed.slice(0, 8)}</code>
      </p>
      <Show when={props.rounds.length > 0}>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Rounds, scrollable">
          <table class="market compact rounds" aria-label="Rounds">
            <thead>
              <tr>
                <th scope="col">Round</th>
                <th scope="col" class="num">
                  {props.attacker} hits
                </th>
                <th scope="col" class="num">
                  {props.defender} hits
                </th>
                <th scope="col" class="num">
                  Attacker fighters · shields
                </th>
                <th scope="col" class="num">
                  Defender fighters · shields
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={props.rounds}>
                {(r) => (
                  <tr>
                    <th scope="row">{r.round}</th>
                    <td class="num">{count(r.attacker_hits)}</td>
                    <td class="num">{count(r.defender_hits)}</td>
                    <td class="num">
                      {count(r.attacker_fighters)} · {count(r.attacker_shields)}
                    </td>
                    <td class="num">
                      {count(r.defender_fighters)} · {count(r.defender_shields)}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
