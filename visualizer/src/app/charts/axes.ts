/**
 * The pieces every chart's axes share: the round-stepped time axis and the axis titles that say
 * what is measured and in which unit (an e2e test checks every axis has one).
 */
import { axisBottom, type ScaleContinuousNumeric, type Selection } from 'd3';
import { fittedTimeTicks, TIME_AXIS_LABEL } from '../time-ticks.js';

/** Room below the plot for tick labels plus the x axis title. */
export const X_TITLE_ROOM = 34;
/** Room left of the plot for tick labels plus the y axis title. */
export const Y_TITLE_ROOM = 76;

/**
 * A bottom time axis over `x` (a time scale of the window), with round steps; ticks whose label
 * would not fit between -`left` and width + `right` px are left out rather than clipped.
 */
export function timeAxis(x: ScaleContinuousNumeric<number, number>, left: number, right: number) {
  const [t0, t1] = x.domain() as [number, number];
  const [r0, r1] = x.range() as [number, number];
  const ticks = fittedTimeTicks(t0, t1, r1 - r0, left, right);
  return axisBottom(x)
    .tickValues(ticks.values)
    .tickFormat((v) => ticks.format(Number(v)));
}

/** The title under an x axis drawn at `ih` inside a plot `iw` wide. */
export function xTitle<E extends SVGElement, P extends Element | null>(
  g: Selection<E, unknown, P, undefined>,
  iw: number,
  ih: number,
  text = TIME_AXIS_LABEL,
): void {
  g.append('text')
    .attr('class', 'axis-label x')
    .attr('x', iw / 2)
    .attr('y', ih + X_TITLE_ROOM - 4)
    .attr('text-anchor', 'middle')
    .text(text);
}

/** The title of a y axis, upright along the left edge of a margin `left` px wide. */
export function yTitle<E extends SVGElement, P extends Element | null>(
  g: Selection<E, unknown, P, undefined>,
  ih: number,
  left: number,
  text: string,
): void {
  g.append('text')
    .attr('class', 'axis-label y')
    .attr('transform', `translate(${-left + 11},${ih / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(text);
}
