import type { Config } from '../config.js';
import type { Bus } from './bus.js';
import { MemoryBus } from './memory-bus.js';
import { RedisBus } from './redis-bus.js';

export type { AdmissionWindow, Bus, MessageHandler, SubscriptionState } from './bus.js';

export function openBus(config: Pick<Config, 'redisUrl' | 'redisPrefix'>, onError?: (err: Error) => void): Bus {
  return config.redisUrl ? new RedisBus(config.redisUrl, config.redisPrefix, onError) : new MemoryBus();
}
