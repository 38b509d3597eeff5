import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'sw-config-'));

describe('config', () => {
  it('runs embedded without any variables, generating and keeping a secret', () => {
    const dataDir = dir();
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first.mode).toBe('embedded');
    expect(first.port).toBe(8080);
    expect(first.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).jwtSecret).toBe(first.jwt.secret);
    expect(loadConfig({ DATA_DIR: dataDir }).jwt.secret).toBe(first.jwt.secret);
  });

  it('requires a secret in server mode, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrowError(/JWT_SECRET/);
  });

  it('names each bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', GAME_TIME_SCALE: '-1', JWT_SECRET: 'short', DATA_DIR: dir() });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'GAME_TIME_SCALE', 'JWT_SECRET']) expect(text).toContain(name);
    }
  });

  it("reads the region manager's gateway settings and placement, and names a bad one", () => {
    const config = loadConfig({
      DATA_DIR: dir(),
      REGIONS_GATEWAY_CONF: 'gw/gateway.conf',
      REGIONS_GATEWAY_OPTIONS: '{"httpPort":18080,"httpsPort":18443}',
      REGIONS_PLACEMENT: ' node.labels.zone==eu ,node.role==worker,',
    });
    expect(config.manager.gateway).toEqual({
      conf: path.resolve('gw/gateway.conf'),
      pidfile: undefined,
      manager: undefined,
      options: { httpPort: 18080, httpsPort: 18443 },
    });
    expect(config.manager.placement).toEqual(['node.labels.zone==eu', 'node.role==worker']);
    expect(config.manager.databasePrefix).toBe('sectorwars_');
    for (const bad of ['{"httpPort":', '{"listen":80}', '{"httpPort":"80"}']) {
      expect(() => loadConfig({ DATA_DIR: dir(), REGIONS_GATEWAY_OPTIONS: bad }), bad).toThrowError(
        /REGIONS_GATEWAY_OPTIONS: must be a JSON object of gateway settings/,
      );
    }
  });

  it('names statements on each PostgreSQL connection unless told not to (a transaction pooler)', () => {
    expect(loadConfig({ DATA_DIR: dir() }).databaseNamedStatements).toBe(256);
    expect(loadConfig({ DATA_DIR: dir(), DATABASE_NAMED_STATEMENTS: '0' }).databaseNamedStatements).toBe(0);
    expect(() => loadConfig({ DATA_DIR: dir(), DATABASE_NAMED_STATEMENTS: '-1' })).toThrowError(/DATABASE_NAMED_STATEMENTS/);
  });

  it('places realtime on its own port by default and sends clients to /ws on the same origin', () => {
    const config = loadConfig({ DATA_DIR: dir() });
    expect(config.realtime).toEqual({ host: '127.0.0.1', port: 8081, publicUrl: '/ws' });
    const set = loadConfig({ DATA_DIR: dir(), HOST: '0.0.0.0', REALTIME_PORT: '9001', REALTIME_PUBLIC_URL: 'wss://play.example.com/ws' });
    expect(set.realtime).toEqual({ host: '0.0.0.0', port: 9001, publicUrl: 'wss://play.example.com/ws' });
    expect(() => loadConfig({ DATA_DIR: dir(), REALTIME_PUBLIC_URL: 'https://play.example.com/ws' })).toThrowError(/REALTIME_PUBLIC_URL/);
    expect(() => loadConfig({ DATA_DIR: dir(), REALTIME_PUBLIC_URL: '/ws?ticket=x' })).toThrowError(/REALTIME_PUBLIC_URL/);
  });

  it('reads the secret from a file and parses lists', () => {
    const file = path.join(dir(), 'jwt');
    writeFileSync(file, `${'x'.repeat(40)}\n`);
    const config = loadConfig({
      DATABASE_URL: 'postgres://h/db',
      JWT_SECRET_FILE: file,
      ALLOWED_ORIGINS: 'https://a.test, https://b.test',
      GAME_TIME_SCALE: '60',
    });
    expect(config.jwt.secret).toBe('x'.repeat(40));
    expect(config.allowedOrigins).toEqual(['https://a.test', 'https://b.test']);
    expect(config.gameTimeScale).toBe(60);
    expect(config.host).toBe('0.0.0.0');
    expect(config.cookieSecure).toBe(true);
  });

  it('turns a sign-in provider on only with both its client id and secret, and names what is missing', () => {
    expect(loadConfig({ DATA_DIR: dir() }).oauth).toEqual({});
    const on = loadConfig({ DATA_DIR: dir(), OAUTH_DISCORD_CLIENT_ID: 'id', OAUTH_DISCORD_CLIENT_SECRET: 'secret' });
    expect(Object.keys(on.oauth)).toEqual(['discord']);
    expect(on.oauth.discord).toMatchObject({ clientId: 'id', tokenUrl: 'https://discord.com/api/oauth2/token' });
    expect(() => loadConfig({ DATA_DIR: dir(), OAUTH_GITHUB_CLIENT_ID: 'id' })).toThrowError(/OAUTH_GITHUB_CLIENT_SECRET/);
    expect(() => loadConfig({ DATA_DIR: dir(), OAUTH_GOOGLE_CLIENT_ID: 'id', OAUTH_GOOGLE_CLIENT_SECRET: 's', OAUTH_GOOGLE_ISSUER: 'nope' })).toThrowError(
      /OAUTH_GOOGLE_ISSUER/,
    );
  });

  it('keeps the signing keys under DATA_DIR in embedded mode and in JWT_KEYS_DIR in server mode', () => {
    const data = dir();
    expect(loadConfig({ DATA_DIR: data }).jwt.keysDir).toBe(path.join(data, 'keys'));
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db', JWT_SECRET: 'x'.repeat(40) }).jwt.keysDir).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db', JWT_SECRET: 'x'.repeat(40), JWT_KEYS_DIR: '/secrets/jwt' }).jwt.keysDir).toBe('/secrets/jwt');
  });
});
