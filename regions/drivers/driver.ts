import { createHash } from 'node:crypto';

/**
 * What the region manager asks of a Docker driver (issue 21). A region runs three services —
 * its api (N replicas, replica i on its own host port), its realtime server and its jobs
 * scheduler — all from one local image, on the host network, labelled with the region and the
 * service so that a manager started later finds and adopts what runs. A driver makes what runs
 * match a spec and reports each change it made: none when all is in line.
 */
export const SERVICES = ['api', 'realtime', 'jobs'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const LABELS = {
  region: 'sectorwars.region',
  service: 'sectorwars.service',
  /** the api replica's index (containers driver): replica i listens on ports[i] */
  replica: 'sectorwars.replica',
  /** the host port the replica listens on (containers driver) */
  port: 'sectorwars.port',
  /** a hash of everything but the replica count; a different one means the process must be replaced */
  spec: 'sectorwars.spec',
} as const;

export interface ServiceSpec {
  region: string;
  service: ServiceName;
  /** the image's id (sha256:…), resolved from the local tag so a rebuilt image rolls the service */
  image: string;
  /** arguments after the entrypoint: `api --region nexus` */
  args: string[];
  env: Record<string, string>;
  replicas: number;
  /** the host port of each replica: replica i listens on ports[i] */
  ports: number[];
  /** the environment variable that carries a replica's port (PORT, REALTIME_PORT, JOBS_PORT) */
  portVariable: string;
}

/** One running (or dead) process of a service, as the engine reports it. */
export interface Instance {
  id: string;
  /** the replica index, 0-based */
  replica: number;
  port: number;
  state: string;
  running: boolean;
  restarts: number;
}

export interface ServiceStatus {
  region: string;
  service: ServiceName;
  wanted: number;
  instances: Instance[];
}

export interface Change {
  region: string;
  service: ServiceName;
  action: 'create' | 'start' | 'replace' | 'remove' | 'scale' | 'update';
  replica?: number;
}

export interface RegionDriver {
  readonly kind: 'containers' | 'swarm';
  /** Make what runs for this service match the spec; the changes it made (none when in line). */
  apply(spec: ServiceSpec): Promise<Change[]>;
  /** Everything labelled as ours, by region and service. */
  status(): Promise<ServiceStatus[]>;
  /** Stop and remove a region's services (all of them, or one). */
  remove(region: string, service?: ServiceName): Promise<Change[]>;
}

/** The spec's hash label: the image, arguments, environment and ports, never the replica count. */
export function specHash(spec: ServiceSpec): string {
  const { image, args, env, ports, portVariable } = spec;
  const sortedEnv = Object.entries(env).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(JSON.stringify({ image, args, env: sortedEnv, ports: ports.slice(0, 1), portVariable }))
    .digest('hex')
    .slice(0, 16);
}

/** `KEY=value` pairs for the Engine API. */
export function envList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([key, value]) => `${key}=${value}`);
}
