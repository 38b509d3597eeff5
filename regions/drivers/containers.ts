import type Docker from 'dockerode';
import { type Change, envList, type Instance, LABELS, type RegionDriver, type ServiceName, type ServiceSpec, type ServiceStatus, specHash } from './driver.js';

/**
 * Plain containers on one engine: one container per replica (`sw-<region>-<service>-<i>`), on
 * the host network, restarted by the engine when its process dies (`unless-stopped`), labelled so
 * a manager started later adopts them. Replica i gets its own port through the spec's port
 * variable. A replica whose spec label differs (a new image, other settings) is replaced one at a
 * time, so the others keep serving.
 */
export class ContainersDriver implements RegionDriver {
  readonly kind = 'containers' as const;

  constructor(private readonly docker: Docker) {}

  async apply(spec: ServiceSpec): Promise<Change[]> {
    const changes: Change[] = [];
    const hash = specHash(spec);
    const found = await this.containers({ region: spec.region, service: spec.service });
    const change = (action: Change['action'], replica: number) => changes.push({ region: spec.region, service: spec.service, action, replica });
    for (const info of found) {
      const replica = Number(info.Labels[LABELS.replica]);
      if (replica >= spec.replicas) {
        await this.removeContainer(info.Id);
        change('remove', replica);
      }
    }
    for (let replica = 0; replica < spec.replicas; replica++) {
      const mine = found.filter((c) => Number(c.Labels[LABELS.replica]) === replica);
      const [current, ...extra] = mine.sort((a, b) => b.Created - a.Created);
      for (const duplicate of extra) await this.removeContainer(duplicate.Id);
      if (current && current.Labels[LABELS.spec] !== hash) {
        await this.removeContainer(current.Id);
        await this.createContainer(spec, replica, hash);
        change('replace', replica);
      } else if (!current) {
        await this.createContainer(spec, replica, hash);
        change('create', replica);
      } else if (current.State !== 'running' && current.State !== 'restarting') {
        await this.docker.getContainer(current.Id).start();
        change('start', replica);
      }
    }
    return changes;
  }

  async status(): Promise<ServiceStatus[]> {
    const found = await this.containers({});
    const byService = new Map<string, ServiceStatus>();
    for (const info of found) {
      const region = info.Labels[LABELS.region]!;
      const service = info.Labels[LABELS.service] as ServiceName;
      const key = `${region}/${service}`;
      let entry = byService.get(key);
      if (!entry) byService.set(key, (entry = { region, service, wanted: 0, instances: [] }));
      entry.instances.push(await this.instance(info));
    }
    for (const entry of byService.values()) entry.instances.sort((a, b) => a.replica - b.replica);
    return [...byService.values()];
  }

  async remove(region: string, service?: ServiceName): Promise<Change[]> {
    const found = await this.containers({ region, ...(service ? { service } : {}) });
    for (const info of found) await this.removeContainer(info.Id);
    return found.map((info) => ({
      region,
      service: info.Labels[LABELS.service] as ServiceName,
      action: 'remove' as const,
      replica: Number(info.Labels[LABELS.replica]),
    }));
  }

  private async instance(info: Docker.ContainerInfo): Promise<Instance> {
    const inspected = await this.docker
      .getContainer(info.Id)
      .inspect()
      .catch(() => undefined);
    return {
      id: info.Id,
      replica: Number(info.Labels[LABELS.replica]),
      port: Number(info.Labels[LABELS.port]),
      state: inspected?.State.Status ?? info.State,
      running: inspected?.State.Running === true && inspected.State.Restarting !== true,
      restarts: inspected?.RestartCount ?? 0,
    };
  }

  private containers(filter: { region?: string; service?: ServiceName }): Promise<Docker.ContainerInfo[]> {
    const labels = [filter.region ? `${LABELS.region}=${filter.region}` : LABELS.region, ...(filter.service ? [`${LABELS.service}=${filter.service}`] : [])];
    return this.docker.listContainers({ all: true, filters: { label: labels } });
  }

  private async createContainer(spec: ServiceSpec, replica: number, hash: string): Promise<void> {
    const port = spec.ports[replica]!;
    const container = await this.docker.createContainer({
      name: `sw-${spec.region}-${spec.service}-${replica}`,
      Image: spec.image,
      Cmd: spec.args,
      Env: envList({ ...spec.env, [spec.portVariable]: String(port) }),
      Labels: {
        [LABELS.region]: spec.region,
        [LABELS.service]: spec.service,
        [LABELS.replica]: String(replica),
        [LABELS.port]: String(port),
        [LABELS.spec]: hash,
      },
      HostConfig: { NetworkMode: 'host', RestartPolicy: { Name: 'unless-stopped' }, Init: false },
    });
    await container.start();
  }

  private async removeContainer(id: string): Promise<void> {
    await this.docker
      .getContainer(id)
      .remove({ force: true })
      .catch((err: { statusCode?: number }) => {
        // 404: gone already; 409: the engine is removing it already (a reconcile pass and a delete crossed)
        if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
      });
  }
}
