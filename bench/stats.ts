/**
 * Latency and throughput statistics. Samples are kept exactly (a growable Float64Array, 8 bytes
 * each: a million samples is 8 MB), so percentiles are exact, not bucketed estimates.
 */

export class Samples {
  private values = new Float64Array(1024);
  private length = 0;
  private sortedView: Float64Array | undefined;

  add(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
    this.sortedView = undefined;
  }

  get count(): number {
    return this.length;
  }

  /** The samples in ascending order (cached until the next add). */
  sorted(): Float64Array {
    this.sortedView ??= this.values.slice(0, this.length).sort();
    return this.sortedView;
  }

  summary(): LatencySummary {
    return summarize(this.sorted());
  }
}

/**
 * Nearest-rank percentile of ascending values: the smallest value with at least p% of the
 * samples at or below it. Always a value that was measured; NaN for no samples.
 */
export function percentile(sortedValues: ArrayLike<number>, p: number): number {
  const n = sortedValues.length;
  if (n === 0) return Number.NaN;
  if (p <= 0) return sortedValues[0] as number;
  const rank = Math.ceil((p / 100) * n);
  return sortedValues[Math.min(n, rank) - 1] as number;
}

export interface LatencySummary {
  count: number;
  mean: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(sortedValues: ArrayLike<number>): LatencySummary {
  const n = sortedValues.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sortedValues[i] as number;
  return {
    count: n,
    mean: n ? sum / n : Number.NaN,
    min: n ? (sortedValues[0] as number) : Number.NaN,
    p50: percentile(sortedValues, 50),
    p95: percentile(sortedValues, 95),
    p99: percentile(sortedValues, 99),
    max: n ? (sortedValues[n - 1] as number) : Number.NaN,
  };
}

/** One window of a timeline: when it starts (seconds since the run began) and what it saw. */
export interface WindowStat {
  t: number;
  count: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/** What a window of a timeline collects latencies into. */
interface LatencyBucket {
  add(latencyMs: number): void;
  readonly count: number;
}

/**
 * Latencies bucketed by when they completed, for "percentiles over time" and throughput per
 * window. Windows with nothing in them still appear (count 0), so a stall shows as a gap.
 * Subclasses choose the bucket: exact samples, or a log histogram for millions of deliveries.
 */
abstract class WindowedLatencies<B extends LatencyBucket> {
  private readonly windows: B[] = [];

  /** `endMs`: a sample landing exactly on the end belongs to the last window, not a new one. */
  constructor(
    readonly startMs: number,
    readonly windowMs = 1000,
    readonly endMs = Number.POSITIVE_INFINITY,
  ) {}

  protected abstract newBucket(): B;
  protected abstract percentiles(bucket: B): { p50: number; p95: number; p99: number };

  record(nowMs: number, latencyMs: number): void {
    const last = Math.ceil((this.endMs - this.startMs) / this.windowMs) - 1;
    const index = Math.min(last, Math.max(0, Math.floor((nowMs - this.startMs) / this.windowMs)));
    while (this.windows.length <= index) this.windows.push(this.newBucket());
    this.windows[index]!.add(latencyMs);
  }

  stats(): WindowStat[] {
    return this.windows.map((w, i) => ({
      t: ((i + 1) * this.windowMs) / 1000,
      count: w.count,
      perSecond: (w.count * 1000) / this.windowMs,
      ...this.percentiles(w),
    }));
  }
}

/** A timeline of exact samples (the actions scenario). */
export class Timeline extends WindowedLatencies<Samples> {
  protected newBucket(): Samples {
    return new Samples();
  }

  protected percentiles(bucket: Samples) {
    const sorted = bucket.sorted();
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
  }
}

/** Counts by key (status codes, error codes), reported largest first. */
export class Tally {
  private readonly counts = new Map<string, number>();

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  }
}

/** A rounded number for reports: ms to 2 decimals, rates to 1; NaN becomes null in JSON. */
export function round(value: number, digits = 2): number | null {
  if (!Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 && Number.isFinite(numerator) ? round(numerator / denominator, 3) : null;
}

/**
 * Latencies in logarithmic buckets (2% wide, from 1 µs to about 48 minutes), for streams too
 * large to keep every sample: a fan-out run delivers millions of messages. Percentiles are
 * reported as the upper edge of their bucket, so they overstate by less than 2%.
 */
export class LogHistogram {
  static readonly MIN_MS = 0.001;
  static readonly GROWTH = 1.02;
  private static readonly LOG_GROWTH = Math.log(LogHistogram.GROWTH);
  private readonly buckets = new Float64Array(1100);
  count = 0;
  private sum = 0;
  private maxValue = 0;
  private minValue = Number.POSITIVE_INFINITY;

  add(ms: number, n = 1): void {
    const v = Math.max(ms, LogHistogram.MIN_MS);
    const index = Math.min(this.buckets.length - 1, Math.ceil(Math.log(v / LogHistogram.MIN_MS) / LogHistogram.LOG_GROWTH - 1e-9));
    this.buckets[index]! += n;
    this.count += n;
    this.sum += ms * n;
    if (ms > this.maxValue) this.maxValue = ms;
    if (ms < this.minValue) this.minValue = ms;
  }

  /** Upper edge of the bucket holding the p-th percentile (nearest rank), capped at the largest sample. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return Math.min(this.maxValue, LogHistogram.MIN_MS * LogHistogram.GROWTH ** i);
    }
    return this.maxValue;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      mean: this.count ? this.sum / this.count : Number.NaN,
      min: this.count ? this.minValue : Number.NaN,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.count ? this.maxValue : Number.NaN,
    };
  }
}

/** A LogHistogram per window of time: delivery percentiles and rates over a fan-out run. */
export class HistogramTimeline extends WindowedLatencies<LogHistogram> {
  protected newBucket(): LogHistogram {
    return new LogHistogram();
  }

  protected percentiles(bucket: LogHistogram) {
    return { p50: bucket.percentile(50), p95: bucket.percentile(95), p99: bucket.percentile(99) };
  }
}
