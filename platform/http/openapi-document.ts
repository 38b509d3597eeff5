import { tokenScopeFor } from '../personal-tokens.js';

// biome-ignore lint/suspicious/noExplicitAny: the generated document is walked by hand, field by field
type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * What the generated OpenAPI document is given on its way out, for everything the routes do not
 * say one by one: servers and license; an operationId on every operation (from method and path
 * where the route names none, so generators in other languages get stable method names);
 * `security: []` on public operations; on authenticated ones both schemes, with the scope a
 * personal access token needs (`x-token-scope`, from the same rule the server enforces:
 * tokenScopeFor); and the rate-limit headers on every response.
 */
export function finishDocument(doc: Json): Json {
  doc.servers = [{ url: '/', description: 'This server (the API is served from the same origin as the web client)' }];
  doc.info = { ...doc.info, license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' } };
  doc.components ??= {};
  doc.components.securitySchemes = {
    ...doc.components.securitySchemes,
    personalAccessToken: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'swp_…',
      description:
        'A personal access token (POST /api/v1/auth/tokens), sent as `Authorization: Bearer swp_…`. Scopes: `game:read` reads the game and opens the realtime socket; `game:play` also acts (moves, trades). Each operation names the scope it needs in `x-token-scope`; operations without one (account settings, token management) refuse tokens with 403 `insufficient_scope`.',
    },
  };
  doc.components.headers = {
    ...doc.components.headers,
    RateLimitPolicy: {
      description:
        'The limits that apply to this caller (IETF RateLimit header fields draft): `"token";q=120;w=60, "account";q=300;w=60` for a personal access token, `"session";q=600;w=60` for a signed-in session, `"anonymous";q=300;w=60` per address without a bearer.',
      schema: { type: 'string', example: '"token";q=120;w=60, "account";q=300;w=60' },
    },
    RateLimit: {
      description: 'What is left of each limit (`r`) and the seconds until its window resets (`t`).',
      schema: { type: 'string', example: '"token";r=87;t=23, "account";r=250;t=23' },
    },
    RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
  };
  const seen = new Set<string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      op.operationId ??= operationIdFor(method, path);
      if (seen.has(op.operationId)) op.operationId = `${op.operationId}${seen.size}`;
      seen.add(op.operationId);
      const authenticated = Array.isArray(op.security) && op.security.some((s: Json) => 'bearer' in s);
      if (!authenticated) op.security = [];
      else {
        const scope = tokenScopeFor(method.toUpperCase(), path.replace(/\{[^}]+\}/g, 'x'));
        op.security = scope ? [{ bearer: [] }, { personalAccessToken: [] }] : [{ bearer: [] }];
        op['x-token-scope'] = scope;
        op.description = [op.description, scope ? `Personal access tokens need \`${scope}\`.` : 'Signed-in sessions only: personal access tokens are refused.']
          .filter(Boolean)
          .join('\n\n');
      }
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        response.headers = {
          ...response.headers,
          'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' },
          RateLimit: { $ref: '#/components/headers/RateLimit' },
          ...(status === '429' || status === '503' ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } : {}),
        };
      }
    }
  }
  return fixBareNullables(doc) as Json;
}

/** `GET /api/v1/sectors/{id}` → `getSectorsById`. */
function operationIdFor(method: string, path: string): string {
  const words = path
    .replace(/^\/api(\/v\d+)?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part);
      return param ? `By-${param[1]}` : part;
    })
    .flatMap((part) => part.split(/[-_]/))
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return method + words.join('');
}

/** zod's `unknown` comes out as `{ nullable: true }`, which OpenAPI 3.0 does not allow without a type: any value is `{}`. */
function fixBareNullables(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fixBareNullables);
  if (!node || typeof node !== 'object') return node;
  const obj = node as Json;
  if (obj.nullable === true && obj.type === undefined && obj.$ref === undefined && !obj.allOf && !obj.oneOf && !obj.anyOf) {
    const { nullable: _nullable, ...rest } = obj;
    return fixBareNullables(rest);
  }
  for (const key of Object.keys(obj)) obj[key] = fixBareNullables(obj[key]);
  return obj;
}
