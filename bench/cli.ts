import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { interrupt } from './interrupt.js';
import { parseOptions, USAGE, UsageError, type BenchOptions, type ScenarioName } from './options.js';
import { Progress } from './progress.js';
import { writeReport, type BenchReport } from './report.js';

/**
 * `npm run bench -- <scenario> [options]`: runs one scenario, prints progress on stderr, writes
 * result.json, summary.md and chart.svg into --out and prints that folder on stdout.
 */
const SCENARIOS: Record<ScenarioName, () => Promise<{ run(options: BenchOptions, progress: Progress): Promise<BenchReport> }>> = {
  actions: async () => ({ run: (await import('./scenarios/actions.js')).runActions }),
  fanout: async () => ({ run: (await import('./scenarios/fanout.js')).runFanout }),
  generate: async () => ({ run: (await import('./scenarios/generate.js')).runGenerate }),
  economy: async () => ({ run: (await import('./scenarios/economy.js')).runEconomy }),
  combat: async () => ({ run: (await import('./scenarios/combat.js')).runCombat }),
  gates: async () => ({ run: (await import('./scenarios/gates.js')).runGates }),
};

export async function main(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      if ((err as Error).message) process.stderr.write(`bench: ${(err as Error).message}\n\n`);
      process.stderr.write(USAGE);
      return err instanceof UsageError && !err.message ? 0 : 2;
    }
    throw err;
  }
  const progress = new Progress(options.quiet);
  const scenario = await SCENARIOS[options.scenario]();
  const report = await scenario.run(options, progress);
  const written = await writeReport(options.out, report);
  const misses = report.targets.filter((t) => t.met === false);
  progress.step(`results in ${written.dir}${misses.length ? ` (targets missed: ${misses.map((t) => t.name).join('; ')})` : ''}`);
  process.stdout.write(`${written.dir}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // Ctrl-C must still stop the servers and drop the databases the run made: the scenarios'
  // finally blocks do that once the current await returns, so the first signal only asks.
  process.on('SIGINT', () => {
    if (interrupt.requested) process.exit(130);
    interrupt.requested = true;
    process.stderr.write('\nbench: interrupted; cleaning up (Ctrl-C again to quit at once)\n');
    process.exitCode = 130;
  });
  main(process.argv.slice(2)).then(
    (code) => process.exit(process.exitCode ?? code),
    (err) => {
      process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
