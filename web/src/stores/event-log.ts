import { createStore } from 'solid-js/store';
import type { Commodity, GameEvent } from '../../../client/index.js';
import { count, credits, GOOD_NAMES } from '../format.js';

export type LogTone = 'trade' | 'profit' | 'traffic' | 'flight' | 'notice';

export interface LogEntry {
  id: number;
  at: string;
  tone: LogTone;
  text: string;
}

/** Lines kept on screen; older ones scroll away. */
const KEPT = 80;

const goodName = (good: unknown) => GOOD_NAMES[good as Commodity] ?? String(good);

/** One line of the log for an event, from the pilot's point of view; null for what it repeats. */
export function describeEvent(event: GameEvent, me: string | undefined): { tone: LogTone; text: string } | null {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'trade.completed': {
      const what = `${count(Number(d.quantity))} ${goodName(d.good)}`;
      const where = d.port_name ? ` at ${String(d.port_name)}` : '';
      if (d.side === 'buy') return { tone: 'trade', text: `Bought ${what}${where} for ${credits(Number(d.total))}` };
      const xp = Number(d.experience_gained) > 0 ? ` · +${count(Number(d.experience_gained))} xp` : '';
      return { tone: 'profit', text: `Sold ${what}${where} for ${credits(Number(d.total))}${xp}` };
    }
    case 'port.traded':
      if (d.trader === me) return null;
      return { tone: 'traffic', text: `${String(d.trader)} ${d.side === 'buy' ? 'bought' : 'sold'} ${count(Number(d.quantity))} ${goodName(d.good)} here` };
    case 'sector.arrived':
      if (d.player === me) return null;
      return { tone: 'traffic', text: `${String(d.player)} warped into sector ${String(d.sector_id)}` };
    case 'sector.departed':
      if (d.player === me) return null;
      return { tone: 'traffic', text: `${String(d.player)} left sector ${String(d.sector_id)}` };
    case 'player.moved':
      return { tone: 'flight', text: d.first_visit ? `Charted sector ${String(d.to)} — first visit` : `Warped to sector ${String(d.to)}` };
    case 'player.gate_departed':
      return { tone: 'flight', text: `Entered the gate in sector ${String(d.from)}: crossing to sector ${String(d.to)} (${String(d.to_region)})…` };
    case 'player.gate_arrived':
      return d.rolled_back
        ? { tone: 'notice', text: `The gate refused the crossing: back in sector ${String(d.sector_id)} with everything aboard` }
        : { tone: 'flight', text: `Through the gate: arrived in sector ${String(d.sector_id)} (${String(d.region)})` };
    case 'combat.resolved': {
      const attacking = d.attacker === me;
      const other = String(attacking ? d.defender : d.attacker);
      const lost = Number(attacking ? d.attacker_fighters_lost : d.defender_fighters_lost);
      const killed = Number(attacking ? d.defender_fighters_lost : d.attacker_fighters_lost);
      if (d.destroyed) {
        return attacking
          ? { tone: 'notice', text: `You destroyed ${other}'s ship in sector ${String(d.sector_id)} · lost ${count(lost)} fighters` }
          : { tone: 'notice', text: `${other} destroyed your ship in sector ${String(d.sector_id)}: you ejected in an Escape Pod` };
      }
      const how = d.result === 'repelled' ? (attacking ? 'repelled' : 'you repelled it') : 'no one broke';
      return {
        tone: 'notice',
        text: attacking
          ? `Attacked ${other}: ${how} · lost ${count(lost)}, destroyed ${count(killed)} fighters`
          : `${other} attacked you: ${how} · lost ${count(lost)}, destroyed ${count(killed)} fighters`,
      };
    }
    case 'sector.combat':
      if (d.attacker === me || d.defender === me) return null;
      return { tone: 'traffic', text: `${String(d.attacker)} attacked ${String(d.defender)} here${d.destroyed ? ' and destroyed the ship' : ''}` };
    case 'ship.destroyed':
      if (d.attacker === me || d.victim === me) return null;
      return { tone: 'traffic', text: `${String(d.attacker)} destroyed ${String(d.victim)}'s ship in sector ${String(d.sector_id)}` };
    case 'defenses.fired': {
      const where = `sector ${String(d.sector_id)}`;
      if (d.result === 'toll_paid') return { tone: 'notice', text: `${String(d.pilot)} paid your toll of ${count(Number(d.credits))} cr in ${where}` };
      if (d.kind === 'mines') return { tone: 'notice', text: `Your mines in ${where} hit ${String(d.pilot)} · ${count(Number(d.lost))} used` };
      if (d.result === 'destroyed' && Number(d.lost) > 0 && d.log_id)
        return { tone: 'notice', text: `Your fighters in ${where} fought ${String(d.pilot)} · lost ${count(Number(d.lost))}` };
      return { tone: 'notice', text: `Your fighters in ${where} engaged ${String(d.pilot)} (${String(d.result)}) · lost ${count(Number(d.lost))}` };
    }
    case 'bounty.paid':
      return { tone: 'notice', text: `Bounty of ${count(Number(d.credits))} cr paid for destroying ${String(d.pirate)}` };
    case 'police.fined':
      return { tone: 'notice', text: `The Federation police fined you ${count(Number(d.credits))} cr for attacking good pilots` };
    case 'mail.received':
      return { tone: 'notice', text: `Mail from ${String(d.from)}${d.subject ? `: ${String(d.subject)}` : ''} (${count(Number(d.unread))} unread)` };
    case 'broadcast.sent':
      return { tone: 'notice', text: `Broadcast from ${String(d.from)}: ${String(d.body)}` };
    case 'team.invited':
      return { tone: 'notice', text: `${String(d.from)} invites you to ${String(d.name)} [${String(d.tag)}]` };
    case 'team.joined':
      return { tone: 'notice', text: `You joined ${String(d.name)} [${String(d.tag)}]` };
    case 'team.left':
      return {
        tone: 'notice',
        text: d.reason === 'kicked' ? 'You were removed from your team' : d.reason === 'disbanded' ? 'Your team was disbanded' : 'You left your team',
      };
    case 'team.changed': {
      if (d.pilot === me && d.change !== 'leader') return null;
      const who = String(d.pilot);
      const said: Record<string, string> = {
        joined: `${who} joined the team`,
        left: `${who} left the team`,
        kicked: `${who} was removed from the team`,
        leader: `${who} now leads the team`,
        rights: `${who}'s treasury rights changed`,
        disbanded: 'The team was disbanded',
      };
      return { tone: 'notice', text: said[String(d.change)] ?? 'The team changed' };
    }
    case 'team.treasury':
      return {
        tone: 'notice',
        text: `${d.pilot === me ? 'You' : String(d.pilot)} ${d.action === 'deposit' ? 'deposited' : 'withdrew'} ${credits(Number(d.amount))} · treasury ${credits(Number(d.treasury))}`,
      };
    case 'planet.created':
      return {
        tone: 'traffic',
        text: `${d.owner === me ? 'You' : String(d.owner)} made planet ${String(d.name)} (${String(d.type)}) in sector ${count(Number(d.sector_id))}`,
      };
    case 'planet.attacked':
      return {
        tone: 'notice',
        text: d.captured
          ? `${String(d.attacker)} captured your planet ${String(d.planet)} in sector ${count(Number(d.sector_id))}`
          : `${String(d.attacker)} attacked your planet ${String(d.planet)}: it lost ${count(Number(d.fighters_lost))} fighters and ${count(Number(d.shields_lost))} shields, and held`,
      };
    case 'planet.captured':
      return {
        tone: 'notice',
        text: `${d.captured_by === me ? 'You' : String(d.captured_by)} captured planet ${String(d.planet)} in sector ${count(Number(d.sector_id))}${d.previous_owner ? ` from ${String(d.previous_owner)}` : ''}`,
      };
    default:
      return { tone: 'notice', text: event.type.replace(/[._]/g, ' ') };
  }
}

/** Whose log it is: the pilot's name (the account's username) and when the account was made. */
export interface LogOwner {
  name: string;
  /** ISO time the account was created: nothing before it is this pilot's history */
  since: string;
}

/**
 * The cockpit's log of what happened to the pilot and around it, fed by realtime (live frames
 * and the replay after a reconnect). Every event carries its outbox id, so one that arrives twice
 * is shown once, and the log stays in id order. The owner is known from sign-in, before the
 * pilot's state loads, so a replay that arrives first still recognises the pilot's own moves;
 * traffic from before the account existed (the replay window reaches back) is not shown.
 */
export function createEventLog(owner: LogOwner) {
  const since = Date.parse(owner.since);
  const [entries, setEntries] = createStore<LogEntry[]>([]);
  let lastId = 0;
  const seen = new Set<number>();

  return {
    entries,
    lastId: () => lastId,
    ingest(event: GameEvent) {
      if (seen.has(event.id)) return;
      seen.add(event.id);
      lastId = Math.max(lastId, event.id);
      if (Date.parse(event.at) < since) return;
      const line = describeEvent(event, owner.name);
      if (!line) return;
      const entry: LogEntry = { id: event.id, at: event.at, ...line };
      setEntries((list) => {
        const next = [...list, entry];
        if (next.length > 1 && next[next.length - 2]!.id > entry.id) next.sort((a, b) => a.id - b.id);
        return next.length > KEPT ? next.slice(next.length - KEPT) : next;
      });
      if (seen.size > KEPT * 20) {
        // Ids below the oldest line on screen are older than anything a replay can bring again.
        const floor = entries[0]?.id ?? lastId;
        for (const id of seen) if (id < floor) seen.delete(id);
      }
    },
    clear() {
      setEntries([]);
      seen.clear();
      lastId = 0;
    },
  };
}

export type EventLog = ReturnType<typeof createEventLog>;
