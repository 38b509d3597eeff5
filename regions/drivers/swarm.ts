import type Docker from 'dockerode';
import { type Change, envList, type Instance, LABELS, type RegionDriver, type ServiceName, type ServiceSpec, type ServiceStatus, specHash } from './driver.js';

const SECOND_NS = 1_000_000_000;

/**
 * Docker Swarm services (`sw-<region>-<service>`), one per region service, with the replica count
 * in the service and the healing left to Swarm (restart on any exit). On the host network the
 * replicas of one node cannot share a port, so each task learns its slot (REPLICA_SLOT from
 * `{{.Task.Slot}}`) and the api listens on PORT + slot - 1: slot n is always the same port.
 * Updates roll one task at a time, stopping the old one first (it holds the port), and roll back
 * if the new one fails. Tasks go only to nodes that meet the placement constraints, spread over them.
 */
export class SwarmDriver implements RegionDriver {
  readonly kind = 'swarm' as const;
  private hostNetwork: string | undefined;

  constructor(
    private readonly docker: Docker,
    /** placement constraints for every task (REGIONS_PLACEMENT): `node.labels.zone==eu` */
    private readonly placement: string[] = [],
  ) {}

  async apply(spec: ServiceSpec): Promise<Change[]> {
    const hash = specHash(spec);
    const name = serviceName(spec.region, spec.service);
    const current = await this.docker
      .getService(name)
      .inspect()
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode === 404) return undefined;
        throw err;
      });
    const body = await this.serviceSpec(spec, hash);
    const change = (action: Change['action']): Change[] => [{ region: spec.region, service: spec.service, action }];
    if (!current) {
      await this.docker.createService(body as Docker.CreateServiceOptions);
      return change('create');
    }
    const replicas = current.Spec?.Mode?.Replicated?.Replicas;
    const sameSpec = current.Spec?.Labels?.[LABELS.spec] === hash;
    if (sameSpec && replicas === spec.replicas) return [];
    // The update sends the whole spec; Docker takes `version` in the query to refuse a lost update.
    const update = { _query: { version: current.Version?.Index }, _body: body };
    await this.docker.getService(current.ID).update(update as never);
    return change(sameSpec ? 'scale' : 'update');
  }

  async status(): Promise<ServiceStatus[]> {
    const services = await this.docker.listServices({ filters: { label: [LABELS.region] } });
    const out: ServiceStatus[] = [];
    for (const service of services) {
      const labels = service.Spec?.Labels ?? {};
      const tasks = (await this.docker.listTasks({ filters: { service: [service.ID] } })) as TaskInfo[];
      out.push({
        region: labels[LABELS.region]!,
        service: labels[LABELS.service] as ServiceName,
        wanted: service.Spec?.Mode?.Replicated?.Replicas ?? 0,
        instances: instances(tasks, Number(labels[LABELS.port])),
      });
    }
    return out;
  }

  async remove(region: string, service?: ServiceName): Promise<Change[]> {
    const label = [`${LABELS.region}=${region}`, ...(service ? [`${LABELS.service}=${service}`] : [])];
    const services = await this.docker.listServices({ filters: { label } });
    for (const s of services) await this.docker.getService(s.ID).remove();
    // A removed service's tasks stop afterwards; wait for their containers, which hold the ports a new service would take.
    await this.settle(region);
    return services.map((s) => ({ region, service: s.Spec?.Labels?.[LABELS.service] as ServiceName, action: 'remove' as const }));
  }

  private async settle(region: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const left = await this.docker.listContainers({ filters: { label: [`com.docker.swarm.service.name`], name: [`sw-${region}-`] } });
      if (left.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  private async serviceSpec(spec: ServiceSpec, hash: string) {
    const labels = { [LABELS.region]: spec.region, [LABELS.service]: spec.service, [LABELS.port]: String(spec.ports[0]), [LABELS.spec]: hash };
    const slot: Record<string, string> = spec.portVariable === 'PORT' ? { REPLICA_SLOT: '{{.Task.Slot}}' } : {};
    return {
      Name: serviceName(spec.region, spec.service),
      Labels: labels,
      TaskTemplate: {
        ContainerSpec: {
          Image: spec.image,
          Args: spec.args,
          Env: envList({ ...spec.env, [spec.portVariable]: String(spec.ports[0]), ...slot }),
          Labels: labels,
        },
        Networks: [{ Target: await this.hostNetworkId() }],
        // Spread over the nodes that qualify: two replicas of one region on one node share its host ports, one slot apart.
        Placement: { Constraints: this.placement, Preferences: [{ Spread: { SpreadDescriptor: 'node.id' } }] },
        RestartPolicy: { Condition: 'any', Delay: SECOND_NS, MaxAttempts: 0 },
      },
      Mode: { Replicated: { Replicas: spec.replicas } },
      UpdateConfig: { Parallelism: 1, Delay: SECOND_NS, FailureAction: 'rollback', Monitor: 5 * SECOND_NS, Order: 'stop-first' },
      RollbackConfig: { Parallelism: 1, Order: 'stop-first' },
    };
  }

  private async hostNetworkId(): Promise<string> {
    if (!this.hostNetwork) {
      const [host] = await this.docker.listNetworks({ filters: { name: ['host'], driver: ['host'] } });
      if (!host) throw new Error('the engine has no host network');
      this.hostNetwork = host.Id;
    }
    return this.hostNetwork;
  }
}

export function serviceName(region: string, service: ServiceName): string {
  return `sw-${region}-${service}`;
}

/** The fields of GET /tasks the status reads. */
interface TaskInfo {
  ID: string;
  Slot?: number;
  CreatedAt: string;
  DesiredState: string;
  Status?: { State?: string; ContainerStatus?: { ContainerID?: string; PID?: number } };
}

/** A slot's newest live task is the replica; its older tasks are the times it was restarted (Swarm keeps the last few). */
function instances(tasks: TaskInfo[], basePort: number): Instance[] {
  const bySlot = new Map<number, TaskInfo[]>();
  for (const task of tasks) {
    const slot = task.Slot ?? 0;
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), task]);
  }
  const out: Instance[] = [];
  for (const [slot, history] of bySlot) {
    // a task told to shut down still serves until its process exits: it counts as running until then
    const live = history.filter((t) => t.DesiredState === 'running' || t.Status?.State === 'running');
    if (live.length === 0) continue;
    const newest = live.sort((a, b) => b.CreatedAt.localeCompare(a.CreatedAt))[0]!;
    const state = newest.Status?.State ?? 'unknown';
    out.push({
      id: newest.Status?.ContainerStatus?.ContainerID ?? newest.ID,
      replica: slot - 1,
      port: basePort + slot - 1,
      state,
      running: state === 'running',
      restarts: history.length - 1,
    });
  }
  return out.sort((a, b) => a.replica - b.replica);
}
