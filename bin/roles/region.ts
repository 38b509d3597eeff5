import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { migrateSet, openDatabase } from '../../platform/db/database.js';
import { addRegion, readRegistry, RegionUnknown } from '../../regions/registry.js';

const USAGE = `usage:
  sectorwars region add --slug S (--database-url URL | --database-url-env VAR) [--api-url host:port …] [--realtime-url host:port …]
                        [--seed SEED --sectors N --nexus M]   (the galaxy plan: only when adding the first region)
  sectorwars region list
DATABASE_URL is the accounts database on the Central Nexus, which holds the registry.
`;

/** `sectorwars region add|list`: the region registry on the nexus (multi-regional mode, by hand). */
export async function run(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  const config = loadConfig();
  if (!config.databaseUrl || (command !== 'add' && command !== 'list')) {
    process.stderr.write(config.databaseUrl ? USAGE : `sectorwars region: needs DATABASE_URL (the accounts database)\n${USAGE}`);
    process.exit(2);
  }
  const nexus = await openDatabase({ databaseUrl: config.databaseUrl, databasePoolSize: 2, dataDir: config.dataDir });
  try {
    await migrateSet(nexus.accounts, 'accounts');
    if (command === 'list') {
      const entries = await readRegistry(nexus.accounts);
      process.stdout.write(`${JSON.stringify(entries.map(({ databaseUrl: _hidden, ...entry }) => entry))}\n`);
      return;
    }
    const { values } = parseArgs({
      args: rest,
      options: {
        slug: { type: 'string' },
        'database-url': { type: 'string' },
        'database-url-env': { type: 'string' },
        'api-url': { type: 'string', multiple: true },
        'realtime-url': { type: 'string', multiple: true },
        seed: { type: 'string' },
        sectors: { type: 'string' },
        nexus: { type: 'string' },
      },
    });
    if (!values.slug) {
      process.stderr.write(USAGE);
      process.exit(2);
    }
    const size = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    const { entry, written } = await addRegion(nexus.accounts, {
      slug: values.slug,
      ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
      ...(values['database-url-env'] ? { databaseUrlEnv: values['database-url-env'] } : {}),
      apiUrls: values['api-url'] ?? [],
      realtimeUrls: values['realtime-url'] ?? [],
      plan: {
        ...(values.seed ? { seed: values.seed } : {}),
        ...(values.sectors ? { terranSectors: size(values.sectors)! } : {}),
        ...(values.nexus ? { nexusSectors: size(values.nexus)! } : {}),
      },
    });
    const { databaseUrl: _hidden, ...shown } = entry;
    process.stdout.write(`${JSON.stringify({ ...shown, shard_written: written })}\n`);
  } catch (err) {
    if (!(err instanceof RegionUnknown)) throw err;
    process.stderr.write(`sectorwars region: ${err.message}\n`);
    process.exitCode = 1;
  } finally {
    await nexus.close();
  }
}
