import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stackTiers } from './stack-tiers.js';

describe('stackTiers', () => {
  it('stacks in order, each layer starting where the previous ended', () => {
    const s = stackTiers(
      [
        { key: 'preferred', values: [1, 2, 3] },
        { key: 'preemptible', values: [4, 0, 1] },
        { key: 'revocable', values: [0.5, 0.5, 0.5] },
      ],
      [0, 1, 2],
    );
    expect([...s.layers[1]!.y0]).toEqual([1, 2, 3]);
    expect([...s.layers[1]!.y1]).toEqual([5, 2, 4]);
    expect([...s.total]).toEqual([5.5, 2.5, 4.5]);
  });

  it('closes ranks when a layer is hidden and treats NaN as 0', () => {
    const s = stackTiers(
      [
        { key: 'a', values: [1, Number.NaN] },
        { key: 'b', values: [10, 10] },
        { key: 'c', values: [100, 100] },
      ],
      [0, 1],
      new Set(['b']),
    );
    expect(s.layers.map((l) => l.key)).toEqual(['a', 'c']);
    expect([...s.layers[1]!.y0]).toEqual([1, 0]);
    expect([...s.total]).toEqual([101, 100]);
  });

  it('property: the top layer equals the sum of the tiers at every kept row', () => {
    const col = fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { minLength: 20, maxLength: 20 });
    fc.assert(
      fc.property(
        fc.array(col, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 19 })),
        (cols, rows) => {
          rows.sort((a, b) => a - b);
          const s = stackTiers(
            cols.map((values, i) => ({ key: `k${i}`, values })),
            rows,
          );
          rows.forEach((r, i) => {
            const sum = cols.reduce((acc, c) => acc + c[r]!, 0);
            expect(s.layers.at(-1)!.y1[i]).toBeCloseTo(sum, 6);
            expect(s.total[i]).toBeCloseTo(sum, 6);
            for (const l of s.layers) expect(l.y1[i]!).toBeGreaterThanOrEqual(l.y0[i]!);
          });
        },
      ),
    );
  });
});
