import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE_GATEWAY } from '../nginx/compose-gateway.js';
import { bundles } from '../handlers/index.js';
import { bundlePoolsFor, regionRoutesFromRegistry, renderNginxConfig } from '../nginx/render.js';
import { managerPool } from '../nginx/registry.js';
import { ensureCertificate } from '../nginx/stack.js';
import { freePort } from './browser/browser-harness.js';

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

  it('renders region routes from registry rows, and leaves a region without servers out', () => {
    const routes = regionRoutesFromRegistry([
      { slug: 'terran', api_urls: ['127.0.0.1:9101', '127.0.0.1:9102'], realtime_urls: ['127.0.0.1:9111'] },
      { slug: 'nexus', api_urls: ['127.0.0.1:9201'], realtime_urls: ['127.0.0.1:9211'] },
      { slug: 'outer-rim', api_urls: [], realtime_urls: [] },
    ]);
    expect(routes).toEqual([
      { slug: 'terran', apiServers: ['127.0.0.1:9101', '127.0.0.1:9102'], realtimeServers: ['127.0.0.1:9111'] },
      { slug: 'nexus', apiServers: ['127.0.0.1:9201'], realtimeServers: ['127.0.0.1:9211'] },
    ]);
    expect(() => regionRoutesFromRegistry([{ slug: '../admin', api_urls: ['a:1'], realtime_urls: ['b:1'] }])).toThrow(/path segment/);
    const text = renderNginxConfig({ ...COMPOSE_GATEWAY, regions: routes });
    expect(text).toContain('upstream api_r_nexus {\n    server 127.0.0.1:9201 max_fails=1 fail_timeout=5s;');
    expect(text).toContain('upstream realtime_r_terran {\n    server 127.0.0.1:9111 max_fails=1 fail_timeout=5s;\n  }');
    expect(text).toContain('location /r/nexus/api/ {\n      limit_req zone=api burst=400 nodelay;\n      proxy_pass http://api_r_nexus/api/;');
    expect(text).toContain('location /r/nexus/api/v1/auth/ {\n      limit_req zone=auth burst=10 nodelay;\n      proxy_pass http://api_r_nexus/api/v1/auth/;');
    expect(text).toContain(
      'location = /r/terran/ws {\n      proxy_pass http://realtime_r_terran/ws;\n      proxy_http_version 1.1;\n      proxy_set_header Upgrade $http_upgrade;',
    );
    expect(text).not.toContain('outer-rim');
    // Without regions nothing of them is rendered: the single-region gateway is unchanged.
    expect(renderNginxConfig(COMPOSE_GATEWAY)).not.toMatch(/\/r\/|_r_/);
  });

  it.runIf(hasNginx)('routes /r/<slug>/api/ and /r/<slug>/ws to that region with the prefix stripped', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sw-nginx-regions-'));
    for (const sub of ['logs', 'tmp']) mkdirSync(path.join(dir, sub), { recursive: true });
    const { cert, key } = ensureCertificate(dir);
    // Each fake upstream answers with who it is and the path it was asked for.
    const servers: Server[] = [];
    const fake = async (name: string) => {
      const port = await freePort();
      const server = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name, url: req.url, upgrade: req.headers.upgrade ?? null }));
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      servers.push(server);
      return `127.0.0.1:${port}`;
    };
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      renderNginxConfig({
        prefix: dir,
        httpPort,
        httpsPort,
        certificate: cert,
        certificateKey: key,
        apiServers: [await fake('terran-api')],
        realtimeServers: [await fake('terran-realtime')],
        regions: [
          { slug: 'terran', apiServers: [await fake('terran-api')], realtimeServers: [await fake('terran-realtime')] },
          { slug: 'nexus', apiServers: [await fake('nexus-api')], realtimeServers: [await fake('nexus-realtime')] },
        ],
        bundlePools: [managerPool(await fake('region-manager'))],
        webRoot: path.resolve('web/dist'),
        adminRoot: path.resolve('admin/dist'),
        logTo: 'files',
        ...(process.getuid?.() === 0 ? { user: 'root root' } : {}),
      }),
    );
    const nginx = spawn('nginx', ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
    const get = (pathname: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: Record<string, any> }>((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port: httpsPort, path: pathname, headers, rejectUnauthorized: false }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, any> }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      // nginx is up when it answers; until then each attempt waits a little.
      let first: Awaited<ReturnType<typeof get>> | undefined;
      const later = () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100));
      for (let i = 0; i < 50 && !first; i++) first = await get('/r/nexus/api/v1/player/state?x=1').catch(later);
      expect(first).toEqual({ status: 200, body: { name: 'nexus-api', url: '/api/v1/player/state?x=1', upgrade: null } });
      expect((await get('/r/nexus/api/v1/auth/login')).body).toMatchObject({ name: 'nexus-api', url: '/api/v1/auth/login' });
      expect((await get('/r/terran/api/v1/sectors/1')).body).toMatchObject({ name: 'terran-api', url: '/api/v1/sectors/1' });
      expect((await get('/api/v1/sectors/1')).body).toMatchObject({ name: 'terran-api', url: '/api/v1/sectors/1' });
      // the region manager's admin API goes to the manager (`--manager`, REGIONS_GATEWAY_MANAGER)
      expect((await get('/api/v1/admin/regions')).body).toMatchObject({ name: 'region-manager', url: '/api/v1/admin/regions' });
      expect((await get('/api/v1/admin/regions/nexus/scale')).body).toMatchObject({ name: 'region-manager' });
      // a region the registry does not route (stopped, deleted, not started) answers the API's 503 with its code
      const closed = await get('/r/outer-rim/api/v1/player/state');
      expect(closed).toMatchObject({ status: 503, body: { code: 'region_unavailable', status: 503 } });
      const socket = await get('/r/nexus/ws?ticket=abc', { connection: 'upgrade', upgrade: 'websocket' }).catch(() => undefined);
      // The fake answers the upgrade request with a plain 200 (nginx passes it on): it reached nexus's realtime at /ws.
      expect(socket?.body).toEqual({ name: 'nexus-realtime', url: '/ws?ticket=abc', upgrade: 'websocket' });
    } finally {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
      for (const server of servers) server.close();
    }
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
