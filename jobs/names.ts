/** The background jobs, by name: `JOB_<NAME>_EVERY` and `JOB_<NAME>_TIMEOUT` set a job's cadence and time limit. */
export const JOB_NAMES = [
  'outbox-relay',
  'market-drift',
  'npc-traders',
  'rankings',
  'cleanup',
  'team-transfers',
  'npc-patrols',
  'planet-production',
  'economy-snapshots',
  'gate-sweeper',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Settings in the environment that name no job: a typo there would silently change nothing. */
export function unknownJobSettings(settings: { every: Record<string, number>; timeoutMs: Record<string, number> }): string[] {
  const known = new Set<string>(JOB_NAMES);
  return [...Object.keys(settings.every), ...Object.keys(settings.timeoutMs)].filter((name) => !known.has(name));
}
