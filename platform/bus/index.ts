import type { Config } from '../config.js';
import type { Bus } from './bus.js';
import { MemoryBus } from './memory-bus.js';
import { RedisBus } from './redis-bus.js';

export type { AdmissionWindow, Bus, MessageHandler, SubscriptionState } from './bus.js';

export function openBus(config: Pick<Config, 'redisUrl' | 'redisPrefix'>, onError?: (err: Error) => void): Bus {
  return config.redisUrl ? new RedisBus(config.redisUrl, config.redisPrefix, onError) : new MemoryBus();
}

/**
 * The region's bus and the nexus bus. They are one object when the nexus is the region's own
 * Redis and prefix (single-server mode, embedded mode): no second connection, and callers can
 * tell the two apart by identity.
 */
export function openBuses(config: Pick<Config, 'redisUrl' | 'redisPrefix' | 'regions'>, onError?: (err: Error) => void): { bus: Bus; nexusBus: Bus } {
  const bus = openBus(config, onError);
  const { nexusRedisUrl, nexusRedisPrefix } = config.regions;
  const shared = nexusRedisUrl === config.redisUrl && nexusRedisPrefix === config.redisPrefix;
  if (shared || !nexusRedisUrl) return { bus, nexusBus: bus };
  return { bus, nexusBus: new RedisBus(nexusRedisUrl, nexusRedisPrefix, onError) };
}

/** The nexus bus of a process, which is the region's bus wherever no other was opened. */
export function nexusBusOf(deps: { bus: Bus; nexusBus?: Bus }): Bus {
  return deps.nexusBus ?? deps.bus;
}
