import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { MemoryBus } from './memory-bus.js';
import { openBuses } from './index.js';

const config = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/sectorwars-test-unused', JWT_SECRET: 'x'.repeat(32), ...env });

describe('openBuses', () => {
  it('gives the memory bus for both in embedded mode', async () => {
    const { bus, nexusBus } = openBuses(config({}));
    expect(bus).toBeInstanceOf(MemoryBus);
    expect(nexusBus).toBe(bus);
    await bus.close();
  });

  it('opens one Redis bus when the nexus is the region bus, by default or named the same', async () => {
    for (const env of [{}, { NEXUS_REDIS_URL: 'redis://127.0.0.1:6390', NEXUS_REDIS_PREFIX: 'sw:' }] as Array<Record<string, string>>) {
      const { bus, nexusBus } = openBuses(config({ REDIS_URL: 'redis://127.0.0.1:6390', ...env }));
      expect(bus.kind).toBe('redis');
      expect(nexusBus).toBe(bus);
      await bus.close();
    }
  });

  it('opens a second bus for another prefix or another Redis', async () => {
    for (const env of [{ NEXUS_REDIS_PREFIX: 'nexus:' }, { NEXUS_REDIS_URL: 'redis://127.0.0.1:6391' }] as Array<Record<string, string>>) {
      const { bus, nexusBus } = openBuses(config({ REDIS_URL: 'redis://127.0.0.1:6390', ...env }));
      expect(nexusBus.kind).toBe('redis');
      expect(nexusBus).not.toBe(bus);
      await Promise.all([bus.close(), nexusBus.close()]);
    }
  });
});
