import { createRoute, z } from '@hono/zod-openapi';
import { TICKET_TTL_SECONDS } from '../../platform/realtime-tickets.js';
import { AUTH_PROBLEMS, problemResponses } from '../openapi.js';

export const TicketResponse = z
  .object({
    ticket: z.string().openapi({ description: 'Random, single use; valid for `expires_in` seconds' }),
    url: z.string().openapi({
      description: 'Where to connect, ticket included: a ws(s):// URL, or a path to resolve against this API’s origin (ws: for http:, wss: for https:)',
      example: '/ws?ticket=Jc3tq0…',
    }),
    expires_in: z.number().int().openapi({ example: TICKET_TTL_SECONDS }),
  })
  .openapi('RealtimeTicket');

export const ticketRoute = createRoute({
  method: 'post',
  path: '/ticket',
  tags: ['realtime'],
  summary: 'A one-time ticket to open the realtime WebSocket',
  description:
    'Connect to `url` within `expires_in` seconds; the ticket works once. Fetch a new one for every connection attempt. ' +
    'The WebSocket protocol (frames, resume, chat, close codes) is described in realtime/PROTOCOL.md. ' +
    '`realtime_unavailable` while the bus is down.',
  security: [{ bearer: [] }],
  responses: {
    201: { description: 'The ticket', content: { 'application/json': { schema: TicketResponse } } },
    ...problemResponses(...AUTH_PROBLEMS, 'rate_limited', 'realtime_unavailable'),
  },
});
