import type { components, paths } from './openapi.js';

/** The API's shapes under game names, all from the generated contract (client/openapi.d.ts). */
type Schemas = components['schemas'];

export type User = Schemas['User'];
export type AuthResponse = Schemas['AuthResponse'];
export type RegisterRequest = Schemas['RegisterRequest'];
/** A move into a gate whose far end another shard serves, answered while the pilot is still crossing (202). */
export type GateCrossing = Schemas['GateCrossing'];
export type LoginRequest = Schemas['LoginRequest'];
/** A sign-in that waits for its second factor (202 from login or an account link). */
export type TotpChallenge = Schemas['TotpChallenge'];
export type AdminScope = Schemas['AdminScope'];
export type AdminMe = Schemas['AdminMe'];
export type AdminAccount = Schemas['AdminAccount'];
export type AdminPlayerDetail = Schemas['AdminPlayerDetail'];
export type AdminAuditEntry = Schemas['AdminAuditEntry'];
export type AdminScopes = Schemas['AdminScopes'];
export type AdminScopeRequest = Schemas['AdminScopeRequest'];
export type AdminReport = Schemas['AdminReport'];
export type AdminTeam = Schemas['AdminTeam'];
export type AdminCombatLog = Schemas['AdminCombatLog'];
export type AdminCombatLogDetail = Schemas['AdminCombatLogDetail'];
export type AdminMoneySupply = Schemas['AdminMoneySupply'];
export type AdminCreditFlows = Schemas['AdminCreditFlows'];
export type AdminTopEarners = Schemas['AdminTopEarners'];
export type AdminPrices = Schemas['AdminPrices'];
export type AdminPriceHistory = Schemas['AdminPriceHistory'];
export type AdminNpcActivity = Schemas['AdminNpcActivity'];
export type AdminOnline = Schemas['AdminOnline'];
export type AdminSectorActivity = Schemas['AdminSectorActivity'];
export type AdminJobs = Schemas['AdminJobs'];
export type AdminGalaxyMap = Schemas['AdminGalaxyMap'];
export type AdminGalaxyPreview = Schemas['AdminGalaxyPreview'];
export type AdminRegionPreview = Schemas['AdminRegionPreview'];
export type AdminGenerateJob = Schemas['AdminGenerateJob'];
export type AdminSectorWarps = Schemas['AdminSectorWarps'];
export type AdminPort = Schemas['AdminPort'];
export type AdminRegions = Schemas['AdminRegions'];
export type AdminRegionHealth = Schemas['AdminRegionHealth'];
export type AdminRegionJob = Schemas['AdminRegionJob'];
export type AdminPlanetType = NonNullable<Schemas['AdminPlanetEditRequest']['planet_type']>;
export type LedgerEntry = Schemas['LedgerEntry'];
export type Player = Schemas['Player'];
export type Ship = Schemas['Ship'];
export type Cargo = Schemas['Cargo'];
export type PlayerState = Schemas['PlayerState'];
export type Commodity = Schemas['Commodity'];
export type Sector = Schemas['Sector'];
export type SectorLookup = Schemas['SectorLookup'];
export type Port = NonNullable<Schemas['Port']>;
export type PortGood = Schemas['PortGood'];
export type Hop = Schemas['Hop'];
export type MoveResult = Schemas['MoveResult'];
export type KnownMap = Schemas['KnownMap'];
export type KnownSector = KnownMap['sectors'][number];
export type Course = Schemas['Course'];
export type AutopilotResult = Schemas['AutopilotResult'];
export type TradeSide = Schemas['TradeQuote']['side'];
export type TradeOrder = Schemas['TradeRequest'];
export type TradeQuote = Schemas['TradeQuote'];
export type TradeResult = Schemas['TradeResult'];
export type GameEvent = Schemas['Event'];
export type EventPage = Schemas['EventPage'];
export type Rankings = Schemas['Rankings'];
export type RankingEntry = Schemas['RankingEntry'];
export type RealtimeTicket = Schemas['RealtimeTicket'];
export type PortReport = Schemas['PortReport'];
export type SeenPort = Schemas['SeenPort'];
export type RouteReport = Schemas['RouteReport'];
export type TradeRoute = Schemas['TradeRoute'];
export type RouteLeg = NonNullable<Schemas['RouteLeg']>;
export type Shipyard = Schemas['Shipyard'];
export type HullOffer = Schemas['HullOffer'];
export type EquipmentOffer = Schemas['EquipmentOffer'];
export type HullPurchaseResult = Schemas['HullPurchaseResult'];
export type EquipmentPurchaseResult = Schemas['EquipmentPurchaseResult'];
export type ScanResult = Schemas['ScanResult'];
export type ScannedShip = ScanResult['scan']['ships'][number];
export type Wreck = Schemas['Wreck'];
export type AttackResult = Schemas['AttackResult'];
export type CombatRound = Schemas['CombatRound'];
export type CombatLog = Schemas['CombatLog'];
export type SalvageResult = Schemas['SalvageResult'];
export type Team = Schemas['Team'];
export type TeamMember = Schemas['TeamMember'];
export type TeamList = Schemas['TeamList'];
export type TeamInvitation = Schemas['TeamInvitation'];
export type TeamLedgerEntry = Schemas['TeamLedgerEntry'];
export type TreasuryHistory = Schemas['TreasuryHistory'];
export type TeamRankings = Schemas['TeamRankings'];
export type TeamRankingEntry = Schemas['TeamRankingEntry'];
export type Message = Schemas['Message'];
export type MessagePage = Schemas['MessagePage'];
export type MailFolder = Message['folder'];
export type Planet = Schemas['Planet'];
export type PlanetSummary = Schemas['PlanetSummary'];
export type PlanetType = Schemas['PlanetType'];
export type PlanetResult = Schemas['PlanetResult'];
export type PlanetRankings = Schemas['PlanetRankings'];
export type RankingOrder = NonNullable<Query<'/api/v1/rankings', 'get'>['by']>;

type Method = 'get' | 'post' | 'delete';

/** The JSON a route answers with on success (200, 201, or 202 for work accepted to run in the background). */
export type Ok<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer J } } }
    ? J
    : R extends { 201: { content: { 'application/json': infer J } } }
      ? J
      : R extends { 202: { content: { 'application/json': infer J } } }
        ? J
        : never
  : never;

/** A route's query parameters. */
export type Query<P extends keyof paths, M extends Method> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** A route's JSON body. */
export type Body<P extends keyof paths, M extends Method> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type ApiPath = keyof paths;
