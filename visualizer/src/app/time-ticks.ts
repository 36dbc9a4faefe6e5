/**
 * Time axis ticks a person reads at a glance: multiples of a round step (1 s … 30 min, 1, 2, 3,
 * 6, 12 h, 1, 2, 7 days) instead of d3's decimal steps over milliseconds (which gave 33-minute
 * ticks), labelled with seconds only when the step needs them, so no two labels repeat. Ticks
 * whose label would stick out of the space the axis has are left out rather than clipped.
 */
import { fmtClock } from './format.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
];

/** Rough width of one tick label character (10 px sans-serif digits), for the fit check. */
const CHAR_PX = 6.2;

export interface TimeTicks {
  readonly step: number;
  readonly values: number[];
  readonly format: (t: number) => string;
}

/** The smallest round step giving at most `maxTicks` ticks over [t0, t1]; its ticks and label format. */
export function timeTicks(t0: number, t1: number, maxTicks: number): TimeTicks {
  const span = Math.max(1, t1 - t0);
  const limit = Math.max(2, maxTicks);
  let step = STEPS.find((s) => span / s <= limit);
  if (step === undefined) {
    // Longer than 28 days per tick: whole multiples of 28 days.
    step = Math.ceil(span / limit / (28 * DAY)) * 28 * DAY;
  }
  const format = (t: number) => fmtClock(t, step < MINUTE);
  const values: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) values.push(t);
  return { step, values, format };
}

/**
 * timeTicks for an axis `width` px wide (about one tick per 90 px), keeping only ticks whose
 * centred label fits between -`left` and `width` + `right` px (the margins beside the axis).
 */
export function fittedTimeTicks(
  t0: number,
  t1: number,
  width: number,
  left: number,
  right: number,
): TimeTicks {
  const ticks = timeTicks(t0, t1, Math.floor(width / 90));
  const x = (t: number) => ((t - t0) / Math.max(1, t1 - t0)) * width;
  const values = ticks.values.filter((t) => {
    const half = (ticks.format(t).length * CHAR_PX) / 2;
    return x(t) - half >= -left && x(t) + half <= width + right;
  });
  return { ...ticks, values };
}

/** The x axis title of every time chart. */
export const TIME_AXIS_LABEL = 'simulated time since the trace start (dN = day N)';

/**
 * The unit a duration y axis is ticked in, given its top (ms): whole hours, minutes or seconds,
 * so a delay axis reads 1 h, 2 h, 3 h rather than 1.39 h, 2.78 h.
 */
export function durationTickUnit(top: number): number {
  if (top >= 2 * HOUR) return HOUR;
  if (top >= 2 * MINUTE) return MINUTE;
  if (top >= 2 * SECOND) return SECOND;
  return 1;
}
