import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE_GATEWAY } from '../nginx/compose-gateway.js';
import { bundles } from '../handlers/index.js';
import { bundlePoolsFor, renderNginxConfig } from '../nginx/render.js';
import { ensureCertificate } from '../nginx/stack.js';

const hasNginx = spawnSync('nginx', ['-v']).status === 0;
const composeCommand = (() => {
  if (spawnSync('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version']).status === 0) return ['docker-compose'];
  return null;
})();

describe('gateway configuration', () => {
  it.runIf(hasNginx)('renders a config that `nginx -t` accepts, with a per-bundle pool', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sw-nginx-'));
    for (const sub of ['logs', 'tmp']) mkdirSync(path.join(dir, sub), { recursive: true });
    const { cert, key } = ensureCertificate(dir);
    const conf = path.join(dir, 'nginx.conf');
    const text = renderNginxConfig({
      prefix: dir,
      httpPort: 18080,
      httpsPort: 18443,
      certificate: cert,
      certificateKey: key,
      apiServers: ['127.0.0.1:18101', '127.0.0.1:18102'],
      bundlePools: bundlePoolsFor(bundles, { trade: ['127.0.0.1:18121'], events: ['127.0.0.1:18122'] }),
      realtimeServers: ['127.0.0.1:18111'],
      webRoot: path.resolve('web/dist'),
      adminRoot: path.resolve('admin/dist'),
      logTo: 'files',
      ...(process.getuid?.() === 0 ? { user: 'root root' } : {}),
    });
    writeFileSync(conf, text);
    const result = spawnSync('nginx', ['-t', '-p', dir, '-c', conf], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(text).toContain('location /api/v1/trade/ {');
    expect(text).toContain('upstream api_trade');
    // The events bundle answers at its base path itself (GET /api/v1/events?after=): that must reach its pool too.
    expect(text).toContain('location = /api/v1/events {');
    expect(text).toContain('location /api/v1/events/ {');
    expect(text).toMatch(/limit_req zone=auth burst=\d+ nodelay/);
    // Pages may connect to their own origin (the API, /ws) and nowhere else.
    expect(text).toContain("connect-src 'self';");
    expect(text).not.toMatch(/connect-src[^;]*wss?:/);
  });

  it('keeps nginx/compose.conf in step with the template (npm run render:nginx)', () => {
    expect(readFileSync('nginx/compose.conf', 'utf8')).toBe(renderNginxConfig(COMPOSE_GATEWAY));
  });

  it('keeps the Grafana dashboard valid JSON with a query on every panel', () => {
    const dashboard = JSON.parse(readFileSync('monitoring/grafana/dashboards/sectorwars.json', 'utf8'));
    expect(dashboard.uid).toBe('sectorwars');
    expect(dashboard.panels.length).toBeGreaterThan(8);
    for (const panel of dashboard.panels) expect(panel.targets[0].expr, panel.title).toMatch(/sectorwars_/);
  });

  it.runIf(composeCommand)('validates every compose profile', () => {
    // A scratch project with the production secrets filled from their examples.
    const dir = mkdtempSync(path.join(tmpdir(), 'sw-compose-'));
    copyFileSync('compose.yaml', path.join(dir, 'compose.yaml'));
    cpSync('monitoring', path.join(dir, 'monitoring'), { recursive: true });
    mkdirSync(path.join(dir, 'deploy'));
    copyFileSync('deploy/production.env.example', path.join(dir, 'deploy/production.env'));
    writeFileSync(path.join(dir, 'deploy/postgres_password'), 'example\n');
    for (const profile of ['default', 'production', 'monitoring', 'multi-regional']) {
      const [cmd, ...args] = composeCommand!;
      const result = spawnSync(cmd!, [...args, '--profile', profile, 'config', '-q'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, JWT_SECRET: 'x'.repeat(48) },
      });
      expect(result.status, `${profile}: ${result.stderr}`).toBe(0);
    }
  });
});
