import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Int32Pool } from './int32-pool.js';

describe('Int32Pool', () => {
  it('hands out zeroed, disjoint arrays of the asked length and reuses returned ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom(16, 100, 10_000, 300_000)), { maxLength: 60 }),
        (ops) => {
          const arrays = new Int32Pool();
          const live: { counts: Int32Array; mark: number }[] = [];
          let mark = 1;
          for (const [take, length] of ops) {
            if (take || live.length === 0) {
              const counts = arrays.take(length, length);
              expect(counts.length).toBe(length);
              expect(counts.every((x) => x === 0)).toBe(true);
              // Writing one array must leave every other live array as it was.
              counts.fill(mark);
              live.push({ counts, mark: mark++ });
            } else {
              const { counts } = live.pop()!;
              counts.fill(0);
              arrays.give(counts.length, counts);
            }
            for (const l of live) expect(l.counts.every((x) => x === l.mark)).toBe(true);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("drops a key's spares when the key asks for another length", () => {
    const pool = new Int32Pool();
    const old = pool.take(7, 100);
    pool.give(7, old);
    const longer = pool.take(7, 101);
    expect(longer).not.toBe(old);
    expect(longer.length).toBe(101);
    pool.give(7, longer);
    expect(pool.take(7, 101)).toBe(longer);
    expect(pool.take(7, 101)).not.toBe(old);
  });
});
