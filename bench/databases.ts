import pg from 'pg';

/**
 * Throwaway PostgreSQL databases on the server DATABASE_URL names: every bench run works on
 * databases of its own (`sectorwars_bench_<run>_<what>`) and drops them at the end.
 */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  // The maintenance database, so dropping the one DATABASE_URL names is possible too.
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const NAME = /^[a-z0-9_]+$/;

/** A new empty database, or a copy of `template` (which must have no open connections). */
export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  if (!NAME.test(name) || (template && !NAME.test(template))) throw new Error(`bad database name ${name}`);
  await withAdmin(serverUrl, (c) => c.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`bad database name ${name}`);
  await withAdmin(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}

/** Tracks the databases a run made, so every exit path drops them all. */
export class DatabaseSet {
  private readonly names: string[] = [];

  constructor(
    readonly serverUrl: string,
    readonly prefix: string,
  ) {}

  async create(what: string, template?: string): Promise<{ name: string; url: string }> {
    const name = `${this.prefix}_${what}`;
    const url = await createDatabase(this.serverUrl, name, template);
    this.names.push(name);
    return { name, url };
  }

  async dropAll(): Promise<void> {
    for (const name of this.names.splice(0).reverse()) {
      await dropDatabase(this.serverUrl, name).catch((err) => process.stderr.write(`bench: could not drop database ${name}: ${(err as Error).message}\n`));
    }
  }
}
