import type { GameApi, PlayerState, Session } from './game-api.js';
import { mapLimit } from './concurrency.js';
import type { Progress } from './progress.js';
import { Samples, Tally, summarize, type LatencySummary } from './stats.js';

export const BENCH_PASSWORD = 'bench-password-not-secret';

export interface Registered {
  sessions: Session[];
  states: PlayerState[];
  /** Registration latency: Argon2id hashing dominates it */
  register: LatencySummary;
  registerPerSecond: number;
  failures: Record<string, number>;
}

/**
 * Virtual players the way real ones arrive: POST /auth/register (Argon2id, tens of ms of CPU
 * each, so a bounded number at a time), then GET /player/state once, which creates the pilot.
 */
export async function registerPlayers(api: GameApi, count: number, options: { runId: string; concurrency: number; progress: Progress }): Promise<Registered> {
  const latencies = new Samples();
  const failures = new Tally();
  const started = performance.now();
  let done = 0;
  const sessions = await mapLimit(
    Array.from({ length: count }, (_v, i) => i),
    options.concurrency,
    async (i) => {
      const username = `b${options.runId}_${i}`;
      const res = await api.register(username, BENCH_PASSWORD);
      latencies.add(res.ms);
      done++;
      const elapsed = (performance.now() - started) / 1000;
      const rate = done / elapsed;
      options.progress.update(`registering players ${done}/${count} (${rate.toFixed(1)}/s, ETA ${Math.ceil((count - done) / rate)} s)`);
      if (res.status !== 201) {
        failures.add(`${res.status} ${res.code}`);
        return undefined;
      }
      return res.body;
    },
  );
  const seconds = (performance.now() - started) / 1000;
  options.progress.done(`registered ${sessions.filter(Boolean).length}/${count} players in ${seconds.toFixed(1)} s`);
  if (failures.total > 0) {
    throw new Error(
      `${failures.total} of ${count} registrations failed (${JSON.stringify(failures.toJSON())}). ` +
        'A target started elsewhere needs RATE_LIMITS=false for mass registration (5 per address per 10 minutes otherwise), or a small --players.',
    );
  }
  const ok = sessions as Session[];
  const states = await createPilots(api, ok, options.progress);
  return { sessions: ok, states, register: summarize(latencies.sorted()), registerPerSecond: count / seconds, failures: failures.toJSON() };
}

/** GET /player/state for each account: the first call creates the pilot in sector 1. */
export async function createPilots(api: GameApi, sessions: Session[], progress: Progress): Promise<PlayerState[]> {
  let done = 0;
  const states = await mapLimit(sessions, 16, async (session) => {
    const res = await api.state(session);
    if (res.status !== 200) throw new Error(`GET /player/state for ${session.username}: ${res.status} ${res.code}`);
    done++;
    progress.update(`creating pilots ${done}/${sessions.length}`);
    return res.body;
  });
  progress.done(`${states.length} pilots in sector 1`);
  return states;
}
