import type { Migration } from 'kysely';
import * as users from './0001_users.js';
import * as people from './0002_people.js';
import * as identity from './0003_identity.js';
import * as admin from './0004_admin.js';
import * as chatMutes from './0005_chat_mutes.js';
import * as auditSource from './0006_audit_source.js';
import * as regions from './0007_regions.js';
import * as regionRankings from './0008_region_rankings.js';
import * as regionServices from './0009_region_services.js';

/** The accounts database's migrations, in order (users, sessions; later teams, mail, tokens, the region registry). */
export const accountMigrations: Record<string, Migration> = {
  '0001_users': users,
  '0002_people': people,
  '0003_identity': identity,
  '0004_admin': admin,
  '0005_chat_mutes': chatMutes,
  '0006_audit_source': auditSource,
  '0007_regions': regions,
  '0008_region_rankings': regionRankings,
  '0009_region_services': regionServices,
};
