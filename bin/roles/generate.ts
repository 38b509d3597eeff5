import { parseArgs } from 'node:util';
import { GalaxyExistsError, generateUniverse } from '../../regions/default-world.js';
import { openRuntime } from '../../platform/runtime.js';

/**
 * `sectorwars generate --sectors N --seed S [--nexus M] [--force | --if-empty]`: write a galaxy.
 * `--if-empty` makes it a safe deploy step: it generates only when there is no galaxy yet.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      sectors: { type: 'string' },
      nexus: { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      'if-empty': { type: 'boolean', default: false },
    },
  });
  const count = (name: string, value: string | undefined, min: number) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > 1_000_000) {
      process.stderr.write(`sectorwars generate: --${name} must be a whole number from ${min} to 1000000\n`);
      process.exit(2);
    }
    return n;
  };
  if (process.env.REGION) {
    process.stderr.write('sectorwars generate: a region shard is written by `sectorwars region add` (its cut of the universe plan), not generated alone\n');
    process.exit(2);
  }
  const terranSectors = count('sectors', values.sectors, 11);
  const nexusSectors = count('nexus', values.nexus, 0);
  const runtime = await openRuntime('generate', { migrate: true });
  try {
    const summary = await generateUniverse(runtime.region, runtime.logger, { terranSectors, nexusSectors, seed: values.seed, force: values.force });
    process.stderr.write(
      `generated ${summary.sectors} sectors (${summary.warps} warps, ${summary.ports} ports, ${summary.planets} planets) from seed "${summary.seed}" in ${(summary.total_ms / 1000).toFixed(1)} s\n`,
    );
  } catch (err) {
    if (err instanceof GalaxyExistsError) {
      process.stderr.write(`sectorwars generate: ${values['if-empty'] ? 'a galaxy exists; nothing to do' : err.message}\n`);
      process.exitCode = values['if-empty'] ? 0 : 1;
    } else throw err;
  } finally {
    await runtime.shutdown('done');
  }
}
