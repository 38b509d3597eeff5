import { readFile, rename, writeFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { COMPOSE_GATEWAY } from '../nginx/compose-gateway.js';
import { gatewayPools, managerPool } from '../nginx/registry.js';
import { renderNginxConfig } from '../nginx/render.js';
import type { Config } from '../platform/config.js';
import type { AccountDb } from '../platform/db/database.js';

/**
 * The gateway kept routing to what the region manager runs (issue 21): after each change the
 * manager renders the nginx config from the registry (every active region at /r/<slug>/, the
 * unprefixed API on the start region, and its own admin API when the gateway reaches it) and,
 * when the text changed, writes it whole and has nginx reload it: SIGHUP to the pid in a pid file
 * (nginx on this host), or through the engine to every running container labelled
 * `sectorwars.gateway` (compose, Swarm). nginx re-reads its config on SIGHUP and keeps the old
 * one if the new one is bad, so a reload never takes the gateway down.
 */
export const GATEWAY_LABEL = 'sectorwars.gateway';

export type GatewayResult = { changed: false } | { changed: true; reloaded: number };

export class GatewaySync {
  /**
   * The text nginx was last told to load. The file alone does not say: another writer (the
   * compose and Swarm files' one-shot `gateway-render`) can put the same text there without a
   * reload while nginx still runs an earlier one. Unknown until the first pass, which adopts the
   * file as loaded, so a restarted manager reloads nothing that has not changed.
   */
  private loaded: string | undefined;

  constructor(private readonly deps: { config: Config; accounts: AccountDb; docker: Docker }) {}

  get enabled(): boolean {
    return this.deps.config.manager.gateway.conf !== undefined;
  }

  /** Render from the registry as it is now; write when the file differs, reload when nginx has not loaded it. */
  async sync(): Promise<GatewayResult> {
    const { conf, manager, options } = this.deps.config.manager.gateway;
    if (!conf) return { changed: false };
    const rows = await this.deps.accounts
      .selectFrom('region_registry')
      .select(['slug', 'api_urls', 'realtime_urls'])
      .where('state', '=', 'active')
      .orderBy('id')
      .execute();
    const text = renderNginxConfig({
      ...COMPOSE_GATEWAY,
      ...options,
      ...gatewayPools(rows),
      ...(manager ? { bundlePools: [managerPool(manager)] } : {}),
    });
    // the file is read only when the text differs from what nginx last loaded (or on the first pass, to adopt it)
    if (this.loaded === text) return { changed: false };
    const current = await readFile(conf, 'utf8').catch(() => undefined);
    this.loaded ??= current;
    if (this.loaded === text) return { changed: false };
    if (current !== text) {
      // beside it and renamed into place: nginx (or a gateway waiting for the file) never reads half of it
      await writeFile(`${conf}.tmp`, text);
      await rename(`${conf}.tmp`, conf);
    }
    const { reloaded, missed } = await this.reload();
    // a gateway not yet running reads the file when it starts; one that missed the signal is told again next pass
    if (missed === 0) this.loaded = text;
    return { changed: true, reloaded };
  }

  /** How many nginx masters were told to reload, and how many running ones the signal did not reach. */
  private async reload(): Promise<{ reloaded: number; missed: number }> {
    const { pidfile } = this.deps.config.manager.gateway;
    if (pidfile) {
      const pid = Number((await readFile(pidfile, 'utf8').catch(() => '')).trim());
      if (!Number.isInteger(pid) || pid <= 0) return { reloaded: 0, missed: 0 };
      try {
        process.kill(pid, 'SIGHUP');
        return { reloaded: 1, missed: 0 };
      } catch {
        return { reloaded: 0, missed: 0 };
      }
    }
    const gateways = await this.deps.docker.listContainers({ filters: { label: [GATEWAY_LABEL], status: ['running'] } });
    // a gateway still waiting for its first config runs `sh` as its init: the signal is ignored there
    const sent = await Promise.allSettled(gateways.map((g) => this.deps.docker.getContainer(g.Id).kill({ signal: 'SIGHUP' })));
    const reloaded = sent.filter((s) => s.status === 'fulfilled').length;
    return { reloaded, missed: sent.length - reloaded };
  }
}
