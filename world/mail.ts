import type { DomainEvent } from '../contract/events.js';
import { chatCrossesRegions, chatHistoryKey, topics } from '../contract/topics.js';
import { BROADCAST } from '../game/catalog/people.js';
import { decideBroadcast } from '../game/team.js';
import { type Bus, nexusBusOf } from '../platform/bus/index.js';
import type { AccountDb } from '../platform/db/database.js';
import { Problem } from '../platform/errors.js';
import { runAction } from './action.js';
import { notify } from './notify.js';
import { crewsOf, present, readCrew, withPilot } from './pilots.js';
import { type PeopleWorld, userByName } from './teams.js';

/**
 * Mail (GAME.md, People): stored account-side, one copy per mailbox (the sender's `sent`, each
 * recipient's `inbox`), so it waits for a recipient who is away. Blocks are checked at delivery:
 * a pilot you block gets no copy into your inbox (the sender is not told). New mail is announced
 * over realtime with the recipient's unread count.
 */

export async function unreadCount(accounts: AccountDb, userId: string): Promise<number> {
  const row = await accounts
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('owner_id', '=', userId)
    .where('folder', '=', 'inbox')
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The ids among `candidates` who block `senderId`. */
async function blockersOf(accounts: AccountDb, senderId: string, candidates: readonly string[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const rows = await accounts
    .selectFrom('message_blocks')
    .select('user_id')
    .where('blocked_id', '=', senderId)
    .where('user_id', 'in', [...candidates])
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Who a `to` names: a pilot by name, or every member of the live team `team:<tag>` (but the sender). */
async function recipients(accounts: AccountDb, senderId: string, to: string): Promise<{ ids: string[]; label: string }> {
  if (to.toLowerCase().startsWith('team:')) {
    const tag = to.slice(5).trim();
    const team = await accounts
      .selectFrom('teams')
      .select(['id', 'tag'])
      .where((eb) => eb(eb.fn('lower', ['tag']), '=', tag.toLowerCase()))
      .where('disbanded_at', 'is', null)
      .executeTakeFirst();
    if (!team) throw new Problem('unknown_pilot', { detail: `No team has the tag ${tag}` });
    const members = await accounts.selectFrom('team_members').select('user_id').where('team_id', '=', team.id).where('user_id', '!=', senderId).execute();
    return { ids: members.map((m) => m.user_id), label: `team:${team.tag}` };
  }
  const user = await userByName(accounts, to);
  if (user.id === senderId) throw new Problem('cannot_target_self', { detail: 'You cannot mail yourself' });
  return { ids: [user.id], label: user.username };
}

export async function sendMail(world: PeopleWorld, senderId: string, to: string, subject: string, body: string) {
  const [sender] = await world.accounts.selectFrom('users').select(['id', 'username']).where('id', '=', senderId).execute();
  if (!sender) throw new Problem('unauthenticated');
  const { ids, label } = await recipients(world.accounts, senderId, to);
  const blockers = await blockersOf(world.accounts, senderId, ids);
  const delivered = ids.filter((id) => !blockers.has(id));
  const copy = { from_id: senderId, from_name: sender.username, to_label: label, subject, body };
  const rows = await world.accounts.transaction().execute(async (trx) => {
    const sent = await trx
      .insertInto('messages')
      .values({ ...copy, owner_id: senderId, folder: 'sent', read_at: new Date() })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    const inbox = delivered.length
      ? await trx
          .insertInto('messages')
          .values(delivered.map((id) => ({ ...copy, owner_id: id, folder: 'inbox' as const })))
          .returning(['id', 'owner_id'])
          .execute()
      : [];
    return { sent, inbox };
  });
  const events: DomainEvent[] = [];
  for (const row of rows.inbox) {
    events.push({
      topic: topics.player(row.owner_id),
      type: 'mail.received',
      data: { message_id: Number(row.id), from: sender.username, subject, unread: await unreadCount(world.accounts, row.owner_id) },
    });
  }
  await notify(world, events);
  return { id: Number(rows.sent.id), to: label, subject, body, created_at: new Date(rows.sent.created_at).toISOString() };
}

export interface MessageView {
  id: number;
  folder: 'inbox' | 'sent';
  from: string;
  to: string;
  subject: string;
  body: string;
  read: boolean;
  created_at: string;
}

export async function listMail(accounts: AccountDb, userId: string, folder: 'inbox' | 'sent', unreadOnly: boolean, before: number | undefined, limit: number) {
  let q = accounts
    .selectFrom('messages')
    .selectAll()
    .where('owner_id', '=', userId)
    .where('folder', '=', folder)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  if (before !== undefined) q = q.where('id', '<', before);
  const [rows, unread] = await Promise.all([q.execute(), unreadCount(accounts, userId)]);
  const page = rows.slice(0, limit);
  const messages: MessageView[] = page.map((r) => ({
    id: Number(r.id),
    folder: r.folder,
    from: r.from_name,
    to: r.to_label,
    subject: r.subject,
    body: r.body,
    read: r.read_at !== null,
    created_at: new Date(r.created_at).toISOString(),
  }));
  return { messages, unread, next_before: rows.length > limit ? messages[messages.length - 1]!.id : null };
}

export async function markRead(accounts: AccountDb, userId: string, id: number): Promise<{ unread: number }> {
  const row = await accounts
    .updateTable('messages')
    .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(new Date())) }))
    .where('id', '=', id)
    .where('owner_id', '=', userId)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw new Problem('not_found', { detail: `No message ${id} in your mailbox` });
  return { unread: await unreadCount(accounts, userId) };
}

export async function deleteMail(accounts: AccountDb, userId: string, id: number): Promise<void> {
  const row = await accounts.deleteFrom('messages').where('id', '=', id).where('owner_id', '=', userId).returning('id').executeTakeFirst();
  if (!row) throw new Problem('not_found', { detail: `No message ${id} in your mailbox` });
}

// ---- blocks -----------------------------------------------------------------------------------

export async function block(accounts: AccountDb, userId: string, pilot: string): Promise<string> {
  const target = await userByName(accounts, pilot);
  if (target.id === userId) throw new Problem('cannot_target_self', { detail: 'You cannot block yourself' });
  await accounts
    .insertInto('message_blocks')
    .values({ user_id: userId, blocked_id: target.id })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return target.username;
}

export async function unblock(accounts: AccountDb, userId: string, pilot: string): Promise<void> {
  const target = await userByName(accounts, pilot);
  await accounts.deleteFrom('message_blocks').where('user_id', '=', userId).where('blocked_id', '=', target.id).execute();
}

export async function blocks(accounts: AccountDb, userId: string): Promise<string[]> {
  const rows = await accounts
    .selectFrom('message_blocks')
    .innerJoin('users', 'users.id', 'message_blocks.blocked_id')
    .select('users.username')
    .where('message_blocks.user_id', '=', userId)
    .orderBy('users.username')
    .execute();
  return rows.map((r) => r.username);
}

/** Whether `recipientId` blocks `senderId` (direct chat asks before delivering). */
export async function isBlocked(accounts: AccountDb, recipientId: string, senderId: string): Promise<boolean> {
  return (await blockersOf(accounts, senderId, [recipientId])).has(recipientId);
}

// ---- reports ----------------------------------------------------------------------------------

/** Where chat history is kept: the region's bus, and the nexus bus for what crosses regions. */
interface ChatBuses {
  bus: Bus;
  nexusBus?: Bus;
}

interface StoredChatLine {
  id: string;
  at: string;
  channel: string;
  from: { id: string; name: string };
  text: string;
}

/** A chat line the reporter could have seen: in the recent history of a channel it hears. */
async function findChatLine(world: PeopleWorld & ChatBuses, userId: string, lineId: string): Promise<StoredChatLine | undefined> {
  const [crew, team] = await Promise.all([
    readCrew(world.region, userId),
    world.accounts.selectFrom('team_members').select('team_id').where('user_id', '=', userId).executeTakeFirst(),
  ]);
  const heard: Array<['global' | 'direct' | 'sector' | 'team', string]> = [
    ['global', chatHistoryKey('global')],
    ['direct', chatHistoryKey('direct', userId)],
  ];
  if (crew) heard.push(['sector', chatHistoryKey('sector', crew.pilot.sectorId)]);
  if (team) heard.push(['team', chatHistoryKey('team', team.team_id)]);
  for (const [channel, key] of heard) {
    const bus = chatCrossesRegions(channel) ? nexusBusOf(world) : world.bus;
    for (const text of await bus.newest(key, 200)) {
      try {
        const line = JSON.parse(text) as StoredChatLine;
        if (line.id === lineId) return line;
      } catch {
        // not a chat line
      }
    }
  }
  return undefined;
}

/** Report a message in your mailbox or a chat line you heard; stored for the moderators' queue. */
export async function report(world: PeopleWorld & ChatBuses, userId: string, kind: 'message' | 'chat', id: string, reason: string): Promise<number> {
  let reportedId: string | null;
  let content: Record<string, unknown>;
  if (kind === 'message') {
    const messageId = Number(id);
    const message = Number.isSafeInteger(messageId)
      ? await world.accounts.selectFrom('messages').selectAll().where('id', '=', messageId).where('owner_id', '=', userId).executeTakeFirst()
      : undefined;
    if (!message) throw new Problem('not_found', { detail: `No message ${id} in your mailbox` });
    reportedId = message.from_id;
    content = {
      from: message.from_name,
      to: message.to_label,
      subject: message.subject,
      body: message.body,
      sent_at: new Date(message.created_at).toISOString(),
    };
  } else {
    const line = await findChatLine(world, userId, id);
    if (!line) throw new Problem('not_found', { detail: `No chat line ${id} among what you can hear` });
    reportedId = line.from.id;
    content = { from: line.from.name, channel: line.channel, text: line.text, sent_at: line.at };
  }
  if (reportedId === userId) throw new Problem('cannot_target_self', { detail: 'You cannot report yourself' });
  const row = await world.accounts
    .insertInto('reports')
    .values({ reporter_id: userId, kind, target: id, reported_id: reportedId, reason, content: JSON.stringify(content) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

// ---- the global broadcast ---------------------------------------------------------------------

/**
 * A global broadcast: at most one per pilot per BROADCAST.intervalMs (the account row locked
 * while the last one is checked and the new one recorded, so two at once cannot both pass),
 * then its price charged through the ledger with the broadcast event in the same change set.
 * A pilot that cannot pay gets its slot back.
 */
export async function broadcast(world: PeopleWorld, userId: string, body: string): Promise<{ id: number; credits: number; cost: number }> {
  const now = Date.now();
  const claimed = await world.accounts.transaction().execute(async (trx) => {
    await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
    const last = await trx
      .selectFrom('broadcasts')
      .select('created_at')
      .where('user_id', '=', userId)
      .where('created_at', '>', new Date(now - BROADCAST.intervalMs))
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (last) {
      const retry = Math.ceil((new Date(last.created_at).getTime() + BROADCAST.intervalMs - now) / 1000);
      throw new Problem('broadcast_limited', { detail: `One broadcast every ${BROADCAST.intervalMs / 60_000} minutes`, retry_after: Math.max(1, retry) });
    }
    return trx.insertInto('broadcasts').values({ user_id: userId, body }).returning('id').executeTakeFirstOrThrow();
  });
  const id = Number(claimed.id);
  try {
    const result = await withPilot(world, userId, () =>
      runAction(world, {
        read: async (trx) => ({ crew: present((await crewsOf(trx, [userId], { lock: true }))[0], userId) }),
        decide: (scene) => decideBroadcast(scene.crew, body, id),
        respond: (_scene, outcome) => ({ status: 201, body: { id, credits: outcome.credits_after, cost: BROADCAST.cost } }),
      }),
    );
    return JSON.parse(result.text) as { id: number; credits: number; cost: number };
  } catch (err) {
    await world.accounts.deleteFrom('broadcasts').where('id', '=', id).execute();
    throw err;
  }
}
