import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import type { ApiClient, GameEvent } from '../../../client/index.js';
import { describeEvent } from './event-log.js';
import { createPeople } from './people.js';

const event = (id: number, type: string, data: Record<string, unknown>): GameEvent =>
  ({ id, type, topic: 'player:x', at: '2026-05-01T12:00:00.000Z', data }) as GameEvent;

describe('people', () => {
  it('keeps the unread count and the treasury from events, and remembers correspondents for completion', () => {
    createRoot((dispose) => {
      const people = createPeople({} as ApiClient);
      people.applyEvent(event(1, 'mail.received', { message_id: 4, from: 'leia', subject: 'hi', unread: 3 }));
      expect(people.state.unread).toBe(3);
      expect(people.state.known).toEqual(['leia']);
      people.setTeam({ id: 7, name: 'Rebels', tag: 'REB', leader: 'leia', treasury: 10, created_at: '', members: [], max_members: 6, invitations: [] });
      people.applyEvent(event(2, 'team.treasury', { team_id: 7, pilot: 'leia', action: 'deposit', amount: 90, treasury: 100 }));
      expect(people.state.team?.treasury).toBe(100);
      people.applyEvent(event(3, 'team.treasury', { team_id: 8, pilot: 'x', action: 'deposit', amount: 1, treasury: 555 }));
      expect(people.state.team?.treasury).toBe(100);
      dispose();
    });
  });

  it('logs mail, broadcasts and team news in the pilot’s words', () => {
    expect(describeEvent(event(1, 'mail.received', { message_id: 4, from: 'leia', subject: 'hi', unread: 2 }), 'han')?.text).toBe(
      'Mail from leia: hi (2 unread)',
    );
    expect(describeEvent(event(2, 'team.treasury', { team_id: 7, pilot: 'han', action: 'withdraw', amount: 500, treasury: 1500 }), 'han')?.text).toMatch(
      /^You withdrew 500 cr · treasury 1,500 cr$/,
    );
    expect(describeEvent(event(3, 'team.changed', { team_id: 7, change: 'joined', pilot: 'han' }), 'han')).toBeNull();
    expect(describeEvent(event(4, 'team.changed', { team_id: 7, change: 'kicked', pilot: 'greedo' }), 'han')?.text).toBe('greedo was removed from the team');
    expect(describeEvent(event(5, 'broadcast.sent', { from: 'jabba', body: 'Bounty!' }), 'han')?.text).toBe('Broadcast from jabba: Bounty!');
  });
});
