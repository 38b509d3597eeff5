/**
 * The jobs' sense of time: when it is, and timers. Production runs on the system clock; tests of
 * leases, runs and the scheduler hand in a ManualClock and move it forward, instead of sleeping
 * through real leases and timeouts.
 */
export interface Clock {
  /** ms since the epoch */
  now(): number;
  /** call `fn` once after `ms`; returns a cancel function */
  after(ms: number, fn: () => void): () => void;
  /** call `fn` every `ms`; returns a cancel function */
  every(ms: number, fn: () => void): () => void;
  /** resolves after `ms`, or rejects with the signal's reason if it aborts first */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
  sleep: (ms, signal) => sleepOn(systemClock, ms, signal),
};

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      cancel();
      reject(signal!.reason as Error);
    };
    const cancel = clock.after(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Timer {
  at: number;
  every: number | null;
  fn: () => void;
  order: number;
}

/** A clock that moves only when told to: `advance()` fires every timer that falls due, in time order. */
export class ManualClock implements Clock {
  private current: number;
  private timers = new Set<Timer>();
  private order = 0;

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): () => void {
    return this.add({ at: this.current + Math.max(0, ms), every: null, fn, order: this.order++ });
  }

  every(ms: number, fn: () => void): () => void {
    return this.add({ at: this.current + ms, every: Math.max(1, ms), fn, order: this.order++ });
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /**
   * Move time forward by `ms`, firing what falls due on the way; between firings the work they
   * started (database round trips included) gets `settle` to run, so a tick sees the previous
   * tick's effects as it would in real time.
   */
  async advance(ms: number, settle: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve))): Promise<void> {
    const until = this.current + ms;
    for (;;) {
      const next = [...this.timers].filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      if (next.every === null) this.timers.delete(next);
      else next.at += next.every;
      next.fn();
      await settle();
    }
    this.current = until;
    await settle();
  }

  private add(timer: Timer): () => void {
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }
}
