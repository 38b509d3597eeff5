import { ConfigError } from '../platform/config.js';
import { DataFolderInUseError } from '../platform/db/data-folder-lock.js';

const ROLES: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<void> }> }> = {
  all: { summary: 'everything in one process on embedded defaults (npm start)', load: () => import('./roles/all.js') },
  api: { summary: 'the HTTP API (every bundle, or --bundle <area>)', load: () => import('./roles/api.js') },
  migrate: { summary: 'apply pending database migrations and exit', load: () => import('./roles/migrate.js') },
  realtime: { summary: 'the uWebSockets.js server for /ws (REALTIME_PORT), fed by Redis; run as many as you like', load: () => import('./roles/realtime.js') },
  jobs: { summary: 'the background job scheduler (JOBS_PORT); one leader at a time; --once <job> runs one job now', load: () => import('./roles/jobs.js') },
  generate: { summary: 'write a galaxy: --sectors N --seed S [--nexus M] [--force | --if-empty]', load: () => import('./roles/generate.js') },
  keys: { summary: 'access-token signing keys: rotate [--at ISO-time] | list | export-public <dir>', load: () => import('./roles/keys.js') },
  admin: {
    summary: 'admin accounts: create --username U --scopes admin:read,… [--email E] (prints a one-time enrollment link)',
    load: () => import('./roles/admin.js'),
  },
  region: {
    summary: 'the region registry (multi-regional mode): add --slug S --database-url URL … | list',
    load: () => import('./roles/region.js'),
  },
  regions: {
    summary: 'the region manager: creates, scales and heals regional servers through the Docker socket (DOCKER_SOCKET, REGIONS_DRIVER)',
    load: () => import('./roles/regions.js'),
  },
  stack: { summary: 'nginx + 2 api + realtime + jobs on this machine, no Docker (npm run stack)', load: () => import('./roles/stack.js') },
};

const PLANNED: string[] = [];

function usage(): string {
  const lines = Object.entries(ROLES).map(([name, role]) => `  ${name.padEnd(10)} ${role.summary}`);
  return `usage: sectorwars <role> [options]\n\nroles:\n${lines.join('\n')}\n`;
}

const [role, ...given] = process.argv.slice(2);
// `--region <slug>` means the same to every role: serve that region (multi-regional mode).
const rest = [...given];
const regionAt = rest.indexOf('--region');
if (regionAt >= 0 && role !== 'region') {
  const slug = rest[regionAt + 1];
  if (!slug || slug.startsWith('--')) {
    process.stderr.write('sectorwars: --region needs a region slug\n');
    process.exit(2);
  }
  process.env.REGION = slug;
  rest.splice(regionAt, 2);
}
if (!role || role === '--help' || role === '-h') {
  process.stdout.write(usage());
  process.exit(role ? 0 : 2);
}
const entry = ROLES[role];
if (!entry) {
  const hint = PLANNED.includes(role) ? `the "${role}" role is not part of this build yet` : `unknown role "${role}"`;
  process.stderr.write(`sectorwars: ${hint}\n\n${usage()}`);
  process.exit(2);
}

try {
  const module = await entry.load();
  await module.run(rest);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`sectorwars ${role}: ${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  if (err instanceof DataFolderInUseError) {
    process.stderr.write(`sectorwars ${role}: ${err.message}\n`);
    process.exit(75); // EX_TEMPFAIL
  }
  throw err;
}
