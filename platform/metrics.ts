import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per process. Metric names are part of the operators' contract (dashboards read
 * them), so they are declared here and nowhere else.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(role: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry, prefix: 'sectorwars_' });
  const httpRequests = new Counter({
    name: 'sectorwars_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'sectorwars_http_request_duration_seconds',
    help: 'HTTP request latency, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration };
}

/** What a realtime server reports, added to its process's registry (the `realtime` role's, or `all`'s). */
export interface RealtimeMetrics {
  connections: Gauge;
  opened: Counter;
  closed: Counter<'reason'>;
  refused: Counter<'reason'>;
  messagesIn: Counter<'type'>;
  messagesOut: Counter;
  resumeTokens: Counter<'outcome'>;
  replayed: Counter;
  deliveryLag: Histogram<'kind'>;
  busUp: Gauge;
  busReconnects: Counter;
  busPing: Gauge;
}

export function createRealtimeMetrics(registry: Registry): RealtimeMetrics {
  const registers = [registry];
  return {
    connections: new Gauge({ name: 'sectorwars_realtime_connections', help: 'Open WebSocket connections', registers }),
    opened: new Counter({ name: 'sectorwars_realtime_connections_opened_total', help: 'WebSocket connections opened', registers }),
    closed: new Counter({
      name: 'sectorwars_realtime_connections_closed_total',
      help: 'WebSocket connections closed, by cause: client (a close frame), idle (no pong), dropped (slow consumer or network), or the reason the server closed it',
      labelNames: ['reason'] as const,
      registers,
    }),
    refused: new Counter({
      name: 'sectorwars_realtime_upgrades_refused_total',
      help: 'WebSocket upgrades refused, by cause',
      labelNames: ['reason'] as const,
      registers,
    }),
    messagesIn: new Counter({
      name: 'sectorwars_realtime_messages_in_total',
      help: 'Frames received from clients, by type',
      labelNames: ['type'] as const,
      registers,
    }),
    messagesOut: new Counter({ name: 'sectorwars_realtime_messages_out_total', help: 'Frames sent to clients, counted per recipient', registers }),
    resumeTokens: new Counter({
      name: 'sectorwars_realtime_resume_tokens_total',
      help: 'Upgrades with a resume token instead of a ticket, by outcome (accepted, refused)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    replayed: new Counter({ name: 'sectorwars_realtime_replayed_events_total', help: 'Events replayed from the outbox on resume', registers }),
    deliveryLag: new Histogram({
      name: 'sectorwars_realtime_delivery_lag_seconds',
      help: 'From an event being written (or a chat line sent) to its fan-out here, through the bus',
      labelNames: ['kind'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    busUp: new Gauge({ name: 'sectorwars_realtime_bus_up', help: '1 while the bus subscription is live', registers }),
    busReconnects: new Counter({ name: 'sectorwars_realtime_bus_reconnects_total', help: 'Bus subscriptions restored after a loss', registers }),
    busPing: new Gauge({ name: 'sectorwars_realtime_bus_ping_seconds', help: 'Round trip of the last heartbeat ping to the bus', registers }),
  };
}

/** Connection-pool gauges, read at scrape time: in use, idle, and requests waiting for one. */
export function observePool(metrics: Metrics, pool: { totalCount: number; idleCount: number; waitingCount: number }): void {
  new Gauge({
    name: 'sectorwars_db_pool_connections',
    help: 'Database pool connections by state (waiting = queued requests)',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}

/** What the job scheduler reports, added to its process's registry (the `jobs` role's, or `all`'s). */
export interface JobMetrics {
  runs: Counter<'job' | 'status'>;
  duration: Histogram<'job'>;
  lastSuccess: Gauge<'job'>;
  leader: Gauge;
}

export function createJobMetrics(registry: Registry): JobMetrics {
  const registers = [registry];
  return {
    runs: new Counter({
      name: 'sectorwars_job_runs_total',
      help: 'Job windows by outcome: succeeded, failed, timed_out, lost (another leader took the window over), skipped (already done or running elsewhere)',
      labelNames: ['job', 'status'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'sectorwars_job_duration_seconds',
      help: 'Wall time of a job window run, whatever its outcome',
      labelNames: ['job'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    lastSuccess: new Gauge({
      name: 'sectorwars_job_last_success_timestamp_seconds',
      help: 'When a window of the job last succeeded in this process (unix seconds)',
      labelNames: ['job'] as const,
      registers,
    }),
    leader: new Gauge({ name: 'sectorwars_jobs_leader', help: '1 while this process holds the jobs leader lease', registers }),
  };
}
