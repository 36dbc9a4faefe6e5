import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peakKeepingIndices, peakKeepingRows } from './downsample.js';

const seq = (n: number) => Float64Array.from({ length: n }, (_, i) => i * 1000);

describe('peakKeepingIndices', () => {
  it('keeps a one-sample spike that an average would flatten', () => {
    const t = seq(100_000);
    const v = new Float64Array(100_000).fill(0.2);
    v[54_321] = 0.97;
    v[80_000] = 0.01;
    const kept = peakKeepingIndices(t, v, 300);
    expect(kept.length).toBeLessThanOrEqual(300 * 4);
    expect(kept).toContain(54_321);
    expect(kept).toContain(80_000);
  });

  it('returns every index when the data is already small', () => {
    expect(peakKeepingIndices(seq(10), new Float64Array(10), 100)).toEqual([...Array(10).keys()]);
  });

  it('restricts to the visible window plus one neighbour each side', () => {
    const t = seq(50);
    const kept = peakKeepingIndices(t, new Float64Array(50), 100, 10_000, 20_000);
    expect(kept[0]).toBe(9);
    expect(kept.at(-1)).toBe(21);
  });

  it('skips NaN gaps when choosing extremes', () => {
    const t = seq(1000);
    const v = new Float64Array(1000).fill(Number.NaN);
    v[500] = 3;
    expect(peakKeepingIndices(t, v, 10)).toContain(500);
  });

  it('a gap between two kept samples keeps a NaN, so the line is not bridged across it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: undefined }), {
          minLength: 50,
          maxLength: 3000,
        }),
        fc.integer({ min: 2, max: 40 }),
        (raw, buckets) => {
          const v = Float64Array.from(raw, (x) => (x === undefined ? Number.NaN : x));
          const kept = peakKeepingIndices(seq(v.length), v, buckets);
          for (let k = 1; k < kept.length; k++) {
            const a = kept[k - 1]!;
            const b = kept[k]!;
            if (Number.isNaN(v[a]!) || Number.isNaN(v[b]!)) continue;
            // Two consecutive drawn points: no gap may lie between them in the data.
            for (let i = a + 1; i < b; i++)
              expect(Number.isNaN(v[i]!), `NaN at ${i} bridged by ${a}-${b}`).toBe(false);
          }
        },
      ),
    );
  });

  it('property: max and min of every window survive, indices ascend', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 2000 }),
        fc.integer({ min: 1, max: 50 }),
        (vals, buckets) => {
          const v = Float64Array.from(vals);
          const kept = peakKeepingIndices(seq(v.length), v, buckets);
          for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
          const keptVals = kept.map((i) => v[i]!);
          expect(Math.max(...keptVals)).toBe(Math.max(...vals));
          expect(Math.min(...keptVals)).toBe(Math.min(...vals));
          expect(kept[0]).toBe(0);
          expect(kept.at(-1)).toBe(v.length - 1);
        },
      ),
    );
  });
});

describe('peakKeepingRows', () => {
  it('keeps the peak row of each layer of a stack', () => {
    const t = seq(10_000);
    const a = new Float64Array(10_000);
    const b = new Float64Array(10_000);
    a[1234] = 5;
    b[7777] = 9;
    const rows = peakKeepingRows(t, [a, b], 20);
    expect(rows).toContain(1234);
    expect(rows).toContain(7777);
  });
});
