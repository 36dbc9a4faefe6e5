import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('grows from the initial delay to the cap and never exceeds it, whatever the jitter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 20, maxLength: 20 }),
        (draws) => {
          let i = 0;
          const backoff = new Backoff({
            initialMs: 100,
            maxMs: 15_000,
            random: () => draws[i++ % draws.length]!,
          });
          const delays = draws.map(() => backoff.next());
          expect(delays[0]).toBeGreaterThanOrEqual(50);
          expect(delays[0]).toBeLessThan(100);
          for (const d of delays) expect(d).toBeLessThanOrEqual(15_000);
          // After enough failures the window is [cap/2, cap).
          for (const d of delays.slice(10)) expect(d).toBeGreaterThanOrEqual(7_500);
        },
      ),
    );
  });

  it('jitters: different draws give different delays', () => {
    const low = new Backoff({ initialMs: 1000, random: () => 0 });
    const high = new Backoff({ initialMs: 1000, random: () => 0.99 });
    expect(low.next()).toBe(500);
    expect(high.next()).toBeCloseTo(995);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 100, random: () => 0 });
    backoff.next();
    backoff.next();
    expect(backoff.next()).toBe(200);
    backoff.reset();
    expect(backoff.next()).toBe(50);
  });
});
