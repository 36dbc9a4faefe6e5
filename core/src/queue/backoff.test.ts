import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, nextPenalty } from './backoff.js';

describe('nextPenalty', () => {
  it('doubles from 1 s to 1 min on fruitless attempts', () => {
    const seen: number[] = [];
    let p = 0;
    for (let i = 0; i < 9; i++) {
      p = nextPenalty(p, false, DEFAULT_BACKOFF);
      seen.push(p);
    }
    expect(seen).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('starts over when an attempt placed something', () => {
    expect(nextPenalty(32000, true, DEFAULT_BACKOFF)).toBe(1000);
    expect(nextPenalty(0, false, { initialMs: 250, maxMs: 100 })).toBe(100);
  });
});
