import { COMBAT } from '../../game/catalog/combat.js';
import { resolveEngagement, type Side } from '../../game/combat.js';
import type { Bar } from '../chart.js';
import { describeMachine } from '../machine.js';
import type { BenchOptions } from '../options.js';
import type { Progress } from '../progress.js';
import type { BenchReport, TargetCheck } from '../report.js';
import { round as roundOrNull } from '../stats.js';

const round = (value: number, digits: number) => roundOrNull(value, digits) ?? 0;

interface Matchup {
  name: string;
  attacker: Side;
  defender: Side;
  /** attacker fighters : defender fighters is 3:1, the balance target's case */
  threeToOne: boolean;
}

/** Ships as they fly: starting Light Freighters, Stardock-armed ones, the big hulls. */
const MATCHUPS: Matchup[] = [
  { name: 'new pilots (30 vs 30, 50 shields each)', attacker: { fighters: 30, shields: 50 }, defender: { fighters: 30, shields: 50 }, threeToOne: false },
  { name: '3:1 small (90 vs 30, 50 shields each)', attacker: { fighters: 90, shields: 50 }, defender: { fighters: 30, shields: 50 }, threeToOne: true },
  {
    name: '3:1 armed freighters (300 vs 100, 50 shields each)',
    attacker: { fighters: 300, shields: 50 },
    defender: { fighters: 100, shields: 50 },
    threeToOne: true,
  },
  {
    name: '3:1, defender all shields (300/0 vs 100/200)',
    attacker: { fighters: 300, shields: 0 },
    defender: { fighters: 100, shields: 200 },
    threeToOne: true,
  },
  {
    name: '3:1 Carrier vs Defender (9000/2500 vs 3000/1200)',
    attacker: { fighters: 9_000, shields: 2_500 },
    defender: { fighters: 3_000, shields: 1_200 },
    threeToOne: true,
  },
  { name: '2:1 (200 vs 100, 50 shields each)', attacker: { fighters: 200, shields: 50 }, defender: { fighters: 100, shields: 50 }, threeToOne: false },
  { name: '1.5:1 (150 vs 100, 50 shields each)', attacker: { fighters: 150, shields: 50 }, defender: { fighters: 100, shields: 50 }, threeToOne: false },
  { name: '1:1 (100 vs 100, 50 shields each)', attacker: { fighters: 100, shields: 50 }, defender: { fighters: 100, shields: 50 }, threeToOne: false },
  { name: '1:3 (100 vs 300, 50 shields each)', attacker: { fighters: 100, shields: 50 }, defender: { fighters: 300, shields: 50 }, threeToOne: false },
  { name: 'raid on an unarmed ship (100 vs 0/50)', attacker: { fighters: 100, shields: 50 }, defender: { fighters: 0, shields: 50 }, threeToOne: false },
];

interface MatchupResult {
  name: string;
  attacker: Side;
  defender: Side;
  engagements: number;
  destroyed_pct: number;
  repelled_pct: number;
  stalemate_pct: number;
  rounds_mean: number;
  rounds_p95: number;
  rounds_max: number;
  attacker_fighters_lost_mean: number;
  defender_fighters_lost_mean: number;
  ms_per_engagement: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * `combat`: the pure combat rule (game/combat.ts) over a table of matchups, --pairs seeded
 * engagements each (seeds `<--seed>-<i>`): win (destroyed), repelled and stalemate rates, rounds
 * and losses. In process, no server: it measures the rule's balance, and how long one takes.
 */
export async function runCombat(options: BenchOptions, progress: Progress): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const n = options.pairs;
  const results: MatchupResult[] = [];
  for (const m of MATCHUPS) {
    progress.step(`${m.name}: ${n} engagements`);
    const rounds: number[] = [];
    let destroyed = 0;
    let repelled = 0;
    let attackerLost = 0;
    let defenderLost = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const e = resolveEngagement(m.attacker, m.defender, `${options.seed}-${i}`);
      rounds.push(e.rounds.length);
      if (e.result === 'destroyed') destroyed++;
      else if (e.result === 'repelled') repelled++;
      attackerLost += e.attacker_fighters_lost;
      defenderLost += e.defender_fighters_lost;
    }
    const ms = performance.now() - t0;
    rounds.sort((a, b) => a - b);
    results.push({
      name: m.name,
      attacker: m.attacker,
      defender: m.defender,
      engagements: n,
      destroyed_pct: round((100 * destroyed) / n, 1),
      repelled_pct: round((100 * repelled) / n, 1),
      stalemate_pct: round((100 * (n - destroyed - repelled)) / n, 1),
      rounds_mean: round(rounds.reduce((a, b) => a + b, 0) / n, 2),
      rounds_p95: percentile(rounds, 95),
      rounds_max: rounds[rounds.length - 1] ?? 0,
      attacker_fighters_lost_mean: round(attackerLost / n, 1),
      defender_fighters_lost_mean: round(defenderLost / n, 1),
      ms_per_engagement: round(ms / n, 4),
    });
    progress.done(`destroyed ${results.at(-1)!.destroyed_pct}%, ${results.at(-1)!.rounds_mean} rounds on average`);
  }

  const decisive = MATCHUPS.map((m, i) => ({ m, r: results[i]! })).filter(({ m }) => m.threeToOne);
  const worst = decisive.reduce((a, b) => (b.r.destroyed_pct < a.r.destroyed_pct ? b : a));
  const stalemates = Math.max(...decisive.map(({ r }) => r.stalemate_pct));
  const targets: TargetCheck[] = [
    {
      name: 'with 3:1 fighters the stronger side wins',
      goal: '≥ 95% of seeds',
      value: `worst ${worst.r.destroyed_pct}% (${worst.m.name})`,
      met: worst.r.destroyed_pct >= 95,
    },
    {
      name: 'committing enough ends in a destruction, not a stalemate',
      goal: '0% stalemates at 3:1',
      value: `${stalemates}% at most`,
      met: stalemates === 0,
    },
  ];
  const bars: Bar[] = results.map((r) => ({ label: r.name.replace(/ \(.*\)$/, ''), value: r.destroyed_pct }));
  return {
    scenario: 'combat',
    title: `combat: ${MATCHUPS.length} matchups × ${n.toLocaleString('en-US')} seeded engagements`,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: describeMachine(),
    options: { engagements_per_matchup: n, seed: options.seed },
    target: { kind: 'in-process', rule: 'game/combat.ts resolveEngagement' },
    results: { rule: COMBAT, matchups: results },
    targets,
    tables: [
      {
        title: 'Matchups',
        columns: [
          'matchup',
          'destroyed %',
          'repelled %',
          'stalemate %',
          'rounds mean',
          'rounds p95',
          'rounds max',
          'attacker lost',
          'defender lost',
          'ms each',
        ],
        rows: results.map((r) => [
          r.name,
          r.destroyed_pct,
          r.repelled_pct,
          r.stalemate_pct,
          r.rounds_mean,
          r.rounds_p95,
          r.rounds_max,
          r.attacker_fighters_lost_mean,
          r.defender_fighters_lost_mean,
          r.ms_per_engagement,
        ]),
        note: `Attacker: committed fighters / its shields; defender: its whole ship. Each round a side hits with ${COMBAT.roundShare * 100}% of its fighters × [${1 - COMBAT.spread}, ${1 + COMBAT.spread}], the defender +${COMBAT.defenderBonus * 100}%; at most ${COMBAT.maxRounds} rounds. Losses are mean fighters lost per engagement.`,
      },
    ],
    notes: [],
    chart: {
      title: 'SectorWars combat balance',
      subtitle: `${n.toLocaleString('en-US')} seeds per matchup, ${startedAt.slice(0, 10)}`,
      panels: [{ kind: 'bar', title: 'attacker destroys the defender (% of seeds)', yLabel: '%', bars }],
    },
  };
}
