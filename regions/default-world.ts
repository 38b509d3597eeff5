import { randomBytes } from 'node:crypto';
import { DEFAULT_GALAXY } from '../game/catalog/galaxy.js';
import { generateGalaxy, type GalaxyParams } from '../game/galaxy.js';
import type { RegionDb } from '../platform/db/database.js';
import type { Logger } from '../platform/logger.js';
import { galaxyExists, wipeUniverse, writeGalaxy } from './galaxy-store.js';

export interface GenerateOptions {
  terranSectors?: number;
  nexusSectors?: number;
  seed?: string;
  force?: boolean;
}

export class GalaxyExistsError extends Error {
  constructor() {
    super('a galaxy already exists; pass --force to wipe the universe (accounts are kept) and generate anew');
  }
}

/** Generate and store a galaxy; refuses to replace an existing one unless forced. */
export async function generateUniverse(db: RegionDb, logger: Logger, options: GenerateOptions = {}) {
  if (await galaxyExists(db)) {
    if (!options.force) throw new GalaxyExistsError();
    await wipeUniverse(db);
    logger.warn('universe wiped for regeneration; accounts kept');
  }
  const params: GalaxyParams = {
    seed: options.seed ?? randomBytes(6).toString('hex'),
    terranSectors: options.terranSectors ?? DEFAULT_GALAXY.terranSectors,
    nexusSectors: options.nexusSectors ?? DEFAULT_GALAXY.nexusSectors,
  };
  const started = performance.now();
  const galaxy = generateGalaxy(params);
  const generatedMs = performance.now() - started;
  let lastLog = 0;
  await writeGalaxy(db, galaxy, (p) => {
    const now = performance.now();
    if (now - lastLog > 1000 || p.written === p.total) {
      lastLog = now;
      logger.info({ table: p.table, written: p.written, total: p.total }, `writing ${p.table}: ${p.written}/${p.total}`);
    }
  });
  const totalMs = performance.now() - started;
  const summary = {
    seed: params.seed,
    sectors: galaxy.sectors.length,
    warps: galaxy.warps.length,
    ports: galaxy.ports.length,
    planets: galaxy.planets.length,
    generate_ms: Math.round(generatedMs),
    total_ms: Math.round(totalMs),
  };
  logger.info(summary, 'galaxy generated');
  return summary;
}

/** `all` on an empty database: make the default world so the game is playable at once. */
export async function ensureDefaultWorld(db: RegionDb, logger: Logger): Promise<void> {
  if (await galaxyExists(db)) return;
  await generateUniverse(db, logger);
}
