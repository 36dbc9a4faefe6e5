import { describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE, flappingPenaltyMs, isFlappingRun } from './throttle.js';

describe('flappingPenaltyMs', () => {
  it('is a truncated binary backoff from 30 s to 5 min', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => flappingPenaltyMs(n))).toEqual([
      0, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000,
    ]);
  });

  it('stays at the cap for absurd flap counts', () => {
    expect(flappingPenaltyMs(10_000)).toBe(DEFAULT_THROTTLE.maxPenaltyMs);
  });
});

describe('isFlappingRun', () => {
  it('calls runs shorter than the threshold, or runs that never started, flapping', () => {
    expect(isFlappingRun(0, 299_999)).toBe(true);
    expect(isFlappingRun(0, 300_000)).toBe(false);
    expect(isFlappingRun(undefined, 10)).toBe(true);
  });
});
