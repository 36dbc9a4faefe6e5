import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fittedTimeTicks, timeTicks } from './time-ticks.js';

const H = 3_600_000;

describe('timeTicks', () => {
  it('ticks a 7.9 h run every hour, not every 33 minutes', () => {
    const t = timeTicks(0, 7.89 * H, 13);
    expect(t.step).toBe(H);
    expect(t.values.map(t.format)).toEqual([
      '00:00',
      '01:00',
      '02:00',
      '03:00',
      '04:00',
      '05:00',
      '06:00',
      '07:00',
    ]);
  });

  it('labels with seconds only when the step is under a minute', () => {
    const t = timeTicks(90_000, 150_000, 5);
    expect(t.step).toBe(15_000);
    expect(t.values.map(t.format)).toEqual(['00:01:30', '00:01:45', '00:02:00', '00:02:15', '00:02:30']);
  });

  it('past a day the labels name the day', () => {
    const t = timeTicks(0, 3 * 24 * H, 7);
    expect(t.step).toBe(12 * H);
    expect(t.values.map(t.format).slice(0, 3)).toEqual(['00:00', '12:00', 'd1 00:00']);
  });

  it('never repeats a label and keeps within the window and the tick budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 * 24 * H }),
        fc.integer({ min: 1, max: 30 * 24 * H }),
        fc.integer({ min: 2, max: 20 }),
        (t0, span, n) => {
          const t = timeTicks(t0, t0 + span, n);
          const labels = t.values.map(t.format);
          expect(new Set(labels).size).toBe(labels.length);
          expect(t.values.length).toBeLessThanOrEqual(n + 1);
          for (const v of t.values) expect(v >= t0 && v <= t0 + span).toBe(true);
        },
      ),
    );
  });

  it('drops a tick whose label would stick out past the margins', () => {
    // An axis from 0 to 8 h, 800 px wide, no room on the left: 00:00 (centred at x=0) is left out.
    const tight = fittedTimeTicks(0, 8 * H, 800, 0, 0);
    expect(tight.values[0]).toBe(H);
    expect(tight.values.at(-1)).toBe(7 * H);
    const roomy = fittedTimeTicks(0, 8 * H, 800, 40, 40);
    expect(roomy.values).toHaveLength(9);
  });
});
