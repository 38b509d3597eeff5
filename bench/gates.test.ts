import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPostgresServer } from '../tests/second-postgres.js';
import { main } from './cli.js';

/**
 * The multi-regional scenarios once each, small, through the CLI on a two-shard target of their
 * own (PostgreSQL on DATABASE_URL plus a second server): `gates` must cross and lose nothing,
 * `actions --regions 2` must play in both regions.
 */
const serverUrl = process.env.DATABASE_URL;

async function run(args: string[]): Promise<Record<string, any>> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'bench-regions-'));
  try {
    expect(await main([...args, '--warmup', '1', '--quiet', '--out', out])).toBe(0);
    return JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

describe.skipIf(!serverUrl || !hasPostgresServer)('the bench across two region shards', () => {
  it('gates: pilots cross back and forth and every one ends in one region with what it had', async () => {
    const result = await run(['gates', '--players', '4', '--duration', '3']);
    expect(result.target).toMatchObject({ kind: 'regions' });
    expect(result.results.crossings).toBeGreaterThan(0);
    expect(result.results.handoff_latency_ms.p99).toBeGreaterThanOrEqual(result.results.handoff_latency_ms.p50);
    expect(result.results.failures).toEqual({});
    expect(result.results.conservation).toMatchObject({
      pilots: 4,
      lost: 0,
      doubled: 0,
      in_transit: 0,
      homes_wrong: 0,
      ledger_mismatches: { terran: 0, nexus: 0 },
    });
    expect(result.results.conservation.totals.cargo).toEqual({ start: 40, end: 40 });
    expect(result.results.zero_lost).toBe(true);
    expect(result.targets.find((t: { name: string }) => t.name === 'zero lost').met).toBe(true);
  }, 240_000);

  it('actions --regions 2: half the players play in the Central Nexus, each through its own region', async () => {
    const result = await run(['actions', '--regions', '2', '--players', '6', '--duration', '3', '--no-baselines']);
    const regions = result.results.regions;
    expect(regions.sent_through_gate).toBe(3);
    expect(regions.players_at_start).toEqual({ nexus: 3, terran: 3 });
    expect(Object.keys(regions.by_region).sort()).toEqual(['nexus', 'terran']);
    expect(regions.by_region.nexus.per_second).toBeGreaterThan(0);
    expect(regions.by_region.terran.per_second).toBeGreaterThan(0);
    expect(regions.by_region.nexus.completed + regions.by_region.terran.completed).toBe(
      result.results.per_action.state.count +
        result.results.per_action.sector.count +
        result.results.per_action.quote.count +
        result.results.per_action.buy.count +
        result.results.per_action.sell.count +
        result.results.per_action.move.count,
    );
    expect(result.results.server_errors).toBe(0);
  }, 240_000);
});
