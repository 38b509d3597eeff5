import { describe, expect, it } from 'vitest';
import { engagementOf } from './Combat.js';

describe('a combat log’s detail', () => {
  const engagement = {
    seed: 's',
    attacker: { fighters: 10, shields: 50 },
    defender: { fighters: 30, shields: 50 },
    rounds: [{ round: 1, attacker_hits: 3, defender_hits: 8, attacker_fighters: 10, attacker_shields: 42, defender_fighters: 30, defender_shields: 47 }],
    result: 'stalemate',
    attacker_fighters_lost: 0,
    attacker_shields_lost: 8,
    defender_fighters_lost: 0,
    defender_shields_lost: 3,
  };
  it('reads the engagement as stored, or as JSON text, and nothing else', () => {
    expect(engagementOf(engagement)?.rounds).toHaveLength(1);
    expect(engagementOf(JSON.stringify({ ...engagement, kind: 'attack_planet' }))?.kind).toBe('attack_planet');
    expect(engagementOf(null)).toBeNull();
    expect(engagementOf('not json')).toBeNull();
    expect(engagementOf({ ...engagement, rounds: undefined })).toBeNull();
    expect(engagementOf({ ...engagement, defender_shields_lost: '3' })).toBeNull();
  });
});
