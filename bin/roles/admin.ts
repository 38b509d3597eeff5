import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createAccountLink } from '../../platform/account-links.js';
import { ADMIN_SCOPES, isAdminScope } from '../../platform/admin-scopes.js';
import { recordAudit } from '../../platform/audit.js';
import { loadConfig } from '../../platform/config.js';
import { migrateToLatest, openDatabase } from '../../platform/db/database.js';

const USAGE = 'usage: sectorwars admin create --username <name> --scopes admin:read,admin:players,… [--email <address>]\n';
const USERNAME = /^[A-Za-z0-9_]{3,24}$/;

/**
 * `sectorwars admin create --username U --scopes a,b`: create an admin account (no password yet)
 * or promote an existing one, and print a one-time enrollment link: the person sets a password
 * there, then enrolls TOTP, without which no admin route answers them. Runs against DATABASE_URL,
 * or in embedded mode against DATA_DIR while the server is stopped (PGlite has one writer; the
 * error says so when the folder is in use). Written to the audit log as the CLI.
 */
export async function run(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command !== 'create') return fail(USAGE);
  let values: { username?: string | undefined; scopes?: string | undefined; email?: string | undefined };
  try {
    ({ values } = parseArgs({ args: rest, options: { username: { type: 'string' }, scopes: { type: 'string' }, email: { type: 'string' } } }));
  } catch (err) {
    return fail(`sectorwars admin: ${(err as Error).message}\n${USAGE}`);
  }
  const username = values.username ?? '';
  if (!USERNAME.test(username)) return fail(`sectorwars admin create: --username takes 3–24 letters, digits or underscores\n${USAGE}`);
  const scopes = [
    ...new Set(
      (values.scopes ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = scopes.filter((s) => !isAdminScope(s));
  if (scopes.length === 0 || unknown.length > 0) {
    return fail(
      `sectorwars admin create: --scopes takes a comma-separated list of ${ADMIN_SCOPES.join(', ')}${unknown.length ? ` (not: ${unknown.join(', ')})` : ''}\n`,
    );
  }
  const email = values.email?.trim().toLowerCase();
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) return fail('sectorwars admin create: --email must be an email address\n');

  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database);
    const db = database.accounts;
    const outcome = await db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('users')
        .selectAll()
        .where(sql<string>`lower(username)`, '=', username.toLowerCase())
        .forUpdate()
        .executeTakeFirst();
      const before = existing?.scopes ?? null;
      const after = [...new Set([...(existing?.scopes ?? []), ...scopes])].sort();
      const user = existing
        ? await trx.updateTable('users').set({ scopes: after }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
        : await trx
            .insertInto('users')
            .values({ username, email: email ?? null, password_hash: null, scopes: after })
            .returningAll()
            .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actor: { id: null, name: 'cli' },
        action: existing ? 'scopes.grant' : 'account.create_admin',
        target: { type: 'account', id: user.id },
        before: before === null ? null : { scopes: before },
        after: { scopes: after },
        reason: 'sectorwars admin create',
      });
      const link = await createAccountLink(trx, config.publicUrl, user.id, 'enroll');
      return { user, created: !existing, link };
    });
    const { user, created, link } = outcome;
    process.stdout.write(
      [
        `${created ? 'created' : 'promoted'} ${user.username} (${user.id}) with scopes ${user.scopes.join(', ')}`,
        '',
        'one-time enrollment link (good once, for 24 hours; it is not shown again):',
        `  ${link.url}`,
        '',
        'There the admin sets a password (POST /api/v1/auth/account-link) and enrolls TOTP',
        '(POST /api/v1/auth/totp/enroll, then /verify): admin routes refuse the account until then.',
        '',
      ].join('\n'),
    );
  } finally {
    await database.close();
  }
}

function fail(message: string): void {
  process.stderr.write(message);
  process.exitCode = 2;
}
