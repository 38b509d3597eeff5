import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { AdmissionWindow, Bus, MessageHandler, SubscriptionState } from './bus.js';

const INCREMENT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

const DEL_IF_EQUALS_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// KEYS: one sorted set of attempt times per window. ARGV: now, this attempt's member, then limit
// and window length per key. Refused attempts are not recorded, so they never push the wait back.
const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local waits = {}
local full = false
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  waits[i] = 0
  if count >= limit then
    local leaving = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    waits[i] = tonumber(leaving[2]) + window - now
    full = true
  end
end
if not full then
  for i, key in ipairs(KEYS) do
    redis.call('ZADD', key, now, ARGV[2])
    redis.call('PEXPIRE', key, ARGV[2 + 2 * i])
  end
end
return waits`;

// Redis's clock in microseconds (below 2^53 until the year 2255), never repeating or going back.
const SEQUENCE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if now <= last then now = last + 1 end
redis.call('SET', KEYS[1], string.format('%d', now), 'PX', ARGV[1])
return now`;
/** The last value only guards against a clock that stands still or steps back; the clock itself persists. */
const SEQUENCE_KEEP_MS = 3_600_000;

/**
 * The bus on Redis. Commands go through one connection; subscriptions through a second one
 * (a subscribed Redis connection can do nothing else). Every key and channel carries the
 * configured prefix so several deployments or test runs can share one Redis.
 */
export class RedisBus implements Bus {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  /** The connection dropped and is being re-made: commands fail at once instead of waiting it out. */
  private lost = false;
  private subscriber: Redis | undefined;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly stateListeners = new Set<(state: SubscriptionState) => void>();
  private subscriptionState: SubscriptionState = 'down';

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    this.redis = this.connect();
    this.redis.on('ready', () => (this.lost = false));
    this.redis.on('close', () => (this.lost = this.redis.status !== 'end'));
  }

  private connect(): Redis {
    const client = new Redis(this.url, {
      // Fail a command fast during an outage instead of queueing it forever; callers decide.
      maxRetriesPerRequest: 1,
      commandTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      lazyConnect: false,
      // Commands issued in the same tick (auth lookups, an action's events) share one write:
      // on a loaded machine the syscall per command, not Redis, is the cost.
      enableAutoPipelining: true,
    });
    client.on('error', (err) => this.onError(err));
    return client;
  }

  /** The command connection; during an outage callers hear so at once (the API keeps answering without the bus). */
  private get client(): Redis {
    if (this.lost) throw new Error('the bus is unavailable: reconnecting to Redis');
    return this.redis;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(this.prefix + channel, message);
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    const subscriber = this.subscriberConnection();
    const full = this.prefix + channel;
    let set = this.handlers.get(full);
    if (!set) {
      set = new Set();
      this.handlers.set(full, set);
      if (channel.endsWith('*')) await subscriber.psubscribe(full);
      else await subscriber.subscribe(full);
    }
    set.add(handler);
    return async () => {
      const current = this.handlers.get(full);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) {
        this.handlers.delete(full);
        if (channel.endsWith('*')) await subscriber.punsubscribe(full);
        else await subscriber.unsubscribe(full);
      }
    };
  }

  private subscriberConnection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.connect();
    // ioredis re-subscribes by itself after a reconnect (autoResubscribe), sending the commands as
    // it becomes ready; a PING answered after them proves every subscription is live again.
    subscriber.on('ready', () => {
      subscriber.ping().then(
        () => this.setSubscriptionState('up'),
        () => {},
      );
    });
    subscriber.on('close', () => this.setSubscriptionState('down'));
    subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, channel, message));
    subscriber.on('pmessage', (pattern: string, channel: string, message: string) => this.dispatch(pattern, channel, message));
    this.subscriber = subscriber;
    return subscriber;
  }

  private setSubscriptionState(state: SubscriptionState): void {
    if (state === this.subscriptionState) return;
    this.subscriptionState = state;
    for (const listener of this.stateListeners) listener(state);
  }

  onSubscriptionChange(listener: (state: SubscriptionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private dispatch(key: string, channel: string, message: string): void {
    const handlers = this.handlers.get(key);
    if (!handlers) return;
    const bare = channel.slice(this.prefix.length);
    for (const handler of handlers) handler(message, bare);
  }

  async get(key: string): Promise<string | null> {
    return this.client.get(this.prefix + key);
  }

  async getMany(keys: string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    return this.client.mget(keys.map((key) => this.prefix + key));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs) await this.client.set(this.prefix + key, value, 'PX', ttlMs);
    else await this.client.set(this.prefix + key, value);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const result = await this.client.set(this.prefix + key, value, 'PX', ttlMs, 'NX');
    return result === 'OK';
  }

  async take(key: string): Promise<string | null> {
    return this.client.getdel(this.prefix + key);
  }

  async del(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }

  async delIfEquals(key: string, value: string): Promise<boolean> {
    return Number(await this.client.eval(DEL_IF_EQUALS_SCRIPT, 1, this.prefix + key, value)) === 1;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const count = await this.client.eval(INCREMENT_SCRIPT, 1, this.prefix + key, String(ttlMs));
    return Number(count);
  }

  async admit(windows: AdmissionWindow[], nowMs: number): Promise<number[]> {
    if (windows.length === 0) return [];
    const keys = windows.map((w) => this.prefix + w.key);
    const args = [String(nowMs), `${nowMs}:${randomBytes(6).toString('base64url')}`, ...windows.flatMap((w) => [String(w.limit), String(w.windowMs)])];
    const waits = (await this.client.eval(ADMIT_SCRIPT, keys.length, ...keys, ...args)) as number[];
    return waits.map(Number);
  }

  async sequence(key: string): Promise<number> {
    return Number(await this.client.eval(SEQUENCE_SCRIPT, 1, this.prefix + key, String(SEQUENCE_KEEP_MS)));
  }

  async sortedAdd(key: string, member: string, score: number, ttlMs: number): Promise<void> {
    const full = this.prefix + key;
    await this.client.pipeline().zadd(full, score, member).pexpire(full, ttlMs).exec().then(failOnError);
  }

  async sortedRemove(key: string, member: string): Promise<void> {
    await this.client.zrem(this.prefix + key, member);
  }

  async sortedRange(key: string, minScore: number, limit: number): Promise<string[]> {
    return this.client.zrangebyscore(this.prefix + key, minScore, '+inf', 'LIMIT', 0, limit);
  }

  async sortedPrune(key: string, maxScore: number): Promise<void> {
    await this.client.zremrangebyscore(this.prefix + key, '-inf', `(${maxScore}`);
  }

  async pushCapped(key: string, value: string, maxLength: number, ttlMs: number): Promise<void> {
    const full = this.prefix + key;
    await this.client
      .pipeline()
      .lpush(full, value)
      .ltrim(full, 0, maxLength - 1)
      .pexpire(full, ttlMs)
      .exec()
      .then(failOnError);
  }

  async newest(key: string, count: number): Promise<string[]> {
    return this.client.lrange(this.prefix + key, 0, count - 1);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    this.subscriber?.disconnect();
  }
}

/** A pipeline resolves even when its commands failed; the caller should hear about the first failure. */
function failOnError(results: Array<[Error | null, unknown]> | null): void {
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0];
}
