import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layers of ARCHITECTURE.md are kept by the linter (biome.json, noRestrictedImports), not by
 * review: probe files placed where a boundary runs must fail `biome lint`, and their allowed
 * twins must pass.
 */
const probes: string[] = [];
const tag = randomBytes(4).toString('hex');

function lint(path: string, source: string): { ok: boolean; output: string } {
  const file = path.replace('PROBE', `boundary-probe-${tag}-${probes.length}`);
  writeFileSync(file, source);
  probes.push(file);
  const result = spawnSync(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'lint', file], { encoding: 'utf8' });
  return { ok: result.status === 0, output: result.stdout + result.stderr };
}

afterAll(() => {
  for (const file of probes) rmSync(file, { force: true });
});

describe('import boundaries', () => {
  it.each([
    ['game/PROBE.ts', "import { Problem } from '../platform/errors.js';\n\nexport const probe = Problem;\n", 'game/ is the pure rules'],
    ['game/catalog/PROBE.ts', "import { readFileSync } from 'node:fs';\n\nexport const probe = readFileSync;\n", 'game/ is the pure rules'],
    [
      'handlers/player/PROBE.ts',
      "import { tradePlan } from '../trade/index.js';\n\nexport const probe = tradePlan;\n",
      'Handler bundles never import each other',
    ],
    ['web/src/PROBE.ts', "import { Problem } from '../../platform/errors.js';\n\nexport const probe = Problem;\n", 'only through client/'],
    ['admin/src/PROBE.ts', "import { ADMIN_SCOPES } from '../../platform/admin-scopes.js';\n\nexport const probe = ADMIN_SCOPES;\n", 'only through client/'],
    ['platform/PROBE.ts', "import { runAction } from '../world/action.js';\n\nexport const probe = runAction;\n", 'platform/ is the shared runtime'],
    ['realtime/PROBE.ts', "import { runAction } from '../world/action.js';\n\nexport const probe = runAction;\n", 'realtime/ delivers events'],
  ])('refuses %s reaching across', (path, source, message) => {
    const result = lint(path, source);
    expect(result.ok).toBe(false);
    expect(result.output).toContain(message);
  });

  it.each([
    ['game/PROBE.ts', "import { topics } from '../contract/topics.js';\n\nexport const probe = topics;\n"],
    [
      'handlers/player/PROBE.ts',
      "import { playerView } from '../views.js';\nimport { runAction } from '../../world/action.js';\n\nexport const probe = [playerView, runAction];\n",
    ],
    ['web/src/PROBE.ts', "import { ApiError } from '../../client/index.js';\n\nexport const probe = ApiError;\n"],
    ['admin/src/PROBE.ts', "import { ApiError } from '../../client/index.js';\n\nexport const probe = ApiError;\n"],
  ])('allows %s what its layer may use', (path, source) => {
    const result = lint(path, source);
    expect(result.output).not.toContain('noRestrictedImports');
    expect(result.ok).toBe(true);
  });
});
