import { createStore, produce } from 'solid-js/store';
import type { ClientFrame, RealtimeFrame } from '../../../client/index.js';

export type Channel = 'sector' | 'team' | 'global' | 'direct';
export const CHANNELS: Channel[] = ['sector', 'team', 'global', 'direct'];

export interface ChatLine {
  id: string;
  at: string;
  channel: Channel;
  from: { id: string; name: string };
  to?: string;
  text: string;
}

/** A line of the channel's scrollback: a message, or a note such as entering a new sector. */
export type Scrollback = { kind: 'line'; line: ChatLine } | { kind: 'note'; id: string; text: string };

interface CommsState {
  me: { id: string; name: string } | null;
  channel: Channel;
  scrollback: Record<Channel, Scrollback[]>;
  unread: Record<Channel, number>;
  /** who a direct message goes to */
  recipient: { id: string; name: string } | null;
  error: string | null;
  maxLength: number;
  /** the pilot's team, when it is in one: the Team channel is open then */
  team: { name: string; tag: string } | null;
  /** names whose lines are not shown (the pilot blocks them) */
  blocked: string[];
}

const KEPT = 100;
const empty = <T>(make: () => T): Record<Channel, T> => ({ sector: make(), team: make(), global: make(), direct: make() });

/**
 * Chat over the realtime link: sector, team, global and direct channels, each with the recent
 * history the server replays on connect and the lines that arrive live. A line seen twice (a
 * replay after a reconnect) is shown once.
 */
export function createComms(send: (frame: ClientFrame) => boolean) {
  const [state, setState] = createStore<CommsState>({
    me: null,
    channel: 'sector',
    scrollback: empty<Scrollback[]>(() => []),
    unread: empty(() => 0),
    recipient: null,
    error: null,
    maxLength: 500,
    team: null,
    blocked: [],
  });
  const seen = new Set<string>();
  let refs = 0;
  const pending = new Map<string, string>();

  const add = (line: ChatLine, live: boolean) => {
    if (seen.has(line.id)) return;
    seen.add(line.id);
    setState(
      produce((s) => {
        const list = s.scrollback[line.channel];
        list.push({ kind: 'line', line });
        if (list.length > KEPT) list.splice(0, list.length - KEPT);
        const hidden = s.blocked.some((b) => b.toLowerCase() === line.from.name.toLowerCase());
        if (live && !hidden && s.channel !== line.channel && line.from.id !== s.me?.id) s.unread[line.channel] += 1;
      }),
    );
  };

  return {
    state,

    /** Route a realtime frame that concerns chat; returns false for frames it does not handle. */
    handle(frame: RealtimeFrame): boolean {
      const data = frame.data;
      switch (frame.type) {
        case 'welcome':
          setState({ me: { id: String(data.user_id), name: String(data.name) }, maxLength: Number(data.chat_max_length ?? 500) });
          return true;
        case 'chat.history': {
          const channel = data.channel as Channel;
          for (const message of (data.messages as ChatLine[]) ?? []) add({ ...message, channel }, false);
          return true;
        }
        case 'chat.message':
          add({ ...(data as unknown as Omit<ChatLine, 'id' | 'at'>), id: String(frame.id), at: frame.at }, true);
          return true;
        case 'error': {
          const ref = typeof data.ref === 'string' ? data.ref : undefined;
          if (!ref || !pending.has(ref)) return false;
          pending.delete(ref);
          setState('error', String(data.message ?? data.code));
          return true;
        }
        default:
          return false;
      }
    },

    setTeam(team: { name: string; tag: string } | null) {
      setState('team', team);
    },

    setBlocked(names: string[]) {
      setState('blocked', names);
    },

    /** A channel's lines as shown: without those of pilots the pilot blocks. */
    visible(channel: Channel): Scrollback[] {
      const blocked = state.blocked.map((b) => b.toLowerCase());
      if (blocked.length === 0) return state.scrollback[channel];
      return state.scrollback[channel].filter((entry) => entry.kind === 'note' || !blocked.includes(entry.line.from.name.toLowerCase()));
    },

    open(channel: Channel) {
      setState({ channel, error: null });
      setState('unread', channel, 0);
    },

    /** Direct messages go to someone who has spoken (their id comes with their lines). */
    messagePrivately(person: { id: string; name: string }) {
      setState({ recipient: person, channel: 'direct', error: null });
      setState('unread', 'direct', 0);
    },

    /** Sector chat follows the ship: mark where the sector changed. */
    enteredSector(sectorId: number) {
      setState(
        produce((s) => {
          const list = s.scrollback.sector;
          const last = list[list.length - 1];
          if (last?.kind === 'note' && last.id === `sector-${sectorId}`) return;
          // Nothing was said in the last sector: its marker goes.
          if (last?.kind === 'note') list.pop();
          list.push({ kind: 'note', id: `sector-${sectorId}`, text: `Sector ${sectorId}` });
          if (list.length > KEPT) list.splice(0, list.length - KEPT);
        }),
      );
    },

    /** Send a line on the open channel; false (and an error shown) when it cannot go. */
    say(text: string): boolean {
      const trimmed = text.trim();
      if (!trimmed) return false;
      const channel = state.channel;
      if (channel === 'team' && !state.team) {
        setState('error', 'You are not in a team: form or join one on the Team screen.');
        return false;
      }
      if (channel === 'direct' && !state.recipient) {
        setState('error', 'Pick who to message: click a name in any channel.');
        return false;
      }
      const ref = `say-${++refs}`;
      const frame: ClientFrame = { type: 'chat', channel, text: trimmed, ref, ...(channel === 'direct' ? { to: state.recipient!.id } : {}) };
      if (!send(frame)) {
        setState('error', 'Comms are down; reconnecting…');
        return false;
      }
      pending.set(ref, trimmed);
      if (pending.size > 50) pending.delete(pending.keys().next().value!);
      setState('error', null);
      return true;
    },
  };
}

export type Comms = ReturnType<typeof createComms>;
