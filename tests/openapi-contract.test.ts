import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverOpenApiDocument } from '../client/generate.js';
import { PROBLEM_CODES } from '../contract/problems.js';

/**
 * The published contract only grows: against the document the first wave shipped
 * (tests/fixtures/openapi-wave1.json), every operation, parameter, request field, response
 * status and response field is still there with the same type, and no request asks for more.
 */
type Json = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, Json>>; components?: { schemas?: Record<string, Json> } };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function resolve(doc: Doc, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema;
  return resolve(doc, doc.components?.schemas?.[ref.replace('#/components/schemas/', '')]);
}

/** What a reader of `old` relied on that `now` no longer gives: a lost property, a changed type, a lost enum value. */
function lostFields(oldDoc: Doc, nowDoc: Doc, oldSchema: Json | undefined, nowSchema: Json | undefined, at: string): string[] {
  const before = resolve(oldDoc, oldSchema);
  const after = resolve(nowDoc, nowSchema);
  if (!before) return [];
  if (!after) return [`${at}: gone`];
  const lost: string[] = [];
  if (before.type !== after.type) lost.push(`${at}: type ${String(before.type)} became ${String(after.type)}`);
  if (Array.isArray(before.enum)) {
    for (const value of before.enum) if (!(after.enum as unknown[] | undefined)?.includes(value)) lost.push(`${at}: enum value ${String(value)} gone`);
  }
  const props = (before.properties ?? {}) as Record<string, Json>;
  for (const [name, prop] of Object.entries(props)) {
    lost.push(...lostFields(oldDoc, nowDoc, prop, ((after.properties ?? {}) as Record<string, Json>)[name], `${at}.${name}`));
  }
  if (before.items) lost.push(...lostFields(oldDoc, nowDoc, before.items as Json, after.items as Json, `${at}[]`));
  return lost;
}

function breakingChanges(oldDoc: Doc, nowDoc: Doc): string[] {
  const problems: string[] = [];
  for (const [path, operations] of Object.entries(oldDoc.paths)) {
    for (const method of METHODS) {
      const before = operations[method];
      if (!before) continue;
      const op = `${method.toUpperCase()} ${path}`;
      const after = nowDoc.paths[path]?.[method];
      if (!after) {
        problems.push(`${op}: gone`);
        continue;
      }
      const params = (o: Json) => ((o.parameters ?? []) as Json[]).map((p) => ({ key: `${String(p.in)}:${String(p.name)}`, required: p.required === true }));
      const beforeParams = params(before);
      const afterParams = params(after);
      for (const p of beforeParams) if (!afterParams.some((q) => q.key === p.key)) problems.push(`${op}: parameter ${p.key} gone`);
      for (const q of afterParams)
        if (q.required && !beforeParams.some((p) => p.key === q.key && p.required)) problems.push(`${op}: parameter ${q.key} now required`);

      const beforeBody = resolve(oldDoc, (((before.requestBody as Json)?.content as Json)?.['application/json'] as Json)?.schema as Json);
      const afterBody = resolve(nowDoc, (((after.requestBody as Json)?.content as Json)?.['application/json'] as Json)?.schema as Json);
      if (beforeBody) {
        problems.push(...lostFields(oldDoc, nowDoc, beforeBody, afterBody, `${op} request`));
        const required = new Set((beforeBody.required ?? []) as string[]);
        for (const name of (afterBody?.required ?? []) as string[]) if (!required.has(name)) problems.push(`${op}: request field ${name} now required`);
      }

      const responses = (o: Json) => (o.responses ?? {}) as Record<string, Json>;
      for (const [status, response] of Object.entries(responses(before))) {
        const now = responses(after)[status];
        if (!now) {
          problems.push(`${op}: response ${status} gone`);
          continue;
        }
        const schema = (r: Json) => ((r.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
        problems.push(...lostFields(oldDoc, nowDoc, schema(response), schema(now), `${op} ${status}`));
      }
    }
  }
  for (const name of Object.keys(oldDoc.components?.schemas ?? {})) {
    if (!nowDoc.components?.schemas?.[name]) problems.push(`schema ${name}: gone`);
  }
  return problems;
}

describe('the OpenAPI contract', () => {
  it('only gains against the first wave: nothing a client relied on is gone, changed, or newly required', async () => {
    const before = JSON.parse(readFileSync(new URL('./fixtures/openapi-wave1.json', import.meta.url), 'utf8')) as Doc;
    const now = (await serverOpenApiDocument()) as unknown as Doc;
    expect(breakingChanges(before, now)).toEqual([]);
    // And it does notice a loss: the check is not vacuous.
    const trimmed = structuredClone(now);
    delete trimmed.paths['/api/v1/trade/buy'];
    expect(breakingChanges(before, trimmed)).toContain('POST /api/v1/trade/buy: gone');
  });

  it('lists every code of the error catalog, and each operation its own', async () => {
    const doc = (await serverOpenApiDocument()) as unknown as Doc;
    expect((doc.components!.schemas!.ProblemCode as Json).enum).toEqual(PROBLEM_CODES);
    const buy = doc.paths['/api/v1/trade/buy']!.post!.responses as Record<string, Json>;
    expect(String(buy['409']!.description)).toContain('`insufficient_credits`');
    expect(String(buy['422']!.description)).toContain('`validation_failed`');
  });
});
