export { createApiClient, isTotpChallenge, type ApiClient, type ApiClientOptions } from './api.js';
export { newActionKey } from './action-key.js';
export { ApiError, isAbort, type FieldError, type ProblemCode } from './errors.js';
export type { Region } from './region.js';
export type * from './contract.js';
export {
  connectRealtime,
  CLOSE_CODES,
  type ClientFrame,
  type LinkState,
  type LinkStatus,
  type RealtimeFrame,
  type RealtimeLink,
  type RealtimeOptions,
  type SocketLike,
} from './realtime.js';
