import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cdfAt, cdfFromQuantiles, quantilesOf } from './cdf.js';

describe('quantilesOf', () => {
  it('gives min at p=0, max at p=1 and the nearest-rank median', () => {
    const q = quantilesOf(Float64Array.from([5, 1, 3, 2, 4]), 3);
    expect(q).toEqual([1, 3, 5]);
  });

  it('is empty for no data', () => {
    expect(quantilesOf(new Float64Array(0), 10)).toEqual([]);
  });
});

describe('cdfFromQuantiles', () => {
  it('merges repeated values into one step at the highest probability', () => {
    const pts = cdfFromQuantiles([0, 0, 0, 10, 20]);
    expect(pts).toEqual([
      { x: 0, p: 0.5 },
      { x: 10, p: 0.75 },
      { x: 20, p: 1 },
    ]);
    expect(cdfAt(pts, 5)).toBe(0.5);
    expect(cdfAt(pts, -1)).toBe(0);
  });

  it('property: monotone in x and p, ends at 1 at the maximum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 500 }),
        fc.integer({ min: 2, max: 300 }),
        (delays, n) => {
          const pts = cdfFromQuantiles(quantilesOf(Float64Array.from(delays), n));
          for (let i = 1; i < pts.length; i++) {
            expect(pts[i]!.x).toBeGreaterThan(pts[i - 1]!.x);
            expect(pts[i]!.p).toBeGreaterThan(pts[i - 1]!.p);
          }
          expect(pts.at(-1)!.p).toBe(1);
          expect(pts.at(-1)!.x).toBe(Math.max(...delays));
          expect(pts[0]!.x).toBe(Math.min(...delays));
        },
      ),
    );
  });
});
