import type { AdmissionWindow, Bus, MessageHandler, SubscriptionState } from './bus.js';

interface Expiring<T> {
  value: T;
  expiresAt: number;
}
type Entry = Expiring<string>;

/** The embedded bus: one process, so a Map and a set of listeners are the whole story. */
export class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly sortedSets = new Map<string, Expiring<Map<string, number>>>();
  private readonly lists = new Map<string, Expiring<string[]>>();
  /** Admission windows: the times of the attempts recorded, oldest first. */
  private readonly attempts = new Map<string, Expiring<number[]>>();
  private readonly listeners = new Set<{ channel: string; handler: MessageHandler }>();
  private readonly sequences = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async publish(channel: string, message: string): Promise<void> {
    for (const { channel: pattern, handler } of this.listeners) {
      if (matches(pattern, channel)) {
        // Delivered on a later tick, as with Redis, so publishers never run subscriber code inline.
        queueMicrotask(() => handler(message, channel));
      }
    }
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    const listener = { channel, handler };
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async get(key: string): Promise<string | null> {
    return this.read(key)?.value ?? null;
  }

  async getMany(keys: string[]): Promise<(string | null)[]> {
    return keys.map((key) => this.read(key)?.value ?? null);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: ttlMs ? this.now() + ttlMs : Infinity });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.read(key)) return false;
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    return true;
  }

  async take(key: string): Promise<string | null> {
    const entry = this.read(key);
    this.entries.delete(key);
    return entry?.value ?? null;
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
    this.sortedSets.delete(key);
    this.lists.delete(key);
    this.attempts.delete(key);
  }

  async delIfEquals(key: string, value: string): Promise<boolean> {
    if (this.read(key)?.value !== value) return false;
    this.entries.delete(key);
    return true;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = this.read(key);
    const count = entry ? Number(entry.value) + 1 : 1;
    this.entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? this.now() + ttlMs });
    return count;
  }

  async admit(windows: AdmissionWindow[], nowMs: number): Promise<number[]> {
    const recorded = windows.map((w) => {
      const times = (live(this.attempts, w.key, this.now())?.value ?? []).filter((at) => at > nowMs - w.windowMs);
      this.attempts.set(w.key, { value: times, expiresAt: this.now() + w.windowMs });
      return times;
    });
    const waits = windows.map((w, i) => {
      const times = recorded[i]!;
      return times.length < w.limit ? 0 : times[times.length - w.limit]! + w.windowMs - nowMs;
    });
    if (waits.every((wait) => wait === 0)) for (const times of recorded) times.push(nowMs);
    return waits;
  }

  async sequence(key: string): Promise<number> {
    const next = Math.max(this.now() * 1000, (this.sequences.get(key) ?? 0) + 1);
    this.sequences.set(key, next);
    return next;
  }

  async sortedAdd(key: string, member: string, score: number, ttlMs: number): Promise<void> {
    const members = live(this.sortedSets, key, this.now())?.value ?? new Map<string, number>();
    members.set(member, score);
    this.sortedSets.set(key, { value: members, expiresAt: this.now() + ttlMs });
  }

  async sortedRemove(key: string, member: string): Promise<void> {
    live(this.sortedSets, key, this.now())?.value.delete(member);
  }

  async sortedRange(key: string, minScore: number, limit: number): Promise<string[]> {
    const members = live(this.sortedSets, key, this.now())?.value;
    if (!members) return [];
    return [...members]
      .filter(([, score]) => score >= minScore)
      .sort(([a, sa], [b, sb]) => sa - sb || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([member]) => member);
  }

  async sortedPrune(key: string, maxScore: number): Promise<void> {
    const members = live(this.sortedSets, key, this.now())?.value;
    if (!members) return;
    for (const [member, score] of members) if (score < maxScore) members.delete(member);
  }

  async pushCapped(key: string, value: string, maxLength: number, ttlMs: number): Promise<void> {
    const items = live(this.lists, key, this.now())?.value ?? [];
    items.unshift(value);
    items.length = Math.min(items.length, maxLength);
    this.lists.set(key, { value: items, expiresAt: this.now() + ttlMs });
  }

  async newest(key: string, count: number): Promise<string[]> {
    return (live(this.lists, key, this.now())?.value ?? []).slice(0, count);
  }

  onSubscriptionChange(_listener: (state: SubscriptionState) => void): () => void {
    return () => {};
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.listeners.clear();
  }

  private read(key: string): Entry | undefined {
    return live(this.entries, key, this.now());
  }

  private sweep(): void {
    const now = this.now();
    for (const map of [this.entries, this.sortedSets, this.lists, this.attempts] as Array<Map<string, Expiring<unknown>>>) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
  }
}

function live<T>(map: Map<string, Expiring<T>>, key: string, now: number): Expiring<T> | undefined {
  const entry = map.get(key);
  if (entry && entry.expiresAt <= now) {
    map.delete(key);
    return undefined;
  }
  return entry;
}

function matches(pattern: string, channel: string): boolean {
  return pattern.endsWith('*') ? channel.startsWith(pattern.slice(0, -1)) : pattern === channel;
}
