import { sql, type Kysely } from 'kysely';

/**
 * Admin universe edits (issue 19): the galaxy's map revision, bumped by every warp and port edit.
 * Each process keys its copies of the map (the warp graph, the atlas) on the generation and this
 * revision together (world/warp-graph.ts galaxyVersion), so an edit made through any api process is
 * read again by every other one on its next request.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('galaxy')
    .addColumn('map_revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`alter table galaxy add constraint galaxy_map_revision_valid check (map_revision >= 0)`.execute(db);
}
