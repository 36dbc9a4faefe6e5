import { describe, expect, it } from 'vitest';
import { BacklogWatch } from './backlog-watch.js';

const H = 3_600_000;

describe('BacklogWatch', () => {
  it('stops once the pending count reached no new low for the window', () => {
    const w = new BacklogWatch(2 * H);
    expect(w.stalled(0, 100)).toBe(false);
    expect(w.stalled(1 * H, 100)).toBe(false);
    expect(w.stalled(2 * H - 600_000, 120)).toBe(false);
    expect(w.stalled(2 * H, 120)).toBe(true);
  });

  it('keeps going while the backlog drains, however slowly, and forgets an emptied one', () => {
    const w = new BacklogWatch(2 * H);
    for (let h = 0; h <= 10; h++) expect(w.stalled(h * H, 100 - h)).toBe(false);
    expect(w.stalled(11 * H, 0)).toBe(false);
    expect(w.stalled(12 * H, 50)).toBe(false);
    expect(w.stalled(13 * H, 50)).toBe(false);
    expect(w.stalled(14 * H, 50)).toBe(true);
  });

  it('looks only on its 10-minute grid', () => {
    const w = new BacklogWatch(0);
    expect(w.stalled(0, 5)).toBe(false);
    // Inside the first step nothing is looked at, even with a zero window.
    expect(w.stalled(60_000, 5)).toBe(false);
    expect(w.stalled(600_000, 5)).toBe(true);
  });

  it('says what happened and how to run longer', () => {
    expect(BacklogWatch.notice(14 * H, 812)).toMatch(
      /stopped at 14h.*812 tasks pending.*no new low for 6h.*--until/,
    );
  });
});
