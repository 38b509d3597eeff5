import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { serverOpenApiDocument } from '../client/generate.js';
import { ADMIN_SCOPES } from '../platform/admin-scopes.js';
import { tokenScopeFor } from '../platform/personal-tokens.js';

const run = promisify(execFile);
type Json = Record<string, any>;

/**
 * The published document passes a standard outside linter: Redocly CLI's recommended rules, with
 * no error and no warning. Client generators in other languages read it, so what they need
 * (operationIds, servers, security on every operation) is checked by a tool that is not ours.
 */
describe('the OpenAPI document', () => {
  it('passes `redocly lint` (recommended rules) with 0 errors and 0 warnings', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sw-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(await serverOpenApiDocument()));
      const result = await run(path.resolve('node_modules/.bin/redocly'), ['lint', file, '--format=json', '--extends=recommended'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
      const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('declares both security schemes, the token scope of each operation, and the rate-limit headers', async () => {
    const doc = (await serverOpenApiDocument()) as Json;
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'personalAccessToken']);
    const ids = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item as Record<string, Json>)) {
        expect(op.operationId, `${method} ${p}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        const schemes = (op.security as Json[]).flatMap((s) => Object.keys(s));
        if (schemes.length === 0) expect(op['x-token-scope']).toBeUndefined();
        else {
          const scope = tokenScopeFor(method.toUpperCase(), p.replace(/\{[^}]+\}/g, 'x'));
          expect(op['x-token-scope'], `${method} ${p}`).toBe(scope);
          expect(schemes).toEqual(scope ? ['bearer', 'personalAccessToken'] : ['bearer']);
        }
        for (const [status, res] of Object.entries(op.responses as Record<string, Json>)) {
          expect(Object.keys(res.headers), `${method} ${p} ${status}`).toEqual(expect.arrayContaining(['RateLimit', 'RateLimit-Policy']));
          if (status === '429') expect(Object.keys(res.headers)).toContain('Retry-After');
        }
      }
    }
    expect(doc.paths['/api/v1/player/move'].post['x-token-scope']).toBe('game:play');
    expect(doc.paths['/api/v1/player/state'].get['x-token-scope']).toBe('game:read');
    expect(doc.paths['/api/v1/auth/tokens'].post['x-token-scope']).toBeNull();
    expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([]);
  });

  it('names the admin scope of every admin operation, and the TOTP header of the dangerous ones', async () => {
    const doc = (await serverOpenApiDocument()) as Json;
    const admin = Object.entries(doc.paths as Record<string, Json>).filter(([p]) => p.startsWith('/api/v1/admin'));
    expect(admin.length).toBeGreaterThan(0);
    for (const [p, item] of admin) {
      for (const [method, op] of Object.entries(item as Record<string, Json>)) {
        const label = `${method} ${p}`;
        expect(ADMIN_SCOPES, label).toContain(op['x-admin-scope']);
        expect(op['x-token-scope'], label).toBeNull();
        expect(op.security, label).toEqual([{ bearer: [] }]);
        expect(
          Object.values(op.responses as Record<string, Json>).flatMap((r) => r['x-problem-codes'] ?? []),
          label,
        ).toEqual(
          expect.arrayContaining(['insufficient_scope', 'second_factor_required', ...(op['x-totp-required'] ? ['totp_required', 'totp_invalid'] : [])]),
        );
        const header = (op.parameters ?? []).some((param: Json) => param.in === 'header' && param.name === 'x-totp-code');
        expect(header, label).toBe(op['x-totp-required'] === true);
      }
    }
    expect(doc.paths['/api/v1/admin/players/{id}/credits'].post).toMatchObject({ 'x-admin-scope': 'admin:economy', 'x-totp-required': true });
    expect(doc.paths['/api/v1/admin/audit'].get).toMatchObject({ 'x-admin-scope': 'admin:read', 'x-totp-required': false });
  });
});
