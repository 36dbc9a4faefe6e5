import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchCapacity } from './capacity-search.js';

const threshold = (need: number) => async (hosts: number) => ({ met: hosts >= need, result: hosts });

describe('searchCapacity', () => {
  it('finds the threshold from above and from below', async () => {
    expect((await searchCapacity(threshold(37), 100, 1, 1000)).hosts).toBe(37);
    expect((await searchCapacity(threshold(37), 5, 1, 1000)).hosts).toBe(37);
    expect((await searchCapacity(threshold(1), 50, 1, 1000)).hosts).toBe(1);
  });

  it('reports no answer when even the maximum fails, with the evidence', async () => {
    const r = await searchCapacity(threshold(5000), 10, 1, 100);
    expect(r.hosts).toBeUndefined();
    expect(r.trials.map((t) => t.hosts)).toEqual([10, 20, 40, 80, 100]);
  });

  it('stops growing when more hosts change nothing', async () => {
    const stuck = async (hosts: number) => ({ met: false, result: Math.min(hosts, 40) });
    const r = await searchCapacity(stuck, 10, 1, 100_000, (a, b) => a === b);
    expect(r.hosts).toBeUndefined();
    expect(r.stalled).toBe(true);
    expect(r.trials.map((t) => t.hosts)).toEqual([10, 20, 40, 80, 160]);
  });

  it('always finds the smallest passing count and never repeats a run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        async (need, start) => {
          const r = await searchCapacity(threshold(need), start, 1, 500);
          expect(r.hosts).toBe(need);
          const tried = r.trials.map((t) => t.hosts);
          expect(new Set(tried).size).toBe(tried.length);
          expect(tried.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(500)) + 2);
        },
      ),
    );
  });
});
