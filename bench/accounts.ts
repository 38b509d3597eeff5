import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { HULLS } from '../game/catalog/hulls.js';
import { NEW_PILOT } from '../game/catalog/new-pilot.js';
import { TURN_POOL } from '../game/catalog/turns.js';
import { derivedKey, staticKeyRing } from '../platform/keys.js';
import { es256AccessTokens } from '../platform/tokens.js';
import type { SeededAccount } from './game-api.js';

export interface SeedOptions {
  runId: string;
  /** a name prefix, so several groups of one run do not collide */
  group: string;
  /** the sector each pilot is placed in: one pilot per entry */
  sectors: number[];
  credits?: number;
  holds?: number;
  turns?: number;
}

/**
 * Accounts with pilots written straight into a target the bench started, with access tokens
 * the bench signs itself (it made up the target's JWT_SECRET). Registering 10,000 sockets'
 * accounts through the API would cost 10,000 Argon2id hashes (minutes of both cores) before
 * the fan-out is measured at all; the API and realtime verify tokens statelessly, so what they
 * see is indistinguishable from accounts that registered. Only for targets the bench owns.
 */
export async function seedPilots(databaseUrl: string, jwtSecret: string, options: SeedOptions): Promise<SeededAccount[]> {
  const count = options.sectors.length;
  const names = Array.from({ length: count }, (_v, i) => `${options.group}${options.runId}_${i}`);
  const hull = HULLS[NEW_PILOT.hullId];
  const credits = options.credits ?? NEW_PILOT.credits;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let ids: string[];
  // A session is alive while its refresh-token family has a row not revoked (platform/session-status.ts):
  // one family per account, with a random hash nobody holds the token of.
  const sessions = names.map(() => randomUUID());
  try {
    await client.query('begin');
    const users = (
      await client.query(
        `insert into users (username, email, password_hash)
         select u, u || '@bench.invalid', 'seeded-by-bench-no-login' from unnest($1::text[]) with ordinality as t(u, n) order by n
         returning id, username`,
        [names],
      )
    ).rows as Array<{ id: string; username: string }>;
    const byName = new Map(users.map((u) => [u.username, u.id]));
    ids = names.map((n) => byName.get(n)!);
    const regionOf = new Map(
      (
        (await client.query('select id, region_id from sectors where id = any($1::int[])', [[...new Set(options.sectors)]])).rows as Array<{
          id: number;
          region_id: number;
        }>
      ).map((r) => [r.id, r.region_id]),
    );
    const regions = options.sectors.map((s) => {
      const region = regionOf.get(s);
      if (region === undefined) throw new Error(`sector ${s} does not exist`);
      return region;
    });
    const ships = (
      await client.query(
        `insert into ships (owner_user_id, region_id, hull, holds, fighters, shields)
         select o, r, $3, $4, $5, $6 from unnest($1::uuid[], $2::int[]) as t(o, r)
         returning id, owner_user_id`,
        [ids, regions, hull.id, options.holds ?? hull.holds, NEW_PILOT.fighters, hull.startingShields],
      )
    ).rows as Array<{ id: number; owner_user_id: string }>;
    const shipOf = new Map(ships.map((s) => [s.owner_user_id, s.id]));
    await client.query(
      `insert into players (user_id, region_id, name, sector_id, ship_id, credits, turns, turns_anchor_at)
       select u, r, n, s, sh, $6, $7, now() from unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::int[]) as t(u, r, n, s, sh)`,
      [ids, regions, names, options.sectors, ids.map((id) => shipOf.get(id)!), credits, options.turns ?? TURN_POOL.max],
    );
    // Credits go through the ledger as everywhere else, so audits of the run still add up.
    await client.query(
      `insert into credit_ledger (user_id, delta, balance_after, reason, ref)
       select u, $2, $2, 'starting_credits', '{"seeded_by":"bench"}' from unnest($1::uuid[]) as t(u)`,
      [ids, credits],
    );
    await client.query(
      `insert into refresh_tokens (family_id, user_id, token_hash, expires_at)
       select f, u, h, now() + interval '1 day' from unnest($1::uuid[], $2::uuid[], $3::text[]) as t(f, u, h)`,
      [sessions, ids, sessions.map(() => randomBytes(32).toString('base64url'))],
    );
    await client.query(`insert into known_sectors (user_id, sector_id) select * from unnest($1::uuid[], $2::int[])`, [ids, options.sectors]);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
  // The target runs in server mode without JWT_KEYS_DIR: its one key is derived from JWT_SECRET.
  const tokens = es256AccessTokens({
    ring: staticKeyRing([derivedKey(jwtSecret)], 6 * 3600),
    issuer: process.env.JWT_ISSUER ?? 'sectorwars',
    audience: process.env.JWT_AUDIENCE ?? 'sectorwars',
    ttlSeconds: 6 * 3600,
  });
  return names.map((username, i) => {
    const userId = ids[i]!;
    return { userId, username, authorization: `Bearer ${tokens.sign({ userId, sessionId: sessions[i]!, scopes: [] })}` };
  });
}
