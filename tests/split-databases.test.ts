import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../platform/db/database.js';
import { createLogger } from '../platform/logger.js';
import { generateUniverse } from '../regions/default-world.js';
import { signInAdmin } from './admin-helpers.js';
import { findTradingPort, ledgerMismatches, newPilot, placePilot } from './game-helpers.js';
import { createTestApp, type TestApp, testBackends } from './harness.js';
import { hasPostgresServer, type SecondPostgres, startSecondPostgres } from './second-postgres.js';
import { TEST_GALAXY } from './test-galaxy.js';

/**
 * The accounts database with the nexus and the region on a database of its own on another
 * PostgreSQL server (REGION_DATABASE_URL): the layout of a region shard. Every feature that
 * crosses the two (sign-up then play, mail, a team treasury fed from a pilot's credits, an admin
 * grant audited on the nexus) works with no table of one reachable from the other, and the
 * region's server going away is a 503 with a code and a not-ready probe, never a 500.
 */
const { databaseUrl } = testBackends();
let second: SecondPostgres;
let t: TestApp;
let dropAccounts = async () => {};

describe.skipIf(!databaseUrl || !hasPostgresServer)('accounts and region on two PostgreSQL servers', () => {
  beforeAll(async () => {
    second = await startSecondPostgres();
    const main = new URL(databaseUrl!);
    main.pathname = '/postgres';
    const name = `sw_nexus_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: main.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const accountsUrl = new URL(main);
    accountsUrl.pathname = `/${name}`;
    dropAccounts = async () => {
      const client = new pg.Client({ connectionString: main.toString() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
    const config = { DATABASE_URL: accountsUrl.toString(), REGION_DATABASE_URL: second.url, RATE_LIMITS: 'false' };
    const setup = await openDatabase({ databaseUrl: config.DATABASE_URL, regionDatabaseUrl: config.REGION_DATABASE_URL, databasePoolSize: 2, dataDir: '' });
    await migrateToLatest(setup);
    await generateUniverse(setup.region, createLogger({ logLevel: 'silent' }, 'test'), TEST_GALAXY);
    await setup.close();
    t = await createTestApp({ config });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await second?.stop();
    await dropAccounts();
  });

  it('keeps each set of tables on its own server', async () => {
    const tablesOf = async (db: TestApp['accounts'] | TestApp['region']) =>
      (await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(db)).rows.map(
        (r) => r.table_name,
      );
    const [accountTables, regionTables] = [await tablesOf(t.accounts), await tablesOf(t.region)];
    expect(accountTables).toEqual(expect.arrayContaining(['users', 'teams', 'messages', 'admin_audit']));
    expect(accountTables).not.toContain('players');
    expect(regionTables).toEqual(expect.arrayContaining(['players', 'sectors', 'credit_ledger', 'audit_outbox']));
    expect(regionTables).not.toContain('users');
  });

  it('signs up on the nexus, plays in the region, mails, feeds a treasury, and is audited when an admin grants credits', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    const state = await t.call('GET', '/api/v1/player/state', { token: a.token });
    expect(state.status, state.text).toBe(200);

    // A trade: credits and cargo change in the region, with their ledger row.
    const { sector_id, sells: sell } = await findTradingPort(t);
    await placePilot(t, a.userId, sector_id);
    const bought = await t.call('POST', '/api/v1/trade/buy', { token: a.token, body: { good: sell, quantity: 5 } });
    expect(bought.status, bought.text).toBe(200);
    expect(bought.body.ship.cargo[sell]).toBe(5);

    // Mail lives on the nexus.
    const sent = await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, subject: 'hello', body: 'from the shard' } });
    expect(sent.status, sent.text).toBe(201);
    expect((await t.call('GET', '/api/v1/messages', { token: b.token })).body.messages[0]).toMatchObject({ from: a.username, subject: 'hello' });

    // A treasury on the nexus fed from a pilot's credits in the region: a ledger row on each side.
    const team = await t.call('POST', '/api/v1/teams', {
      token: a.token,
      body: { name: `Shard ${randomBytes(2).toString('hex')}`, tag: randomBytes(2).toString('hex').toUpperCase() },
    });
    expect(team.status, team.text).toBe(201);
    const deposit = await t.call('POST', `/api/v1/teams/${team.body.id}/treasury`, { token: a.token, body: { action: 'deposit', amount: 1_000 } });
    expect(deposit.status, deposit.text).toBe(200);
    expect(deposit.body.treasury).toBe(1_000);

    // An admin grant: the ledger in the region, the audit row on the nexus, nothing left staged.
    const root = await signInAdmin(t, ['admin:read', 'admin:economy']);
    const grant = await t.call('POST', `/api/v1/admin/players/${b.userId}/credits`, {
      token: root.token,
      headers: { 'x-totp-code': await root.code() },
      body: { delta: 2_500, reason: 'shard test grant' },
    });
    expect(grant.status, grant.text).toBe(200);
    const audit = await t.accounts.selectFrom('admin_audit').selectAll().where('action', '=', 'player.credits').where('target_id', '=', b.userId).execute();
    expect(audit).toHaveLength(1);
    expect(await t.region.selectFrom('audit_outbox').select('id').execute()).toEqual([]);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('answers 503 with a code while the region’s server is down, and reports not ready', async () => {
    const p = await newPilot(t);
    await second.stop();
    const ready = await t.call('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ database: 'down' });
    const state = await t.call('GET', '/api/v1/player/state', { token: p.token });
    expect(state.status).toBe(503);
    expect(state.headers.get('content-type')).toContain('application/problem+json');
    expect(state.body.code).toBe('database_unavailable');
    expect(state.headers.get('retry-after')).toBe('5');
  });
});
