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

describe('SlotGroups against a naive model', () => {
  it('keeps the same members in the same order after any adds, removes and moves', () => {
    const op = fc.record({
      kind: fc.constantFrom('add', 'remove', 'move'),
      slot: fc.integer({ min: 0, max: 2100 }),
      group: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const groups = new SlotGroups(16);
        for (let g = 0; g < 4; g++) groups.addGroup();
        // Naive: member lists with the same swap-with-last removal.
        const lists: number[][] = [[], [], [], []];
        const where = new Map<number, number>();
        const naiveRemove = (slot: number) => {
          const g = where.get(slot);
          if (g === undefined) return;
          const list = lists[g]!;
          const i = list.indexOf(slot);
          list[i] = list[list.length - 1]!;
          list.pop();
          where.delete(slot);
        };
        for (const o of ops) {
          if (o.kind === 'add') {
            if (where.has(o.slot)) continue; // add of a member throws; covered elsewhere
            groups.add(o.slot, o.group);
            lists[o.group]!.push(o.slot);
            where.set(o.slot, o.group);
          } else if (o.kind === 'remove') {
            groups.remove(o.slot);
            naiveRemove(o.slot);
          } else {
            groups.move(o.slot, o.group);
            naiveRemove(o.slot);
            lists[o.group]!.push(o.slot);
            where.set(o.slot, o.group);
          }
        }
        for (let g = 0; g < 4; g++) {
          expect([...groups.snapshot(g)]).toEqual(lists[g]);
          expect(groups.size(g)).toBe(lists[g]!.length);
        }
        for (let slot = 0; slot <= 2101; slot++) expect(groups.groupOfSlot(slot)).toBe(where.get(slot) ?? -1);
      }),
      { numRuns: 200 },
    );
  });
});
