import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The typed shape of the two databases. Account tables (with the Central Nexus) and region
 * tables (one set per region shard) are kept apart: each has its own Kysely handle typed with
 * its own tables only, so a query that joins across the line does not compile, and no foreign
 * key crosses it. In single-server mode both handles point at one database.
 */

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

// ---- accounts -------------------------------------------------------------------------

export interface AccountTables {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  team_invitations: TeamInvitationsTable;
  team_transfers: TeamTransfersTable;
  team_ledger: TeamLedgerTable;
  messages: MessagesTable;
  message_blocks: MessageBlocksTable;
  reports: ReportsTable;
  broadcasts: BroadcastsTable;
  personal_access_tokens: PersonalAccessTokensTable;
  identities: IdentitiesTable;
  totp_recovery_codes: TotpRecoveryCodesTable;
  account_links: AccountLinksTable;
  scope_requests: ScopeRequestsTable;
  admin_audit: AdminAuditTable;
  chat_mutes: ChatMutesTable;
  region_registry: RegionRegistryTable;
  universe_plan: UniversePlanTable;
  pilot_homes: PilotHomesTable;
  // rankings across regions (migrations/accounts/0008_region_rankings.ts)
  region_rankings: RegionRankingsTable;
  region_services: RegionServicesTable;
}

/** What the region manager runs for a region (migrations/accounts/0009_region_services.ts). */
export interface RegionServicesTable {
  region_id: number;
  api_replicas: number;
  /** api replica i listens on port_base + i; realtime and jobs on the ports after the api block */
  port_base: number;
  /** the database the manager created for it, which deleting the region dumps and drops */
  database_name: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** One region's latest rankings snapshot row for one pilot, on the nexus (ranked across regions when read). */
export interface RegionRankingsTable {
  region_id: number;
  user_id: string;
  window_start: Timestamp;
  name: string;
  net_worth: number;
  experience: number;
}

export type UserStatus = 'active' | 'disabled';

/** A region shard of the multi-regional mode: where its database is and its internal addresses. */
export interface RegionRegistryTable {
  /** the galaxy's region id */
  id: number;
  slug: string;
  name: string;
  database_url: string | null;
  /** the environment variable holding the database URL (a secret reference), when the URL is not stored */
  database_url_env: string | null;
  /** host:port of its api replicas and realtime servers (nginx upstreams are rendered from these) */
  api_urls: ColumnType<string[], string[] | undefined, string[]>;
  realtime_urls: ColumnType<string[], string[] | undefined, string[]>;
  state: ColumnType<'active' | 'stopped', 'active' | 'stopped' | undefined, 'active' | 'stopped'>;
  created_at: CreatedAt;
}

/** The seed and parameters every shard cuts its region of the galaxy from. */
export interface UniversePlanTable {
  id: number;
  seed: string;
  params: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
}

/** Which region an account's pilot lives in; `moves` only grows (one per gate crossing). */
export interface PilotHomesTable {
  user_id: string;
  region_id: number;
  moves: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  /** Lower-cased; null for a provider sign-up that brought none (or one another account has). */
  email: string | null;
  /** Null for an account that signs in only through a provider (it can set one later). */
  password_hash: string | null;
  status: ColumnType<UserStatus, UserStatus | undefined, UserStatus>;
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  last_login_at: NullableTimestamp;
  /** The TOTP key, sealed (platform/totp.ts TotpVault); it signs nobody in until `totp_enabled_at` says a code confirmed it. */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled_at: NullableTimestamp;
  /** The last 30-second step a code was accepted for (each code is good once). */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  /** Why a `disabled` account is: suspended (until `disabled_until`) or banned. */
  disabled_reason: ColumnType<'suspended' | 'banned' | null, 'suspended' | 'banned' | null | undefined, 'suspended' | 'banned' | null>;
  disabled_until: NullableTimestamp;
  /** An admin forced a reset: the password no longer signs in; an account link sets a new one. */
  password_reset_required: ColumnType<boolean, boolean | undefined, boolean>;
}
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;

export interface RefreshTokensTable {
  id: Generated<number>;
  /** One login = one family; every rotation stays in it; the JWT `sid` claim names it. */
  family_id: string;
  user_id: string;
  /** SHA-256 of the opaque token, hex: the token itself is never stored. */
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  /** Set when the token is exchanged for a new one; presenting it again is reuse. */
  rotated_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /** Signed in with TOTP as well as the password: its access tokens carry the account's admin scopes. */
  second_factor: ColumnType<boolean, boolean | undefined, boolean>;
}

// ---- people: teams, their treasury, mail (issue 16) ---------------------------------------

export interface TeamsTable {
  id: Generated<number>;
  name: string;
  tag: string;
  leader_id: string | null;
  /** held >= 0 by a CHECK; moves only with a team_ledger row */
  treasury: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  disbanded_at: NullableTimestamp;
}

export interface TeamMembersTable {
  user_id: string;
  team_id: number;
  can_withdraw: ColumnType<boolean, boolean | undefined, boolean>;
  joined_at: CreatedAt;
}

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'cancelled';

export interface TeamInvitationsTable {
  id: Generated<number>;
  team_id: number;
  user_id: string;
  invited_by: string;
  status: ColumnType<InvitationStatus, InvitationStatus | undefined, InvitationStatus>;
  created_at: CreatedAt;
}

export type TransferKind = 'deposit' | 'withdraw' | 'payout';
export type TransferState = 'pending' | 'done' | 'failed';

/** Credits between a pilot (region ledger) and a treasury (team ledger), applied on each side under this id. */
export interface TeamTransfersTable {
  id: Generated<string>;
  team_id: number;
  user_id: string;
  kind: TransferKind;
  amount: number;
  state: ColumnType<TransferState, TransferState | undefined, TransferState>;
  created_at: CreatedAt;
  settled_at: NullableTimestamp;
  request_key: ColumnType<string | null, string | null | undefined, never>;
  request_hash: ColumnType<string | null, string | null | undefined, never>;
}

export interface TeamLedgerTable {
  id: Generated<number>;
  team_id: number;
  transfer_id: string;
  user_id: string;
  delta: number;
  balance_after: number;
  reason: string;
  created_at: CreatedAt;
}

export interface MessagesTable {
  id: Generated<number>;
  owner_id: string;
  folder: 'inbox' | 'sent';
  from_id: string;
  from_name: string;
  to_label: string;
  subject: ColumnType<string, string | undefined, string>;
  body: string;
  read_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface MessageBlocksTable {
  user_id: string;
  blocked_id: string;
  created_at: CreatedAt;
}

export interface ReportsTable {
  id: Generated<number>;
  reporter_id: string;
  kind: 'message' | 'chat';
  target: string;
  reported_id: string | null;
  reason: string;
  content: ColumnType<unknown, string, string>;
  status: ColumnType<'open' | 'resolved' | 'dismissed', 'open' | 'resolved' | 'dismissed' | undefined, 'open' | 'resolved' | 'dismissed'>;
  created_at: CreatedAt;
}

export interface BroadcastsTable {
  id: Generated<number>;
  user_id: string;
  body: string;
  created_at: CreatedAt;
}

/** A bot's bearer token: `swp_…`, scoped, expiring, revocable; only its hash is kept. */
export interface PersonalAccessTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  token_start: string;
  scopes: string[];
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}
export type PersonalAccessToken = Selectable<PersonalAccessTokensTable>;

/** A sign-in provider linked to an account (GitHub, Google, Discord), by the provider's own id. */
export interface IdentitiesTable {
  id: Generated<number>;
  user_id: string;
  provider: string;
  subject: string;
  email: string | null;
  display_name: string | null;
  created_at: CreatedAt;
}

// ---- admin identity and the audit log (issue 19) ---------------------------------------

export interface TotpRecoveryCodesTable {
  id: Generated<number>;
  user_id: string;
  /** SHA-256 of the code, hex: the codes are shown once */
  code_hash: string;
  created_at: CreatedAt;
  used_at: NullableTimestamp;
}

/** A one-time link: the CLI's enrollment link for a new admin, or an admin's forced password reset. */
export interface AccountLinksTable {
  id: Generated<number>;
  user_id: string;
  purpose: 'enroll' | 'reset';
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export type ScopeRequestStatus = 'pending' | 'approved' | 'rejected';

export interface ScopeRequestsTable {
  id: Generated<number>;
  user_id: string;
  scopes: string[];
  reason: string;
  requested_by: string;
  status: ColumnType<ScopeRequestStatus, ScopeRequestStatus | undefined, ScopeRequestStatus>;
  decided_by: string | null;
  created_at: CreatedAt;
  decided_at: NullableTimestamp;
}

/** One admin change, as it was: append-only (a trigger refuses UPDATE and DELETE). */
/** A pilot muted in chat until a time, or banned from chat (until null). */
export interface ChatMutesTable {
  user_id: string;
  until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  reason: string;
  muted_by: string | null;
  created_at: CreatedAt;
}

export interface AdminAuditTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  before: ColumnType<unknown, string | null | undefined, never>;
  after: ColumnType<unknown, string | null | undefined, never>;
  reason: string | null;
  request_id: string | null;
  /** the region audit-outbox row it was moved from; null for a change made account-side */
  source_id: ColumnType<string | null, string | null | undefined, never>;
}
export type AdminAuditRow = Selectable<AdminAuditTable>;

// ---- regions: the universe and the players' state in it ------------------------------

export interface RegionTables {
  galaxy: GalaxyTable;
  regions: RegionsTable;
  sectors: SectorsTable;
  warps: WarpsTable;
  ports: PortsTable;
  port_goods: PortGoodsTable;
  planets: PlanetsTable;
  ships: ShipsTable;
  players: PlayersTable;
  known_sectors: KnownSectorsTable;
  credit_ledger: CreditLedgerTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
  job_leases: JobLeasesTable;
  job_runs: JobRunsTable;
  ranking_snapshots: RankingSnapshotsTable;
  npc_traders: NpcTradersTable;
  combat_logs: CombatLogsTable;
  wrecks: WrecksTable;
  sector_defenses: SectorDefensesTable;
  price_snapshots: PriceSnapshotsTable;
  audit_outbox: AuditOutboxTable;
  gate_transfers: GateTransfersTable;
}

type Json = ColumnType<unknown, string, string>;

export interface GalaxyTable {
  id: number;
  seed: string;
  params: Json;
  sector_count: number;
  generated_at: CreatedAt;
  /** bumped by every admin warp or port edit: part of galaxyVersion, so every process re-reads the map */
  map_revision: ColumnType<number, number | undefined, number>;
}

export interface RegionsTable {
  id: number;
  slug: string;
  name: string;
  capital_sector_id: number;
  first_sector_id: number;
  last_sector_id: number;
}

export interface SectorsTable {
  id: number;
  region_id: number;
  name: string | null;
  x: number;
  y: number;
  zone: 'federation' | 'border' | 'frontier';
  fedspace: boolean;
}

export interface WarpsTable {
  from_sector_id: number;
  to_sector_id: number;
  region_id: number;
  gate: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface PortsTable {
  id: number;
  sector_id: number;
  region_id: number;
  name: string;
  port_class: number;
}

export interface PortGoodsTable {
  port_id: number;
  good: string;
  region_id: number;
  mode: 'buy' | 'sell';
  capacity: number;
  stock: number;
  fixed_price: ColumnType<boolean, boolean | undefined, boolean>;
  anchor_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PlanetsTable {
  id: Generated<number>;
  sector_id: number;
  region_id: number;
  name: string;
  planet_type: string;
  claimable: ColumnType<boolean, boolean | undefined, boolean>;
  owner_user_id: string | null;
  created_at: CreatedAt;
  colonists: ColumnType<number, number | undefined, number>;
  stock_ore: ColumnType<number, number | undefined, number>;
  stock_organics: ColumnType<number, number | undefined, number>;
  stock_equipment: ColumnType<number, number | undefined, number>;
  fighters: ColumnType<number, number | undefined, number>;
  shields: ColumnType<number, number | undefined, number>;
  /** percent of the colonists working on each product; the rest idle */
  alloc_ore: ColumnType<number, number | undefined, number>;
  alloc_organics: ColumnType<number, number | undefined, number>;
  alloc_equipment: ColumnType<number, number | undefined, number>;
  alloc_fighters: ColumnType<number, number | undefined, number>;
  citadel_level: ColumnType<number, number | undefined, number>;
  /** the citadel level under construction, done at `build_done_at` (both null when none) */
  building_level: ColumnType<number | null, number | null | undefined, number | null>;
  build_done_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** production is counted in whole game days from here */
  anchor_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ShipsTable {
  id: Generated<number>;
  owner_user_id: string;
  region_id: number;
  hull: string;
  holds: number;
  fighters: number;
  shields: number;
  cargo_ore: ColumnType<number, number | undefined, number>;
  cargo_organics: ColumnType<number, number | undefined, number>;
  cargo_equipment: ColumnType<number, number | undefined, number>;
  cargo_colonists: ColumnType<number, number | undefined, number>;
  mines: ColumnType<number, number | undefined, number>;
  genesis_torpedoes: ColumnType<number, number | undefined, number>;
  /** set while the ship crosses a gate to another shard (nothing else may change it then) */
  transit_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}
export type Ship = Selectable<ShipsTable>;

/** A gate hand-off as one shard sees it (migrations/region/0009_gate.ts). */
export interface GateTransfersTable {
  id: string;
  direction: 'out' | 'in';
  user_id: string;
  from_region_id: number;
  to_region_id: number;
  state: 'pending' | 'done' | 'rolled_back' | 'applied' | 'refused';
  payload: ColumnType<unknown, string, string>;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One engagement: both sides, the seed it ran on, and its rounds (game/combat.ts Engagement). */
export interface CombatLogsTable {
  id: string;
  region_id: number;
  sector_id: number;
  attacker_user_id: string;
  /** null for an attack on an unowned planet */
  defender_user_id: string | null;
  attacker_name: string;
  defender_name: string;
  seed: string;
  result: string;
  detail: Json;
  created_at: CreatedAt;
}

/** The cargo of a destroyed ship, salvageable in its sector until `expires_at`. */
export interface WrecksTable {
  id: string;
  region_id: number;
  sector_id: number;
  victim_name: string;
  combat_log_id: string;
  cargo_ore: ColumnType<number, number | undefined, number>;
  cargo_organics: ColumnType<number, number | undefined, number>;
  cargo_equipment: ColumnType<number, number | undefined, number>;
  cargo_colonists: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface PlayersTable {
  user_id: string;
  region_id: number;
  name: string;
  sector_id: number;
  ship_id: number;
  credits: number;
  turns: number;
  turns_anchor_at: Timestamp;
  experience: ColumnType<number, number | undefined, number>;
  alignment: ColumnType<number, number | undefined, number>;
  /** an NPC trader run by the jobs process (see npc_traders), not an account */
  npc: ColumnType<boolean, boolean | undefined, boolean>;
  /** the sector the pilot last flew in from (a retreat goes back there) */
  came_from: ColumnType<number | null, number | null | undefined, number | null>;
  /** the planet the pilot is landed on (any move clears it) */
  landed_planet_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** set while the pilot crosses a gate to another shard (nothing else may change it then) */
  transit_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** gate crossings so far (the nexus's pilot_homes.moves follows it) */
  moves: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
}
export type Player = Selectable<PlayersTable>;

/** Deployed fighters or mines: one stack per (sector, owner, kind); `team_id` set: team-owned. */
export interface SectorDefensesTable {
  id: string;
  region_id: number;
  sector_id: number;
  owner_user_id: string;
  owner_name: string;
  team_id: number | null;
  kind: string;
  quantity: number;
  mode: string | null;
  toll: number;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface KnownSectorsTable {
  user_id: string;
  sector_id: number;
  first_seen_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  snapshot: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface CreditLedgerTable {
  id: Generated<number>;
  user_id: string;
  delta: number;
  balance_after: number;
  reason: string;
  ref: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

/** The response of an action taken with an Idempotency-Key, written by that action's own commit. */
export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  response_status: number;
  /** exactly the text first sent, so a replay is byte for byte the same */
  response_text: string;
  created_at: CreatedAt;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  type: string;
  data: Json;
  created_at: CreatedAt;
  published_at: NullableTimestamp;
}

/** An admin change's audit row, written with the change, waiting to move to the accounts database. */
export interface AuditOutboxTable {
  id: string;
  at: CreatedAt;
  entry: Json;
}

// ---- background jobs ---------------------------------------------------------------------

/** Who leads the jobs processes; a lease that expires unless its owner renews it. */
export interface JobLeasesTable {
  name: string;
  owner: string;
  acquired_at: ColumnType<Date, Date | string | undefined, Date | string>;
  renewed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
}

export type JobRunStatus = 'running' | 'succeeded' | 'failed';
export type JobRunTrigger = 'schedule' | 'recovery' | 'manual';

/** One row per job window: the run record, and the fence that lets only its owner write. */
export interface JobRunsTable {
  job: string;
  window_start: Timestamp;
  status: JobRunStatus;
  trigger: JobRunTrigger;
  owner: string;
  attempts: ColumnType<number, number | undefined, number>;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_expires_at: Timestamp;
  finished_at: NullableTimestamp;
  stats: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
}
export type JobRun = Selectable<JobRunsTable>;

/** Each good's price band across the ports, once an hour (jobs/economy-snapshots.ts). */
export interface PriceSnapshotsTable {
  window_start: Timestamp;
  good: string;
  port_side: 'buy' | 'sell';
  ports: number;
  min_price: number;
  max_price: number;
  mean_price: number;
}

export interface RankingSnapshotsTable {
  window_start: Timestamp;
  user_id: string;
  name: string;
  net_worth: number;
  experience: number;
  networth_position: number;
  experience_position: number;
}

export interface NpcTradersTable {
  user_id: string;
  region_id: number;
  slot: number;
  created_at: CreatedAt;
}
