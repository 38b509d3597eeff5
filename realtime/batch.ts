/**
 * Requests that arrive in the same turn of the event loop, answered by one load: when a
 * restarted realtime server's clients come back together, a thousand upgrades in one turn cost
 * one session check, one placement read and one replay query, not a thousand of each. A lone
 * request waits for nothing but the end of the current turn (setImmediate).
 */
export class Batcher<K, V> {
  private queue: Array<{ key: K; resolve: (value: V) => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    /** One value per key, in the keys' order. */
    private readonly load: (keys: K[]) => Promise<V[]>,
    private readonly max = 500,
  ) {}

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      if (this.queue.length >= this.max) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let loading: Promise<V[]>;
    try {
      loading = this.load(batch.map((b) => b.key));
    } catch (err) {
      loading = Promise.reject(err);
    }
    loading.then(
      (values) => {
        for (const [i, b] of batch.entries()) b.resolve(values[i]!);
      },
      (err: unknown) => {
        for (const b of batch) b.reject(err);
      },
    );
  }
}
