import { randomBytes } from 'node:crypto';
import { type Bus, nexusBusOf } from '../platform/bus/index.js';
import type { Config } from '../platform/config.js';
import type { AccountDb } from '../platform/db/database.js';
import { chatCrossesRegions, chatHistoryKey, topics } from '../contract/topics.js';
import { hitRateLimits, type RateRule } from '../platform/rate-limit.js';
import type { Connection } from './connection.js';
import { CHAT_CHANNEL } from './fanout.js';
import { errorFrame, serverFrame, type ChatChannel, type ChatRequest } from './protocol.js';

export const CHAT = {
  /** Characters (code points) after cleaning. */
  maxLength: 500,
  /** Lines kept per channel for clients that reconnect. */
  historySize: 50,
  historyTtlMs: 7 * 24 * 60 * 60 * 1000,
  /** Per player, across every realtime process. */
  rate: { name: 'chat', limit: 8, windowMs: 10_000 } satisfies RateRule,
};

/** A chat line as stored in history and carried in `chat.message` frames. */
export interface ChatLine {
  id: string;
  at: string;
  channel: ChatChannel;
  from: { id: string; name: string };
  to?: string;
  text: string;
}

// Controls (C0, DEL, C1) and the invisible marks that reorder text on screen (bidi overrides,
// isolates, directional marks), which are used to disguise what a line says.
const STRIPPED = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
const SPACING = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/** Clean a line of chat; whitespace controls become one space, other controls go. */
export function cleanChatText(raw: string): { text: string } | { error: 'empty_message' | 'message_too_long' } {
  const text = raw.normalize('NFC').replace(SPACING, ' ').replace(STRIPPED, '').trim();
  if (text.length === 0) return { error: 'empty_message' };
  if ([...text].length > CHAT.maxLength) return { error: 'message_too_long' };
  return { text };
}

const historyKey = (channel: ChatChannel, scope?: string | number) => chatHistoryKey(channel, scope);

/** The region's bus and the nexus bus (the same one in single-server mode). */
export interface ChatBuses {
  bus: Bus;
  nexusBus?: Bus;
}

export interface ChatDeps extends ChatBuses {
  accounts: AccountDb;
  config: Pick<Config, 'rateLimits'>;
}

/** The bus a channel's lines are published and kept on (contract/topics.ts `chatCrossesRegions`). */
export function chatBus(buses: ChatBuses, channel: ChatChannel): Bus {
  return chatCrossesRegions(channel) ? nexusBusOf(buses) : buses.bus;
}

/**
 * Send one chat line from a connection: clean it, find where it goes (the server decides: the
 * sender's own sector or team), limit the rate, keep it in history, and publish it on the bus so
 * every realtime process delivers it (every region's, for all but sector chat). Returns an error
 * frame for the sender, or nothing.
 */
export async function sendChat(deps: ChatDeps, connection: Connection, request: ChatRequest): Promise<string | undefined> {
  const ref = request.ref;
  const cleaned = cleanChatText(request.text);
  if ('error' in cleaned) {
    return cleaned.error === 'empty_message'
      ? errorFrame('empty_message', 'The message is empty once control characters are removed', { ref })
      : errorFrame('message_too_long', `Messages are at most ${CHAT.maxLength} characters`, { ref, max_length: CHAT.maxLength });
  }

  let destinations: Array<{ topic: string; key: string }>;
  switch (request.channel) {
    case 'sector':
      if (connection.sectorId === null) return errorFrame('no_sector', 'You are not in a sector yet', { ref });
      destinations = [{ topic: topics.sector(connection.sectorId), key: historyKey('sector', connection.sectorId) }];
      break;
    case 'team':
      if (connection.teamId === null) return errorFrame('not_in_team', 'You are not in a team', { ref });
      destinations = [{ topic: topics.team(connection.teamId), key: historyKey('team', connection.teamId) }];
      break;
    case 'global':
      destinations = [{ topic: topics.global, key: historyKey('global') }];
      break;
    case 'direct': {
      const to = request.to!;
      if (to === connection.userId) return errorFrame('invalid_recipient', 'You cannot message yourself', { ref });
      const recipient = await deps.accounts.selectFrom('users').select('id').where('id', '=', to).where('status', '=', 'active').executeTakeFirst();
      if (!recipient) return errorFrame('unknown_recipient', 'No such player', { ref });
      // A recipient who blocks the sender gets nothing (the sender is not told: it sees its echo).
      const blocked = await deps.accounts
        .selectFrom('message_blocks')
        .select('user_id')
        .where('user_id', '=', to)
        .where('blocked_id', '=', connection.userId)
        .executeTakeFirst();
      // Both sides keep the conversation, and both see the line (the sender's copy is the echo).
      destinations = [
        ...(blocked ? [] : [{ topic: topics.player(to), key: historyKey('direct', to) }]),
        { topic: topics.player(connection.userId), key: historyKey('direct', connection.userId) },
      ];
      break;
    }
  }

  // A moderator's mute (docs/admin.md): nothing goes out, the sender is told until when.
  const mute = await deps.accounts
    .selectFrom('chat_mutes')
    .select('until')
    .where('user_id', '=', connection.userId)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', new Date())]))
    .executeTakeFirst();
  if (mute) {
    return errorFrame('chat_muted', mute.until ? 'A moderator muted you in chat for a while' : 'A moderator banned you from chat', {
      ref,
      until: mute.until ? new Date(mute.until).toISOString() : null,
    });
  }

  try {
    if (deps.config.rateLimits) {
      // Per player wherever it chats from: on the nexus.
      const decision = await hitRateLimits(nexusBusOf(deps), [[CHAT.rate, connection.userId]]);
      if (!decision.allowed) {
        return errorFrame('rate_limited', `At most ${CHAT.rate.limit} messages every ${CHAT.rate.windowMs / 1000} s`, {
          ref,
          retry_after: decision.retryAfterSeconds,
        });
      }
    }
    const line: ChatLine = {
      id: `c${Date.now().toString(36)}${randomBytes(5).toString('hex')}`,
      at: new Date().toISOString(),
      channel: request.channel,
      from: { id: connection.userId, name: connection.name },
      ...(request.to !== undefined ? { to: request.to } : {}),
      text: cleaned.text,
    };
    const stored = JSON.stringify(line);
    const bus = chatBus(deps, request.channel);
    await Promise.all(destinations.map((d) => bus.pushCapped(d.key, stored, CHAT.historySize, CHAT.historyTtlMs)));
    for (const { topic } of destinations) {
      const { id, at, ...data } = line;
      await bus.publish(CHAT_CHANNEL, serverFrame('chat.message', data, { id, topic, at }));
    }
  } catch {
    return errorFrame('chat_unavailable', 'Chat is unavailable right now; try again shortly', { ref });
  }
  return undefined;
}

/** The recent lines of every channel a connection hears, oldest first, one frame per channel. */
export async function chatHistoryFrames(buses: ChatBuses, connection: Connection): Promise<string[]> {
  const channels: Array<{ channel: ChatChannel; topic: string; key: string }> = [{ channel: 'global', topic: topics.global, key: historyKey('global') }];
  if (connection.sectorId !== null)
    channels.push({ channel: 'sector', topic: topics.sector(connection.sectorId), key: historyKey('sector', connection.sectorId) });
  if (connection.teamId !== null) channels.push({ channel: 'team', topic: topics.team(connection.teamId), key: historyKey('team', connection.teamId) });
  channels.push({ channel: 'direct', topic: topics.player(connection.userId), key: historyKey('direct', connection.userId) });

  const lists = await Promise.all(channels.map((c) => chatBus(buses, c.channel).newest(c.key, CHAT.historySize)));
  const frames: string[] = [];
  channels.forEach((c, i) => {
    const lines = lists[i]!;
    if (lines.length === 0) return;
    const messages = lines.reverse().map((line) => JSON.parse(line) as ChatLine);
    frames.push(serverFrame('chat.history', { channel: c.channel, messages }, { topic: c.topic }));
  });
  return frames;
}
