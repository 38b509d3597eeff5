import { GAME_HOUR_MS } from '../game/catalog/time.js';
import { mergeChanges } from '../game/changes.js';
import { decideMaterialize, planetDayMs } from '../game/planets.js';
import { applyChanges } from '../world/applier.js';
import { lockPlanet, planetsDue } from '../world/planets.js';
import type { JobDefinition } from './runner.js';

const PAGE = 500;

/**
 * Materialize planet production (GAME.md "Planets") for planets nobody touched: whole game days
 * counted up to the window's start into stock and fighters, and finished citadel builds completed.
 * Production stays lazy (every read and action counts it); this writes it down so rankings and
 * net worth read it. Counting up to the window start, not now, makes a re-run find nothing left:
 * the rule moves the anchor by whole days only. Each page is one transaction through the one
 * applier; planets are locked alone in id order (no pilot), so it never deadlocks an action.
 */
export const planetProductionJob: JobDefinition = {
  name: 'planet-production',
  summary: 'count planet production and finish citadel builds for planets nobody touched, up to the window start',
  every: { ms: GAME_HOUR_MS, clock: 'game' },
  timeoutMs: 10 * 60_000,
  async run(ctx) {
    const at = { nowMs: ctx.windowStart.getTime(), timeScale: ctx.config.gameTimeScale };
    const dueBefore = at.nowMs - planetDayMs(at.timeScale);
    let examined = 0;
    let updated = 0;
    const produced = { ore: 0, organics: 0, equipment: 0, fighters: 0 };
    let done = new Set<number>();
    for (;;) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const ids = (await planetsDue(ctx.region, dueBefore, at.nowMs, PAGE + done.size)).filter((id) => !done.has(id)).slice(0, PAGE);
      if (ids.length === 0) break;
      const result = await ctx.transaction(async (trx) => {
        const decisions = [];
        for (const id of ids) {
          const planet = await lockPlanet(trx, id);
          if (!planet?.ownerUserId) continue;
          const decision = decideMaterialize(planet, at);
          if ('refused' in decision) continue;
          decisions.push(decision);
        }
        const changes = mergeChanges(...decisions.map((d) => d.changes));
        if (changes.planets.length > 0) await applyChanges(trx, changes);
        return decisions;
      });
      examined += ids.length;
      for (const d of result) {
        if (d.changes.planets.length > 0) updated++;
        for (const key of Object.keys(produced) as (keyof typeof produced)[]) produced[key] += d.outcome.produced[key];
      }
      done = new Set([...done, ...ids]);
      if (ids.length < PAGE) break;
    }
    return { examined, updated, ...produced, at: ctx.windowStart.toISOString() };
  },
};
