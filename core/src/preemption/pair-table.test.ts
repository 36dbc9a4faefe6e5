import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PairTable } from './pair-table.js';

describe('PairTable', () => {
  it('agrees with a Map after random adds and deletes, through growth and probe-run shifts', () => {
    const op = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 60 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const table = new PairTable();
        const map = new Map<string, number>();
        let next = 0;
        for (const [add, a, b] of ops) {
          const key = `${a},${b}`;
          if (add && !map.has(key)) {
            table.add(a, b, next);
            map.set(key, next++);
          } else if (!add) {
            table.delete(a, b);
            map.delete(key);
          }
          expect(table.size).toBe(map.size);
        }
        for (let a = 0; a <= 6; a++) {
          for (let b = 0; b <= 60; b++) expect(table.get(a, b)).toBe(map.get(`${a},${b}`) ?? -1);
        }
      }),
      { numRuns: 200 },
    );
  });
});
