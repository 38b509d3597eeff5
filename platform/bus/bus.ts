/**
 * The bus carries what processes share that is not durable game state: published events,
 * short-lived keys (tickets, caches, revocations) and rate-limit counters. Redis when
 * REDIS_URL is set, an in-process implementation otherwise; callers never know which.
 */
export type MessageHandler = (message: string, channel: string) => void;

/** The subscription connection's health: 'down' when it is lost, 'up' once every subscription is live again. */
export type SubscriptionState = 'up' | 'down';

/** A sliding-window limit: at most `limit` attempts recorded under `key` in any `windowMs`. */
export interface AdmissionWindow {
  key: string;
  limit: number;
  windowMs: number;
}

export interface Bus {
  readonly kind: 'redis' | 'memory';
  publish(channel: string, message: string): Promise<void>;
  /** Subscribe to a channel, or to a pattern when it ends with `*`. Returns the unsubscribe. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
  get(key: string): Promise<string | null>;
  getMany(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Set only when absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Read and delete in one step: single-use values such as tickets. */
  take(key: string): Promise<string | null>;
  del(key: string): Promise<void>;
  /** Delete only while the key still holds `value`, so a successor's entry is never removed; true when deleted. */
  delIfEquals(key: string, value: string): Promise<boolean>;
  /** Increment a counter that expires ttlMs after its first increment; returns the new count. */
  increment(key: string, ttlMs: number): Promise<number>;
  /**
   * One attempt against sliding-window limits, atomically: when every window has room the attempt
   * is recorded in all of them; when any is full it is recorded in none. Returns, per window, the
   * milliseconds until it has room for one more (0 when it had room).
   */
  admit(windows: AdmissionWindow[], nowMs: number): Promise<number[]>;
  /**
   * A number greater than any this key gave before, across processes and across a restart of
   * Redis without persistence: the bus's own clock in microseconds, moved past the last one given.
   * Orders events (connections opening) the same way for every process.
   */
  sequence(key: string): Promise<number>;
  /** Sorted sets (presence): add or re-score a member; the whole set expires ttlMs after its last add. */
  sortedAdd(key: string, member: string, score: number, ttlMs: number): Promise<void>;
  sortedRemove(key: string, member: string): Promise<void>;
  /** Members scored at least `minScore`, lowest score first, at most `limit` of them. */
  sortedRange(key: string, minScore: number, limit: number): Promise<string[]>;
  /** Drop the members scored below `maxScore`. */
  sortedPrune(key: string, maxScore: number): Promise<void>;
  /** Capped lists (chat history): push to the front, keep the newest `maxLength`; expires ttlMs after the last push. */
  pushCapped(key: string, value: string, maxLength: number, ttlMs: number): Promise<void>;
  /** The newest `count` entries of a capped list, newest first. */
  newest(key: string, count: number): Promise<string[]>;
  /** Follow the subscription connection; the memory bus never goes down. Returns the unfollow. */
  onSubscriptionChange(listener: (state: SubscriptionState) => void): () => void;
  ping(): Promise<void>;
  close(): Promise<void>;
}
