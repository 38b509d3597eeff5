import pg from 'pg';
import { type Dispatcher, fetch as undiciFetch } from 'undici';
import { expect } from 'vitest';
import { type ApiClient, createApiClient, newActionKey } from '../client/index.js';
import { chartOver } from './chart.js';

/**
 * A pilot playing through a gateway, as the end-to-end suites drive one (the stack, compose and
 * the region manager's): the typed client as a browser page holds it, with the paths it called,
 * and the shard reads that chart its way.
 */

export async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The client against `origin` (self-signed TLS through `dispatcher`), recording `METHOD /path` of each call. */
export function gatewayPilot(origin: string, dispatcher: Dispatcher): { api: ApiClient; sent: string[] } {
  const sent: string[] = [];
  const api = createApiClient({
    baseUrl: origin,
    refreshTokenIn: 'memory',
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return undiciFetch(String(input), { ...(init as object), dispatcher });
    }) as typeof fetch,
  });
  return { api, sent };
}

/** The shortest way over a shard's plain warps (tests/chart.ts). */
export async function chartShard(shard: string, from: number, isGoal: (sector: number) => boolean): Promise<number[]> {
  const warps = await query<{ from: number; to: number }>(shard, 'select from_sector_id as from, to_sector_id as to from warps where not gate');
  return chartOver(warps, from, isGoal);
}

export async function fly(api: ApiClient, course: number[]): Promise<void> {
  for (const hop of course) expect((await api.player.move(hop, newActionKey())).player.sector_id).toBe(hop);
}

export type Good = Parameters<ApiClient['trade']['buy']>[0]['good'];

/** Fly to the nearest port of the shard that sells something and buy one unit of it: the good bought. */
export async function buyNearby(api: ApiClient, shard: string): Promise<Good> {
  const from = (await api.player.state()).player.sector_id;
  const ports = await query<{ sector_id: number; good: Good }>(
    shard,
    "select p.sector_id, g.good from ports p join port_goods g on g.port_id = p.id where g.mode = 'sell' and g.stock >= 5 and p.port_class between 1 and 8",
  );
  const course = await chartShard(shard, from, (sector) => ports.some((p) => p.sector_id === sector));
  await fly(api, course);
  const port = ports.find((p) => p.sector_id === (course.at(-1) ?? from))!;
  const before = (await api.player.state()).player.credits;
  const bought = await api.trade.buy({ good: port.good, quantity: 1 }, newActionKey());
  expect(bought.player.credits).toBeLessThan(before);
  return port.good;
}
