import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../output/summary.js';
import { aggregate, spread } from './aggregate.js';

describe('aggregate', () => {
  it('computes mean, sample stdev, min and max', () => {
    expect(spread([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, stdev: 2.13809, min: 2, max: 9 });
    expect(spread([3])).toEqual({ mean: 3, stdev: 0, min: 3, max: 3 });
  });

  it('groups runs by policy', () => {
    const s = (p99: number) => ({ schedulingDelayMs: { p99 } }) as unknown as RunSummary;
    const agg = aggregate(
      ['a', 'b'],
      [
        { policy: 'a', summary: s(10) },
        { policy: 'b', summary: s(1) },
        { policy: 'a', summary: s(20) },
      ],
      ['delay.p99'],
    );
    expect(agg.map((a) => [a.policy, a.metrics['delay.p99']?.mean])).toEqual([
      ['a', 15],
      ['b', 1],
    ]);
  });
});
