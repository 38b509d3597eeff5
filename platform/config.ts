import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { NAMED_STATEMENTS_PER_CONNECTION } from './db/named-statements.js';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/**
 * The one config module. Every role parses the environment here and fails fast, naming the
 * variable that is wrong. Without DATABASE_URL the process runs in embedded mode (PGlite, an
 * in-process bus) and keeps its own generated secrets under DATA_DIR.
 */

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** What a rendered gateway may differ in from compose's (nginx/compose-gateway.ts): REGIONS_GATEWAY_OPTIONS. */
const gatewayOverrides = z.strictObject({
  prefix: z.string().min(1).optional(),
  httpPort: z.number().int().min(1).max(65535).optional(),
  httpsPort: z.number().int().min(1).max(65535).optional(),
  publicHost: z.string().min(1).optional(),
  certificate: z.string().min(1).optional(),
  certificateKey: z.string().min(1).optional(),
  webRoot: z.string().min(1).optional(),
  adminRoot: z.string().min(1).optional(),
  logTo: z.enum(['files', 'stdout']).optional(),
  user: z.string().min(1).optional(),
});

/** A duration such as `500ms`, `5s`, `15m`, `1h` or `1d`, in milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'must be a duration such as 500ms, 5s, 15m, 1h or 1d')
  .transform((s) => {
    const [, amount, unit] = /^([\d.]+)(ms|s|m|h|d)$/.exec(s)!;
    return Math.round(Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS]);
  })
  .refine((ms) => ms > 0, 'must be longer than zero');

/** `JOB_<NAME>_EVERY` / `JOB_<NAME>_TIMEOUT`: a job's cadence and time limit (the jobs role checks the names). */
const JOB_DURATION_KEY = /^JOB_([A-Z0-9_]+)_(EVERY|TIMEOUT)$/;

/**
 * Connections per process. An api process keeps its transactions short only if it has enough of
 * them: with 200 busy players on 2 cores, 20 gave a third more actions/s than 10 (bench/README.md).
 */
export const DEFAULT_DATABASE_POOL_SIZE = 20;

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: positiveInt.default(DEFAULT_DATABASE_POOL_SIZE),
  // statement texts each connection keeps prepared (platform/db/named-statements.ts); 0 behind a pooler that cannot keep them
  DATABASE_NAMED_STATEMENTS: z.coerce.number().int().min(0).max(10_000).default(NAMED_STATEMENTS_PER_CONNECTION),
  REGION_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]*$/)
    .default('sw:'),
  NEXUS_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  NEXUS_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]*$/)
    .optional(),
  REGION: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a region slug (lowercase letters, digits, dashes)')
    .optional(),
  GATE_SWEEP_AFTER_MS: positiveInt.default(3000),
  REPLICA_SLOT: positiveInt.max(64).optional(),
  // unset: the `regions` role uses the engine's default socket, and `all` runs no manager
  DOCKER_SOCKET: z.string().min(1).optional(),
  REGIONS_DRIVER: z.enum(['containers', 'swarm']).default('containers'),
  REGIONS_IMAGE: z.string().min(1).default('sectorwars:local'),
  REGIONS_DATABASE_SERVER_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  REGIONS_PORT_BASE: z.coerce.number().int().min(1024).max(60000).default(9100),
  REGIONS_SERVICE_HOST: z.string().min(1).default('127.0.0.1'),
  REGIONS_DUMP_DIR: z.string().min(1).optional(),
  REGIONS_DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,30}$/, 'must be lowercase letters, digits and underscores')
    .default('sectorwars_'),
  // The gateway the manager keeps routing to what runs: the file it renders (from the registry), how it reloads nginx
  REGIONS_GATEWAY_CONF: z.string().min(1).optional(),
  REGIONS_GATEWAY_PIDFILE: z.string().min(1).optional(),
  REGIONS_GATEWAY_MANAGER: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d+$/, 'must be host:port')
    .optional(),
  REGIONS_GATEWAY_OPTIONS: z
    .string()
    .transform((text, ctx) => {
      try {
        return gatewayOverrides.parse(JSON.parse(text));
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `must be a JSON object of gateway settings (${(err as Error).message.split('\n')[0]})` });
        return z.NEVER;
      }
    })
    .optional(),
  // Swarm placement constraints for every region service, comma-separated: node.labels.zone==eu,node.role==worker
  REGIONS_PLACEMENT: z.string().optional(),
  REGIONS_RECONCILE_EVERY: duration.default(5000),
  GATE_FAULT: z.enum(['after_depart', 'after_apply', 'after_home', 'after_finalize']).optional(),
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  REALTIME_HOST: z.string().min(1).optional(),
  REALTIME_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  REALTIME_PUBLIC_URL: z
    .string()
    .regex(/^(wss?:\/\/[^\s?#]+|\/[^\s?#]*)$/, 'must be a ws:// or wss:// URL, or a path such as /ws, without a query')
    .optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_SECRET_FILE: z.string().min(1).optional(),
  JWT_KEYS_DIR: z.string().min(1).optional(),
  JWT_ISSUER: z.string().min(1).default('sectorwars'),
  JWT_AUDIENCE: z.string().min(1).default('sectorwars'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(15 * 60),
  // Tokens carrying admin scopes live shorter than players' (docs/admin.md).
  ADMIN_ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(5 * 60),
  REFRESH_TOKEN_TTL_DAYS: positiveInt.default(30),
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  GAME_TIME_SCALE: z.coerce.number().positive().max(1_000_000).default(1),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALLOWED_ORIGINS: csv.optional(),
  TRUSTED_PROXIES: csv.default([]),
  BODY_LIMIT_BYTES: positiveInt.default(64 * 1024),
  COOKIE_SECURE: bool.optional(),
  RATE_LIMITS: bool.default(true),
  EVENT_STAMPS: bool.default(false),
  API_LIMIT_TOKEN_PER_MINUTE: positiveInt.default(120),
  API_LIMIT_ACCOUNT_PER_MINUTE: positiveInt.default(300),
  API_LIMIT_SESSION_PER_MINUTE: positiveInt.default(600),
  API_LIMIT_ANONYMOUS_PER_MINUTE: positiveInt.default(300),
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s?#]+$/, 'must be an http:// or https:// URL without a query')
    .optional(),
  JOBS_PORT: z.coerce.number().int().min(0).max(65535).default(8082),
  JOBS_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  NPC_TRADERS_PER_REGION: z.coerce.number().int().min(0).max(1000).default(4),
  NPC_PIRATES_PER_REGION: z.coerce.number().int().min(0).max(1000).default(3),
  PIRATE_ATTACK_RATE: z.coerce.number().min(0).max(1).default(0.3),
  OUTBOX_RETENTION_HOURS: positiveInt.default(72),
  // New-pilot protection; unset takes the catalog's default (game/catalog/combat.ts), 0 turns it off.
  NEW_PILOT_PROTECTION_NET_WORTH: z.coerce.number().int().min(0).max(1_000_000_000_000).optional(),
  NEW_PILOT_PROTECTION_HOURS: z.coerce.number().min(0).max(1_000_000).optional(),
  // What a new pilot starts with; unset takes the catalog's (game/catalog/new-pilot.ts). For demo worlds and tests.
  NEW_PILOT_CREDITS: z.coerce.number().int().min(0).max(1_000_000_000).optional(),
});

export type Env = z.input<typeof envSchema>;

/**
 * What the region manager passes on, as it has them, to the processes it starts: a token one
 * region issued must verify in every other, and game time, limits and origins must agree.
 */
export const REGION_FORWARDED_SETTINGS = [
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'ACCESS_TOKEN_TTL_SECONDS',
  'ADMIN_ACCESS_TOKEN_TTL_SECONDS',
  'GAME_TIME_SCALE',
  'LOG_LEVEL',
  'RATE_LIMITS',
  'ALLOWED_ORIGINS',
  'TRUSTED_PROXIES',
  'PUBLIC_URL',
  'COOKIE_SECURE',
  'NEW_PILOT_CREDITS',
  'NODE_ENV',
] as const;

export const OAUTH_PROVIDERS = ['github', 'google', 'discord'] as const;
export type OAuthProviderId = (typeof OAUTH_PROVIDERS)[number];

/**
 * A sign-in provider, enabled when OAUTH_<NAME>_CLIENT_ID and OAUTH_<NAME>_CLIENT_SECRET are both
 * set. The endpoints default to the provider's own; OAUTH_<NAME>_AUTHORIZE_URL, _TOKEN_URL,
 * _USER_URL (GitHub, Discord), _ISSUER and _JWKS_URL (Google) point elsewhere (a local
 * authorization server in tests).
 */
export interface OAuthProviderConfig {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  userUrl?: string;
  issuer?: string;
  jwksUrl?: string;
}

const OAUTH_DEFAULTS: Record<OAuthProviderId, Omit<OAuthProviderConfig, 'clientId' | 'clientSecret'>> = {
  github: {
    authorizeUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    userUrl: 'https://api.github.com/user',
  },
  google: {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    issuer: 'https://accounts.google.com',
    jwksUrl: 'https://www.googleapis.com/oauth2/v3/certs',
  },
  discord: {
    authorizeUrl: 'https://discord.com/oauth2/authorize',
    tokenUrl: 'https://discord.com/api/oauth2/token',
    userUrl: 'https://discord.com/api/users/@me',
  },
};

function oauthProviders(env: Record<string, string | undefined>): Partial<Record<OAuthProviderId, OAuthProviderConfig>> {
  const out: Partial<Record<OAuthProviderId, OAuthProviderConfig>> = {};
  const problems: string[] = [];
  for (const id of OAUTH_PROVIDERS) {
    const prefix = `OAUTH_${id.toUpperCase()}_`;
    const clientId = env[`${prefix}CLIENT_ID`];
    const clientSecret = env[`${prefix}CLIENT_SECRET`];
    if (!clientId && !clientSecret) continue;
    if (!clientId || !clientSecret) {
      problems.push(`${prefix}CLIENT_ID and ${prefix}CLIENT_SECRET: set both to enable ${id} sign-in, or neither`);
      continue;
    }
    const url = (name: string, fallback: string | undefined) => {
      const value = env[`${prefix}${name}`] ?? fallback;
      if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) problems.push(`${prefix}${name}: must be an http(s) URL`);
      return value;
    };
    const d = OAUTH_DEFAULTS[id];
    const userUrl = url('USER_URL', d.userUrl);
    const issuer = url('ISSUER', d.issuer);
    const jwksUrl = url('JWKS_URL', d.jwksUrl);
    out[id] = {
      clientId,
      clientSecret,
      authorizeUrl: url('AUTHORIZE_URL', d.authorizeUrl)!,
      tokenUrl: url('TOKEN_URL', d.tokenUrl)!,
      ...(userUrl ? { userUrl } : {}),
      ...(issuer ? { issuer } : {}),
      ...(jwksUrl ? { jwksUrl } : {}),
    };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

export interface Config {
  mode: 'embedded' | 'server';
  databaseUrl: string | undefined;
  /**
   * The region shard's own database (REGION_DATABASE_URL), which may be on another server; unset,
   * the region's tables live in DATABASE_URL beside the accounts (single-server mode).
   */
  regionDatabaseUrl: string | undefined;
  databasePoolSize: number;
  /** statement texts each PostgreSQL connection keeps prepared; 0 sends every statement unnamed (a transaction pooler) */
  databaseNamedStatements: number;
  redisUrl: string | undefined;
  redisPrefix: string;
  /**
   * Multi-regional mode (issue 20): the region this process serves (REGION, or `--region` on the
   * api, jobs and realtime roles), whose database the registry on the nexus names; the nexus bus
   * for what crosses regions (NEXUS_REDIS_URL/NEXUS_REDIS_PREFIX, by default the regional bus);
   * how long a gate transfer may stay half-way before the sweeper takes it over; and, for the
   * fault-proof tests only, the hand-off step after which the driving process kills itself
   * (GATE_FAULT, refused in production).
   */
  regions: {
    region: string | undefined;
    nexusRedisUrl: string | undefined;
    nexusRedisPrefix: string;
    sweepAfterMs: number;
    fault: 'after_depart' | 'after_apply' | 'after_home' | 'after_finalize' | undefined;
  };
  /**
   * The `regions` role, the region manager (issue 21), the one process that holds the Docker
   * socket (DOCKER_SOCKET): containers on one engine or Swarm services (REGIONS_DRIVER), all
   * from one local image that is never pulled (REGIONS_IMAGE); each new region's database made on
   * REGIONS_DATABASE_SERVER_URL; each region's processes on a block of host ports from
   * REGIONS_PORT_BASE, reached at REGIONS_SERVICE_HOST; final dumps of deleted regions in
   * REGIONS_DUMP_DIR (DATA_DIR/region-dumps); the reconcile loop's pace. Each region's database is
   * REGIONS_DATABASE_PREFIX + its slug; on Swarm, REGIONS_PLACEMENT constrains where its tasks run.
   */
  manager: {
    dockerSocket: string;
    /**
     * DOCKER_SOCKET was set: `all` (the embedded game) is the region manager too and serves its
     * admin API on the game's origin. That process then holds the socket; no other does.
     */
    inProcess: boolean;
    driver: 'containers' | 'swarm';
    image: string;
    databaseServerUrl: string | undefined;
    portBase: number;
    serviceHost: string;
    dumpDir: string;
    databasePrefix: string;
    /**
     * The gateway kept in line with the registry (REGIONS_GATEWAY_*): the nginx config rendered to
     * `conf` after every change, then nginx reloaded — SIGHUP to the pid in `pidfile`, or else to
     * every running container labelled sectorwars.gateway. `manager`: where the gateway reaches
     * this manager's admin API. Unset `conf`: the operator renders the gateway by hand.
     */
    gateway: { conf: string | undefined; pidfile: string | undefined; manager: string | undefined; options: z.infer<typeof gatewayOverrides> };
    /** Swarm placement constraints (`node.labels.zone==eu`), for every region service */
    placement: string[];
    reconcileEveryMs: number;
    /** the settings every region's processes must share with the nexus (REGION_FORWARDED_SETTINGS), as set here */
    forwarded: Record<string, string>;
  };
  host: string;
  port: number;
  /** The `realtime` role's listener, and the WebSocket URL clients are sent to with their ticket. */
  realtime: { host: string; port: number; publicUrl: string };
  /**
   * `secret` derives the refresh-token rotation key (and, in server mode without `keysDir`, the
   * one ES256 key); `keysDir` holds the ES256 signing keys (platform/keys.ts): JWT_KEYS_DIR, or
   * DATA_DIR/keys in embedded mode.
   */
  jwt: { secret: string; keysDir: string | undefined; issuer: string; audience: string; accessTtlSeconds: number; adminAccessTtlSeconds: number };
  refreshTokenTtlDays: number;
  /** How long a just-rotated refresh token still gets its successor (two tabs refreshing at once) instead of revoking the session. */
  refreshReuseGraceSeconds: number;
  gameTimeScale: number;
  /** NEW_PILOT_PROTECTION_*: undefined means the catalog's default; 0 turns protection off */
  newPilotProtection: { netWorth: number | undefined; hours: number | undefined };
  /** NEW_PILOT_CREDITS: undefined means the catalog's starting credits */
  newPilotCredits: number | undefined;
  dataDir: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  allowedOrigins: string[];
  trustedProxies: string[];
  bodyLimitBytes: number;
  cookieSecure: boolean;
  rateLimits: boolean;
  /**
   * EVENT_STAMPS: events on the bus carry `hops` (when published, received and sent by realtime,
   * ms since epoch) for the fanout bench's per-hop breakdown. Off by default: it costs a string
   * splice per event, and clients see one more (optional) field.
   */
  eventStamps: boolean;
  /** Where players reach the server (OAuth redirect URIs are built on it): PUBLIC_URL, or http://localhost:PORT. */
  publicUrl: string;
  /** The sign-in providers that are configured, and only those. */
  oauth: Partial<Record<OAuthProviderId, OAuthProviderConfig>>;
  /**
   * Requests a minute on /api (platform/http/api-limits.ts): per personal access token, per
   * account over all its tokens, per signed-in session, and per address without a bearer.
   */
  apiLimits: { tokenPerMinute: number; accountPerMinute: number; sessionPerMinute: number; anonymousPerMinute: number };
  /**
   * The jobs process. `every`/`timeoutMs` override a job's own defaults (JOB_<NAME>_EVERY,
   * JOB_<NAME>_TIMEOUT); `every` is game time for game-time jobs (market-drift, npc-traders).
   */
  jobs: {
    port: number;
    leaseSeconds: number;
    /** by job name (`market-drift`), from JOB_<NAME>_EVERY */
    every: Record<string, number>;
    timeoutMs: Record<string, number>;
    npcTradersPerRegion: number;
    /** pirates per region (NPC_PIRATES_PER_REGION) and the chance a pirate raids a weak trader in its sector each game hour (PIRATE_ATTACK_RATE) */
    npcPiratesPerRegion: number;
    pirateAttackRate: number;
    outboxRetentionHours: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as most shells and compose files produce them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const jobDurations = parseJobDurations(cleaned);
  const mode = e.DATABASE_URL ? 'server' : 'embedded';
  if (e.REGION && !e.DATABASE_URL) {
    throw new ConfigError(['REGION: multi-regional mode needs DATABASE_URL (the accounts database on the nexus, which holds the region registry)']);
  }
  if (e.GATE_FAULT && cleaned.NODE_ENV === 'production') {
    throw new ConfigError(['GATE_FAULT: a fault-injection setting for tests, refused in production']);
  }
  if (e.REGION_DATABASE_URL && !e.DATABASE_URL) {
    throw new ConfigError(['REGION_DATABASE_URL: needs DATABASE_URL (the accounts database) too; embedded mode keeps both in one PGlite folder']);
  }
  const dataDir = path.resolve(e.DATA_DIR);

  let secret = e.JWT_SECRET;
  if (!secret && e.JWT_SECRET_FILE) {
    secret = readSecretFile(e.JWT_SECRET_FILE);
  }
  if (!secret) {
    if (mode === 'server') {
      throw new ConfigError(['JWT_SECRET: required when DATABASE_URL is set (or give JWT_SECRET_FILE); generate one with `openssl rand -base64 48`']);
    }
    secret = embeddedSecret(dataDir);
  }

  // A Swarm replica on the host network cannot share its siblings' port: slot n (REPLICA_SLOT, from {{.Task.Slot}}) takes PORT + n - 1.
  const port = e.PORT + (e.REPLICA_SLOT ?? 1) - 1;
  // Embedded mode is a personal server: listen on loopback unless told otherwise.
  const host = e.HOST ?? (mode === 'embedded' ? '127.0.0.1' : '0.0.0.0');
  return {
    mode,
    databaseUrl: e.DATABASE_URL,
    regionDatabaseUrl: e.REGION_DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseNamedStatements: e.DATABASE_NAMED_STATEMENTS,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    regions: {
      region: e.REGION,
      nexusRedisUrl: e.NEXUS_REDIS_URL ?? e.REDIS_URL,
      nexusRedisPrefix: e.NEXUS_REDIS_PREFIX ?? e.REDIS_PREFIX,
      sweepAfterMs: e.GATE_SWEEP_AFTER_MS,
      fault: e.GATE_FAULT,
    },
    manager: {
      dockerSocket: e.DOCKER_SOCKET ?? '/var/run/docker.sock',
      inProcess: e.DOCKER_SOCKET !== undefined,
      driver: e.REGIONS_DRIVER,
      image: e.REGIONS_IMAGE,
      databaseServerUrl: e.REGIONS_DATABASE_SERVER_URL,
      portBase: e.REGIONS_PORT_BASE,
      serviceHost: e.REGIONS_SERVICE_HOST,
      dumpDir: path.resolve(e.REGIONS_DUMP_DIR ?? path.join(dataDir, 'region-dumps')),
      databasePrefix: e.REGIONS_DATABASE_PREFIX,
      gateway: {
        conf: e.REGIONS_GATEWAY_CONF ? path.resolve(e.REGIONS_GATEWAY_CONF) : undefined,
        pidfile: e.REGIONS_GATEWAY_PIDFILE,
        manager: e.REGIONS_GATEWAY_MANAGER,
        options: e.REGIONS_GATEWAY_OPTIONS ?? {},
      },
      placement: (e.REGIONS_PLACEMENT ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      reconcileEveryMs: e.REGIONS_RECONCILE_EVERY,
      forwarded: Object.fromEntries(REGION_FORWARDED_SETTINGS.flatMap((key) => (cleaned[key] ? [[key, cleaned[key]]] : []))),
    },
    host,
    port,
    // A path is resolved by the client against the API's origin: same origin under `all`, nginx's /ws in production.
    realtime: { host: e.REALTIME_HOST ?? host, port: e.REALTIME_PORT, publicUrl: e.REALTIME_PUBLIC_URL ?? '/ws' },
    jwt: {
      secret,
      keysDir: e.JWT_KEYS_DIR ? path.resolve(e.JWT_KEYS_DIR) : mode === 'embedded' ? path.join(dataDir, 'keys') : undefined,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      adminAccessTtlSeconds: Math.min(e.ADMIN_ACCESS_TOKEN_TTL_SECONDS, e.ACCESS_TOKEN_TTL_SECONDS),
    },
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE_SECONDS,
    gameTimeScale: e.GAME_TIME_SCALE,
    newPilotProtection: { netWorth: e.NEW_PILOT_PROTECTION_NET_WORTH, hours: e.NEW_PILOT_PROTECTION_HOURS },
    newPilotCredits: e.NEW_PILOT_CREDITS,
    dataDir,
    logLevel: e.LOG_LEVEL,
    allowedOrigins: e.ALLOWED_ORIGINS ?? [`http://localhost:${port}`, `http://127.0.0.1:${port}`, 'http://localhost:5173'],
    trustedProxies: e.TRUSTED_PROXIES,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    cookieSecure: e.COOKIE_SECURE ?? mode === 'server',
    rateLimits: e.RATE_LIMITS,
    eventStamps: e.EVENT_STAMPS,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    oauth: oauthProviders(cleaned),
    apiLimits: {
      tokenPerMinute: e.API_LIMIT_TOKEN_PER_MINUTE,
      accountPerMinute: e.API_LIMIT_ACCOUNT_PER_MINUTE,
      sessionPerMinute: e.API_LIMIT_SESSION_PER_MINUTE,
      anonymousPerMinute: e.API_LIMIT_ANONYMOUS_PER_MINUTE,
    },
    jobs: {
      port: e.JOBS_PORT,
      leaseSeconds: e.JOBS_LEASE_SECONDS,
      every: jobDurations.EVERY,
      timeoutMs: jobDurations.TIMEOUT,
      npcTradersPerRegion: e.NPC_TRADERS_PER_REGION,
      npcPiratesPerRegion: e.NPC_PIRATES_PER_REGION,
      pirateAttackRate: e.PIRATE_ATTACK_RATE,
      outboxRetentionHours: e.OUTBOX_RETENTION_HOURS,
    },
  };
}

function parseJobDurations(env: Record<string, unknown>): Record<'EVERY' | 'TIMEOUT', Record<string, number>> {
  const settings = { EVERY: {} as Record<string, number>, TIMEOUT: {} as Record<string, number> };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    const match = JOB_DURATION_KEY.exec(key);
    if (!match) continue;
    const parsed = duration.safeParse(value);
    if (!parsed.success) problems.push(`${key}: ${parsed.error.issues[0]?.message ?? 'is not a duration'}`);
    else settings[match[2] as 'EVERY' | 'TIMEOUT'][match[1]!.toLowerCase().replace(/_/g, '-')] = parsed.data;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

function readSecretFile(file: string): string {
  let value: string;
  try {
    value = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError([`JWT_SECRET_FILE: cannot read ${file} (${(err as Error).message})`]);
  }
  if (value.length < 32) throw new ConfigError(['JWT_SECRET_FILE: the secret must be at least 32 characters']);
  return value;
}

/** Embedded mode makes its own signing secret on first start and keeps it across restarts. */
function embeddedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { jwtSecret?: string };
    if (stored.jwtSecret && stored.jwtSecret.length >= 32) return stored.jwtSecret;
  }
  mkdirSync(dataDir, { recursive: true });
  const jwtSecret = randomBytes(48).toString('base64url');
  writeFileSync(file, JSON.stringify({ jwtSecret }, null, 2), { mode: 0o600 });
  return jwtSecret;
}

/** Multi-regional mode: this process serves one region of several, each in its own database (REGION). */
export function isMultiRegional(config: Pick<Config, 'regions'>): boolean {
  return config.regions.region !== undefined;
}
