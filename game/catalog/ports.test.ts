import { describe, expect, it } from 'vitest';
import { PORT_CLASSES, portClassDef } from './ports.js';

describe('port classes', () => {
  it('read their B/S code as ore, organics, equipment from the port side', () => {
    expect(portClassDef(1).trades).toEqual({ ore: 'buy', organics: 'buy', equipment: 'sell' });
    expect(portClassDef(5).trades).toEqual({ ore: 'sell', organics: 'buy', equipment: 'sell' });
    expect(portClassDef(8).trades).toEqual({ ore: 'buy', organics: 'buy', equipment: 'buy' });
  });

  it('has Earth Station selling everything at fixed prices and a Stardock with no goods', () => {
    expect(portClassDef(0)).toMatchObject({ title: 'Earth Station', fixedPrice: true });
    expect(portClassDef(0).trades.colonists).toBe('sell');
    expect(portClassDef(9).trades).toEqual({});
  });

  it('indexes classes 0–9 by number', () => {
    expect(PORT_CLASSES.map((c) => c.portClass)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => portClassDef(10)).toThrow(RangeError);
  });
});
