import { z } from 'zod';

/**
 * The wire protocol (documented for clients in PROTOCOL.md). Server frames are JSON objects
 * `{id, type, topic, at, data}`: `id` is the outbox id of a domain event (a number), the id of a
 * chat line (a string) or null; `topic` names where the frame was published, or null for frames
 * addressed to one connection only.
 */
export interface ServerFrame {
  id: number | string | null;
  type: string;
  topic: string | null;
  at: string;
  data: Record<string, unknown>;
}

/** One close code per cause, so clients know whether to reconnect, and how. */
export const CLOSE = {
  /** The server is shutting down or restarting: reconnect (with a fresh ticket) and resume. */
  serverShutdown: { code: 1001, reason: 'server_shutdown' },
  /** The session was logged out or the account disabled: sign in again before reconnecting. */
  authRevoked: { code: 4001, reason: 'auth_revoked' },
  /** Another connection of the same account opened, on any realtime process: do not reconnect. */
  superseded: { code: 4009, reason: 'superseded' },
  /** More events arrived before the client sent `resume` than the server holds: reconnect and resume. */
  fellBehind: { code: 4011, reason: 'fell_behind' },
  /** Too many frames from the client: back off before reconnecting. */
  rateLimited: { code: 4029, reason: 'rate_limited' },
  /** The server could not set the connection up (database or bus trouble): reconnect after a pause. */
  serverError: { code: 1011, reason: 'server_error' },
} as const;

export type CloseCause = (typeof CLOSE)[keyof typeof CLOSE];

export function serverFrame(
  type: string,
  data: Record<string, unknown>,
  options: { id?: number | string | null; topic?: string | null; at?: string } = {},
): string {
  const frame: ServerFrame = { id: options.id ?? null, type, topic: options.topic ?? null, at: options.at ?? new Date().toISOString(), data };
  return JSON.stringify(frame);
}

/** The error frame: a stable `code`, as in the HTTP API's problems, echoing the client's `ref`. */
export function errorFrame(code: string, message: string, extra: { ref?: string | undefined; [key: string]: unknown } = {}): string {
  const { ref, ...rest } = extra;
  return serverFrame('error', { code, message, ...(ref !== undefined ? { ref } : {}), ...rest });
}

const Ref = z.string().max(64).optional();

export const CHAT_CHANNELS = ['sector', 'team', 'global', 'direct'] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

const ClientFrame = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ping'), ref: Ref }),
  z.strictObject({ type: z.literal('resume'), ref: Ref, after: z.number().int().min(0).optional() }),
  z.strictObject({
    type: z.literal('chat'),
    ref: Ref,
    channel: z.enum(CHAT_CHANNELS),
    to: z.uuid().optional(),
    // The real limit (characters after cleaning) is the chat rule's; this only bounds the work.
    text: z.string().max(4_000),
  }),
]);

export type ClientFrame = z.infer<typeof ClientFrame>;
const CLIENT_TYPES: string[] = ClientFrame.options.map((option) => option.shape.type.value);
export type ChatRequest = Extract<ClientFrame, { type: 'chat' }>;

export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: 'malformed_frame' | 'unknown_type' | 'invalid_frame'; message: string; ref?: string };

/** Parse one text frame from a client; never throws. */
export function parseClientFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'malformed_frame', message: 'Frames must be JSON objects' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'malformed_frame', message: 'Frames must be JSON objects' };
  }
  const raw = value as { type?: unknown; ref?: unknown };
  const ref = typeof raw.ref === 'string' && raw.ref.length <= 64 ? raw.ref : undefined;
  if (typeof raw.type !== 'string' || !CLIENT_TYPES.includes(raw.type)) {
    return { ok: false, code: 'unknown_type', message: `type must be one of ${CLIENT_TYPES.join(', ')}`, ...(ref ? { ref } : {}) };
  }
  const parsed = ClientFrame.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'frame';
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : `${where}: ${issue.message}`;
    return { ok: false, code: 'invalid_frame', message, ...(ref ? { ref } : {}) };
  }
  if (parsed.data.type === 'chat' && (parsed.data.channel === 'direct') !== (parsed.data.to !== undefined)) {
    return { ok: false, code: 'invalid_frame', message: 'to: required for direct messages, and only for them', ...(ref ? { ref } : {}) };
  }
  return { ok: true, frame: parsed.data };
}
