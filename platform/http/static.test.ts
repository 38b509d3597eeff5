import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from './context.js';
import { serveSinglePageApp } from './static.js';

describe('serving the single-page app', () => {
  let app: Hono<AppEnv>;
  beforeAll(() => {
    const root = mkdtempSync(path.join(tmpdir(), 'sw-static-'));
    const web = path.join(root, 'dist');
    mkdirSync(path.join(web, 'assets'), { recursive: true });
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>SectorWars</title>');
    writeFileSync(path.join(web, 'assets', 'index-abc123.js'), 'console.log("cockpit");'.repeat(50));
    writeFileSync(path.join(web, 'favicon.svg'), '<svg/>');
    writeFileSync(path.join(root, 'secrets.json'), '{"jwtSecret":"not for you"}');
    app = new Hono<AppEnv>();
    serveSinglePageApp(app, web);
    app.get('/api/v1/known', (c) => c.json({ ok: true }));
    app.notFound((c) => c.json({ code: 'not_found' }, 404));
  });

  it('serves hashed assets for a year and everything else revalidated', async () => {
    const asset = await app.request('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const icon = await app.request('/favicon.svg');
    expect([icon.status, icon.headers.get('cache-control'), icon.headers.get('content-type')]).toEqual([200, 'no-cache', 'image/svg+xml']);
  });

  it('answers client routes with index.html, but not server paths, missing assets or files outside the root', async () => {
    for (const route of ['/', '/map', '/rankings', '/some/deep/route']) {
      const res = await app.request(route);
      expect([route, res.status, res.headers.get('cache-control')]).toEqual([route, 200, 'no-cache']);
      expect(await res.text()).toContain('<title>SectorWars</title>');
    }
    for (const route of ['/api/v1/nowhere', '/api', '/ws', '/healthz', '/readyz', '/metrics', '/assets/gone-999.js', '/robots.txt']) {
      expect([route, (await app.request(route)).status]).toEqual([route, 404]);
    }
    expect((await app.request('/api/v1/known')).status).toBe(200);
    for (const route of ['/../secrets.json', '/%2e%2e/secrets.json', '/assets/..%2f..%2fsecrets.json']) {
      const res = await app.request(route);
      expect(await res.text()).not.toContain('not for you');
    }
    expect((await app.request('/map', { method: 'POST' })).status).toBe(404);
  });

  it('gzips for browsers that ask, revalidates with the ETag, and answers HEAD without a body', async () => {
    const zipped = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toContain('console.log("cockpit")');
    const etag = zipped.headers.get('etag')!;
    expect((await app.request('/assets/index-abc123.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const head = await app.request('/map', { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });
});

describe('serving the admin SPA beside the player’s client', () => {
  let app: Hono<AppEnv>;
  beforeAll(() => {
    const root = mkdtempSync(path.join(tmpdir(), 'sw-static-admin-'));
    const web = path.join(root, 'web');
    const admin = path.join(root, 'admin');
    mkdirSync(path.join(web, 'assets'), { recursive: true });
    mkdirSync(path.join(admin, 'assets'), { recursive: true });
    writeFileSync(path.join(web, 'index.html'), '<title>SectorWars</title>');
    writeFileSync(path.join(admin, 'index.html'), '<title>SectorWars admin</title>');
    writeFileSync(path.join(admin, 'assets', 'index-def456.js'), 'console.log("admin");');
    app = new Hono<AppEnv>();
    serveSinglePageApp(app, admin, { mount: '/admin' });
    serveSinglePageApp(app, web, { except: /^\/admin(\/|$)/ });
    app.notFound((c) => c.json({ code: 'not_found' }, 404));
  });

  it('answers /admin and its client routes with the admin app, its assets under /admin/assets, and the rest with the game', async () => {
    for (const route of ['/admin', '/admin/', '/admin/players/42', '/admin/enroll']) {
      const res = await app.request(route);
      expect([route, res.status, await res.text()]).toEqual([route, 200, '<title>SectorWars admin</title>']);
    }
    const asset = await app.request('/admin/assets/index-def456.js');
    expect([asset.status, asset.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
    expect((await app.request('/admin/assets/gone.js')).status).toBe(404);
    expect(await (await app.request('/map')).text()).toBe('<title>SectorWars</title>');
    expect(await (await app.request('/administrator')).text()).toBe('<title>SectorWars</title>');
  });
});
