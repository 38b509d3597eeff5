import type { AuditEntry } from '../platform/audit.js';
import { recordAudit } from '../platform/audit.js';
import type { AccountDb, RegionDb } from '../platform/db/database.js';
import type { AdminAuditRow } from '../platform/db/schema.js';
import { Problem } from '../platform/errors.js';

/**
 * Admin changes to people (issue 19): a pilot's name and a team's name and tag. The account side
 * and its audit row are one transaction; the region's copies of a pilot's name follow after it
 * (nothing joins across the two databases).
 */
const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';

export async function renamePilot(
  world: { accounts: AccountDb; region: RegionDb },
  userId: string,
  name: string,
  auditFor: (before: string, after: string) => AuditEntry,
): Promise<AdminAuditRow> {
  const entry = await world.accounts.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('username').where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) throw new Problem('not_found', { detail: 'No such account' });
    try {
      await trx.updateTable('users').set({ username: name }).where('id', '=', userId).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new Problem('username_taken');
      throw err;
    }
    return recordAudit(trx, auditFor(user.username, name));
  });
  await world.region.transaction().execute(async (trx) => {
    await trx.updateTable('players').set({ name }).where('user_id', '=', userId).execute();
    await trx.updateTable('sector_defenses').set({ owner_name: name }).where('owner_user_id', '=', userId).execute();
  });
  return entry;
}

export async function renameTeam(
  accounts: AccountDb,
  teamId: number,
  change: { name?: string | undefined; tag?: string | undefined },
  auditFor: (before: { name: string; tag: string }, after: { name: string; tag: string }) => AuditEntry,
) {
  return accounts.transaction().execute(async (trx) => {
    const team = await trx
      .selectFrom('teams')
      .select(['name', 'tag'])
      .where('id', '=', teamId)
      .where('disbanded_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!team) throw new Problem('not_found', { detail: `No team ${teamId}` });
    const after = { name: change.name ?? team.name, tag: change.tag ?? team.tag };
    try {
      await trx.updateTable('teams').set(after).where('id', '=', teamId).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const constraint = (err as { constraint?: string; message?: string }).constraint ?? (err as { message?: string }).message ?? '';
      throw new Problem(constraint.includes('tag') ? 'team_tag_taken' : 'team_name_taken');
    }
    const entry = await recordAudit(trx, auditFor(team, after));
    return { after, entry };
  });
}
