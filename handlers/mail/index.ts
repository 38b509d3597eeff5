import { createRoute, z } from '@hono/zod-openapi';
import { BROADCAST, MAIL } from '../../game/catalog/people.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { allowLineBreaks } from '../../platform/http/middleware.js';
import { requireUser } from '../../platform/http/require-user.js';
import { block, blocks, broadcast, deleteMail, listMail, markRead, report, sendMail, unblock } from '../../world/mail.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, problemResponses } from '../openapi.js';

const PilotName = z.string().min(1).max(64).openapi({ description: "A pilot's name", example: 'han_solo' });
const MessageId = z.coerce
  .number()
  .int()
  .positive()
  .max(Number.MAX_SAFE_INTEGER)
  .openapi({ param: { name: 'id', in: 'path' }, example: 1 });
const Message = z
  .object({
    id: z.number().int(),
    folder: z.enum(['inbox', 'sent']),
    from: z.string(),
    to: z.string().openapi({ description: 'A pilot, or team:<tag>' }),
    subject: z.string(),
    body: z.string(),
    read: z.boolean(),
    created_at: z.string(),
  })
  .openapi('Message');
const Unread = z.object({ unread: z.number().int() }).openapi('UnreadCount');
const ok = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

const sendRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['mail'],
  summary: 'Send mail to a pilot or to a team (`team:<tag>`); it waits for recipients who are away',
  description:
    'Pilots who block you get no copy (you are not told). New mail reaches an online recipient over realtime (`mail.received`, with its unread count).',
  security: [{ bearer: [] }],
  request: {
    body: json(
      z
        .strictObject({
          to: z.string().min(1).max(64),
          subject: z.string().trim().max(MAIL.subjectMax).optional(),
          body: z.string().trim().min(1).max(MAIL.bodyMax),
        })
        .openapi('SendMessageRequest'),
    ),
  },
  responses: {
    201: ok(
      'Sent (your copy)',
      z.object({ id: z.number().int(), to: z.string(), subject: z.string(), body: z.string(), created_at: z.string() }).openapi('SentMessage'),
    ),
    ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, 'unknown_pilot', 'cannot_target_self'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['mail'],
  summary: 'Your inbox or sent mail, newest first, a page at a time',
  security: [{ bearer: [] }],
  request: {
    query: z.strictObject({
      folder: z
        .enum(['inbox', 'sent'])
        .default('inbox')
        .openapi({ param: { name: 'folder', in: 'query' } }),
      unread: z
        .enum(['true', 'false'])
        .optional()
        .openapi({ param: { name: 'unread', in: 'query' } }),
      before: z.coerce
        .number()
        .int()
        .positive()
        .max(Number.MAX_SAFE_INTEGER)
        .optional()
        .openapi({ param: { name: 'before', in: 'query' }, description: 'Messages older than this id (the `next_before` of the last page)' }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(100)
        .default(MAIL.pageSize)
        .openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: {
    200: ok('One page', z.object({ messages: z.array(Message), unread: z.number().int(), next_before: z.number().int().nullable() }).openapi('MessagePage')),
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed'),
  },
});

const readRoute = createRoute({
  method: 'post',
  path: '/{id}/read',
  tags: ['mail'],
  summary: 'Mark a message read',
  security: [{ bearer: [] }],
  request: { params: z.object({ id: MessageId }) },
  responses: { 200: ok('Your unread count after', Unread), ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', 'not_found') },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['mail'],
  summary: 'Delete a message from your mailbox',
  security: [{ bearer: [] }],
  request: { params: z.object({ id: MessageId }) },
  responses: { 200: ok('Deleted', z.object({ ok: z.boolean() })), ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', 'not_found') },
});

const broadcastRoute = createRoute({
  method: 'post',
  path: '/broadcast',
  tags: ['mail'],
  summary: `A message to every pilot: ${BROADCAST.cost} credits, once every ${BROADCAST.intervalMs / 60_000} minutes`,
  security: [{ bearer: [] }],
  request: { body: json(z.strictObject({ body: z.string().trim().min(1).max(BROADCAST.bodyMax) }).openapi('BroadcastRequest')) },
  responses: {
    201: ok('Broadcast', z.object({ id: z.number().int(), credits: z.number().int(), cost: z.number().int() }).openapi('BroadcastResult')),
    ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, 'broadcast_limited', 'insufficient_credits'),
  },
});

const Blocks = z.object({ blocked: z.array(z.string()) }).openapi('BlockList');
const blockRoute = createRoute({
  method: 'post',
  path: '/blocks',
  tags: ['mail'],
  summary: 'Block a pilot: its mail and chat are not delivered to you',
  security: [{ bearer: [] }],
  request: { body: json(z.strictObject({ pilot: PilotName }).openapi('BlockRequest')) },
  responses: { 200: ok('Who you block now', Blocks), ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, 'unknown_pilot', 'cannot_target_self') },
});
const blocksRoute = createRoute({
  method: 'get',
  path: '/blocks',
  tags: ['mail'],
  summary: 'Who you block',
  security: [{ bearer: [] }],
  responses: { 200: ok('Who you block', Blocks), ...problemResponses(...AUTH_PROBLEMS) },
});
const unblockRoute = createRoute({
  method: 'delete',
  path: '/blocks',
  tags: ['mail'],
  summary: 'Stop blocking a pilot',
  // A query, not /blocks/{pilot}: that path would also match /{id}/read.
  security: [{ bearer: [] }],
  request: { query: z.strictObject({ pilot: PilotName.openapi({ param: { name: 'pilot', in: 'query' } }) }) },
  responses: { 200: ok('Who you block now', Blocks), ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', 'unknown_pilot') },
});

export const messagesBundle: Bundle = {
  name: 'messages',
  basePath: '/api/v1/messages',
  create(deps) {
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app
      .openapi({ ...sendRoute, middleware: [allowLineBreaks('body')] as const }, async (c) => {
        const { to, subject, body } = c.req.valid('json');
        return c.json(await sendMail(deps, c.get('user').id, to.trim(), subject ?? '', body), 201);
      })
      .openapi(listRoute, async (c) => {
        const { folder, unread, before, limit } = c.req.valid('query');
        return c.json(await listMail(deps.accounts, c.get('user').id, folder, unread === 'true', before, limit), 200);
      })
      .openapi(broadcastRoute, async (c) => c.json(await broadcast(deps, c.get('user').id, c.req.valid('json').body), 201))
      .openapi(blocksRoute, async (c) => c.json({ blocked: await blocks(deps.accounts, c.get('user').id) }, 200))
      .openapi(blockRoute, async (c) => {
        const userId = c.get('user').id;
        await block(deps.accounts, userId, c.req.valid('json').pilot);
        return c.json({ blocked: await blocks(deps.accounts, userId) }, 200);
      })
      .openapi(unblockRoute, async (c) => {
        const userId = c.get('user').id;
        await unblock(deps.accounts, userId, c.req.valid('query').pilot);
        return c.json({ blocked: await blocks(deps.accounts, userId) }, 200);
      })
      .openapi(readRoute, async (c) => c.json(await markRead(deps.accounts, c.get('user').id, c.req.valid('param').id), 200))
      .openapi(deleteRoute, async (c) => {
        await deleteMail(deps.accounts, c.get('user').id, c.req.valid('param').id);
        return c.json({ ok: true }, 200);
      });
  },
};

const reportRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['mail'],
  summary: 'Report a message in your mailbox or a chat line you heard, for the moderators',
  security: [{ bearer: [] }],
  request: {
    body: json(
      z
        .strictObject({
          kind: z.enum(['message', 'chat']),
          id: z.union([z.string().min(1).max(64), z.number().int().positive()]).openapi({ description: 'The message id, or the chat line id' }),
          reason: z.string().trim().min(1).max(500),
        })
        .openapi('ReportRequest'),
    ),
  },
  responses: {
    201: ok('Stored for the moderators', z.object({ id: z.number().int() }).openapi('ReportCreated')),
    ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, 'not_found', 'cannot_target_self'),
  },
});

export const reportsBundle: Bundle = {
  name: 'reports',
  basePath: '/api/v1/reports',
  create(deps) {
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app.openapi({ ...reportRoute, middleware: [allowLineBreaks('reason')] as const }, async (c) => {
      const { kind, id, reason } = c.req.valid('json');
      return c.json({ id: await report(deps, c.get('user').id, kind, String(id), reason) }, 201);
    });
  },
};
