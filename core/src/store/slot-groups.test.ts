import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotGroups } from './slot-groups.js';

describe('SlotGroups', () => {
  it('moves slots between groups and keeps the members dense', () => {
    const g = new SlotGroups(2);
    const a = g.addGroup();
    const b = g.addGroup();
    for (const slot of [0, 1, 2, 3, 4]) g.add(slot, a);
    g.move(1, b);
    g.remove(3);
    expect([...g.snapshot(a)].sort()).toEqual([0, 2, 4]);
    expect([...g.snapshot(b)]).toEqual([1]);
    expect([g.groupOfSlot(1), g.groupOfSlot(3), g.groupOfSlot(99)]).toEqual([b, -1, -1]);
    expect(() => g.add(0, b)).toThrow(/already in group/);
  });

  it('agrees with a map of slot → group under any sequence of moves', () => {
    const op = fc.record({ slot: fc.nat(200), group: fc.integer({ min: -1, max: 4 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const g = new SlotGroups(8);
        for (let i = 0; i < 5; i++) g.addGroup();
        const model = new Map<number, number>();
        for (const { slot, group } of ops) {
          if (group === -1) {
            g.remove(slot);
            model.delete(slot);
          } else {
            g.move(slot, group);
            model.set(slot, group);
          }
        }
        for (let group = 0; group < 5; group++) {
          const expected = [...model].filter(([, m]) => m === group).map(([s]) => s);
          expect([...g.snapshot(group)].sort((x, y) => x - y)).toEqual(expected.sort((x, y) => x - y));
          expect(g.size(group)).toBe(expected.length);
        }
      }),
    );
  });
});
