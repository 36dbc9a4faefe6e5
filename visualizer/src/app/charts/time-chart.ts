import {
  area,
  axisLeft,
  bisector,
  brushX,
  type D3BrushEvent,
  line,
  max,
  pointer,
  scaleLinear,
  select,
} from 'd3';
import { peakKeepingIndices, peakKeepingRows } from '../../transforms/downsample.js';
import type { TimeMarker } from '../../transforms/markers.js';
import { stackTiers } from '../../transforms/stack-tiers.js';
import { escapeHtml, fmtClock } from '../format.js';
import { MARKER_COLOR } from '../palette.js';
import type { TimeDomain } from '../time-domain.js';
import type { Tooltip } from '../tooltip.js';
import { timeAxis, X_TITLE_ROOM, xTitle, Y_TITLE_ROOM, yTitle } from './axes.js';
import { Legend } from './legend.js';

/**
 * The time chart every over-time view is made of: optional stacked areas (tiers) plus lines
 * (capacity, totals, percentiles, or one line per run in a comparison), cluster markers behind,
 * a shared time window, brush-to-zoom, hover with exact values and legend toggles.
 *
 * Drawing is from peak-keeping downsampled rows of the visible window, so a one-day run at
 * one-second samples costs the same to draw as a short one and no spike disappears; the hover
 * tooltip reads the raw samples.
 */
export interface Series {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly t: Float64Array;
  readonly values: Float64Array;
  readonly dash?: string;
  /** A shaded range around the line (e.g. min–max across seeds), on the same `t`. */
  readonly band?: { readonly lo: Float64Array; readonly hi: Float64Array };
  /** `i` is the sample index, so a format can relate the value to another column (e.g. capacity). */
  readonly format: (v: number, i: number) => string;
}

export interface TimeChartSpec {
  readonly id: string;
  readonly title: string;
  readonly note?: string;
  /** Stacked bottom-up in order; all must share one `t`. */
  readonly stack?: readonly Series[];
  readonly lines?: readonly Series[];
  readonly yFormat: (v: number) => string;
  /** The y axis title: what is measured and its unit (e.g. "CPU cores", "tasks per minute"). */
  readonly yLabel: string;
  readonly height?: number;
  /** The unit ticks are chosen in, given the axis top (e.g. 1024 to tick RAM in whole GiB). */
  readonly tickUnit?: (top: number) => number;
  /** Lowest top of the y axis (e.g. 1 s for delays, so a run of 0 ms delays does not get ticks of 0.2 ms). */
  readonly yMinTop?: number;
  /** Series hidden until the user turns them on. */
  readonly initiallyHidden?: readonly string[];
}

export interface ChartContext {
  readonly domain: TimeDomain;
  readonly tooltip: Tooltip;
  readonly markers: readonly TimeMarker[];
}

const MARGIN = { top: 10, right: 18, bottom: X_TITLE_ROOM, left: Y_TITLE_ROOM };
let clipSeq = 0;

export class TimeChart {
  private readonly svg;
  private readonly hidden: Set<string>;
  private readonly clipId = `clip-${++clipSeq}`;

  constructor(
    private readonly el: HTMLElement,
    private readonly spec: TimeChartSpec,
    private readonly ctx: ChartContext,
  ) {
    el.classList.add('chart');
    el.dataset.chart = spec.id;
    const head = select(el).append('div').attr('class', 'chart-head');
    head.append('h3').text(spec.title);
    if (spec.note) head.append('p').attr('class', 'note').text(spec.note);
    this.hidden = new Set(spec.initiallyHidden ?? []);
    const all = [...(spec.stack ?? []), ...(spec.lines ?? [])];
    new Legend(
      head.node()!,
      all.map((s) => ({ key: s.key, label: s.label, color: s.color, dash: s.dash })),
      this.hidden,
      () => this.render(),
    );
    this.svg = select(el).append('svg').attr('class', 'plot');
    ctx.domain.subscribe(() => this.render());
    if (all.length > 0 && all.every((s) => s.values.every((v) => v === 0 || Number.isNaN(v)))) {
      // Nothing but zeros over the whole run: one line saying so instead of an empty frame.
      el.dataset.empty = 'true';
      el.classList.add('collapsed');
      select(el).append('p').attr('class', 'empty-note').text('None in this run (zero throughout).');
    }
  }

  render(): void {
    if (this.el.dataset.empty === 'true') {
      this.svg.style('display', 'none');
      this.el.dataset.drawn = 'true';
      return;
    }
    const width = Math.max(320, this.el.clientWidth);
    const height = (this.spec.height ?? 220) + 12;
    const iw = width - MARGIN.left - MARGIN.right;
    const ih = height - MARGIN.top - MARGIN.bottom;
    const [t0, t1] = this.ctx.domain.window;
    const svg = this.svg
      .attr('width', width)
      .attr('height', height)
      .attr('viewBox', `0 0 ${width} ${height}`);
    svg.selectAll('*').remove();
    const x = scaleLinear().domain([t0, t1]).range([0, iw]);
    const buckets = Math.max(16, Math.ceil(iw / 2));

    const stackDefs = (this.spec.stack ?? []).filter((s) => !this.hidden.has(s.key));
    const lineDefs = (this.spec.lines ?? []).filter((s) => !this.hidden.has(s.key));
    const stackT = stackDefs[0]?.t;
    const rows = stackT
      ? peakKeepingRows(
          stackT,
          stackDefs.map((s) => s.values),
          buckets,
          t0,
          t1,
        )
      : [];
    const stack = stackTiers(
      stackDefs.map((s) => ({ key: s.key, values: s.values })),
      rows,
    );
    const lineRows = lineDefs.map((s) => peakKeepingIndices(s.t, s.values, buckets, t0, t1));

    let yMax = max(stack.total) ?? 0;
    lineDefs.forEach((s, k) => {
      for (const i of lineRows[k]!) {
        if (s.values[i]! > yMax) yMax = s.values[i]!;
        if (s.band && s.band.hi[i]! > yMax) yMax = s.band.hi[i]!;
      }
    });
    // Ticks are made "nice" in the unit the axis is read in (GiB, TiB), not in raw MB.
    const top = Math.max(yMax > 0 ? yMax * 1.06 : 1, this.spec.yMinTop ?? 0);
    const unit = this.spec.tickUnit?.(top) ?? 1;
    const inUnit = scaleLinear()
      .domain([0, top / unit])
      .nice();
    const y = scaleLinear()
      .domain([0, inUnit.domain()[1]! * unit])
      .range([ih, 0]);
    const tickValues = inUnit.ticks(5).map((v) => v * unit);

    svg
      .append('defs')
      .append('clipPath')
      .attr('id', this.clipId)
      .append('rect')
      .attr('width', iw)
      .attr('height', ih);
    const g = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    g.append('g')
      .attr('class', 'grid')
      .call(
        axisLeft(y)
          .tickValues(tickValues)
          .tickSize(-iw)
          .tickFormat(() => ''),
      );
    const plot = g.append('g').attr('clip-path', `url(#${this.clipId})`);
    drawMarkers(plot, this.ctx.markers, x, ih);

    const byKey = new Map(stackDefs.map((s) => [s.key, s]));
    for (const layer of stack.layers) {
      const def = byKey.get(layer.key)!;
      const path = area<number>()
        .x((i) => x(stackT![rows[i]!]!))
        .y0((i) => y(layer.y0[i]!))
        .y1((i) => y(layer.y1[i]!));
      plot
        .append('path')
        .attr('class', 'series area')
        .attr('data-series', layer.key)
        .attr('fill', def.color)
        .attr('fill-opacity', 0.85)
        .attr('d', path(rows.map((_, i) => i)) ?? '');
    }
    lineDefs.forEach((s, k) => {
      const idx = lineRows[k]!;
      if (s.band) {
        const { lo, hi } = s.band;
        const shade = area<number>()
          .defined((i) => !Number.isNaN(lo[i]!) && !Number.isNaN(hi[i]!))
          .x((i) => x(s.t[i]!))
          .y0((i) => y(lo[i]!))
          .y1((i) => y(hi[i]!));
        plot
          .append('path')
          .attr('class', 'band')
          .attr('data-series', s.key)
          .attr('fill', s.color)
          .attr('fill-opacity', 0.18)
          .attr('d', shade(idx) ?? '');
      }
      const path = line<number>()
        .defined((i) => !Number.isNaN(s.values[i]!))
        .x((i) => x(s.t[i]!))
        .y((i) => y(s.values[i]!));
      plot
        .append('path')
        .attr('class', 'series line')
        .attr('data-series', s.key)
        .attr('fill', 'none')
        .attr('stroke', s.color)
        .attr('stroke-width', 1.6)
        // Round caps draw a lone sample between gaps as a dot instead of nothing.
        .attr('stroke-linecap', 'round')
        .attr('stroke-dasharray', s.dash ?? null)
        .attr('d', path(idx) ?? '');
    });

    g.append('g')
      .attr('class', 'axis x')
      .attr('transform', `translate(0,${ih})`)
      .call(timeAxis(x, MARGIN.left - 24, MARGIN.right));
    g.append('g')
      .attr('class', 'axis y')
      .call(
        axisLeft(y)
          .tickValues(tickValues)
          .tickFormat((v) => this.spec.yFormat(Number(v))),
      );
    xTitle(g, iw, ih);
    yTitle(g, ih, MARGIN.left, this.spec.yLabel);

    this.attachInteraction(g, x, iw, ih, [...stackDefs, ...lineDefs], stackDefs.length > 1);
    this.el.dataset.drawn = 'true';
    this.el.dataset.window = `${Math.round(t0)}-${Math.round(t1)}`;
  }

  private attachInteraction(
    g: ReturnType<typeof select<SVGGElement, unknown>>,
    x: ReturnType<typeof scaleLinear<number, number>>,
    iw: number,
    ih: number,
    visible: readonly Series[],
    showTotal: boolean,
  ): void {
    const rule = g
      .append('line')
      .attr('class', 'hover-rule')
      .attr('y1', 0)
      .attr('y2', ih)
      .style('display', 'none');
    const brush = brushX()
      .extent([
        [0, 0],
        [iw, ih],
      ])
      .on('end', (event: D3BrushEvent<unknown>) => {
        const sel = event.selection as [number, number] | null;
        if (!sel || !event.sourceEvent) return;
        brushG.call(brush.move, null);
        this.ctx.domain.set([x.invert(sel[0]), x.invert(sel[1])]);
      });
    const brushG = g.append('g').attr('class', 'brush').call(brush);
    const bisect = bisector((d: number) => d).center;
    brushG
      .on('dblclick', () => this.ctx.domain.reset())
      .on('mousemove', (event: MouseEvent) => {
        const [mx] = pointer(event, g.node());
        const t = x.invert(mx);
        rule.style('display', null).attr('x1', mx).attr('x2', mx);
        let total = 0;
        let at = t;
        let atIndex = 0;
        const rowsHtml = visible.map((s) => {
          const i = Math.max(0, Math.min(s.t.length - 1, bisect(s.t, t)));
          const v = s.values[i]!;
          at = s.t[i]!;
          atIndex = i;
          if (this.spec.stack?.includes(s) && Number.isFinite(v)) total += v;
          return `<tr><td><i style="background:${s.color}"></i>${escapeHtml(s.label)}</td><td>${Number.isNaN(v) ? '—' : escapeHtml(s.format(v, i))}</td></tr>`;
        });
        const totalRow =
          showTotal && visible.length > 0
            ? `<tr class="total"><td>stacked total</td><td>${escapeHtml(visible[0]!.format(total, atIndex))}</td></tr>`
            : '';
        // Instants are hard to hit exactly: they count within two pixels.
        const slack = Math.abs(x.invert(2) - x.invert(0));
        const markers = this.ctx.markers
          .filter((m) => t >= m.start - slack && t <= Math.max(m.end, m.start) + slack)
          .slice(0, 4);
        this.ctx.tooltip.show(
          `<b>${fmtClock(at, true)}</b><table>${rowsHtml.join('')}${totalRow}</table>` +
            markers.map((m) => `<div class="tt-marker">${escapeHtml(m.label)}</div>`).join(''),
          event.clientX,
          event.clientY,
        );
      })
      .on('mouseleave', () => {
        rule.style('display', 'none');
        this.ctx.tooltip.hide();
      });
  }
}

/** Label rows at the top of a plot; a label that fits none of them is left to the tooltip. */
const LABEL_LANES = 4;
/** Rough width of a marker label character at 10.5 px semibold, to keep labels from overprinting. */
const LABEL_CHAR_PX = 6.6;
/**
 * Which labels get a row first: the operations the run did (updates, drains) before what
 * follows from them (hosts down during a drain) or repeats them (a rollback inside its update,
 * whose label says ROLLED_BACK already).
 */
const LABEL_PRIORITY: Readonly<Record<string, number>> = {
  update: 0,
  restart: 0,
  drain: 0,
  activate: 1,
  'hosts-down': 2,
  rollback: 3,
};

/**
 * Marker bands (intervals) and rules (instants) behind the data. Labels are laid out in a few
 * rows at the top, most important kinds first, each in the first row where it overprints no
 * other label; the rest are named by the tooltip.
 */
export function drawMarkers(
  plot: ReturnType<typeof select<SVGGElement, unknown>>,
  markers: readonly TimeMarker[],
  x: (t: number) => number,
  ih: number,
): void {
  const layer = plot.append('g').attr('class', 'markers');
  for (const m of markers) {
    const x0 = x(m.start);
    const instant = m.end <= m.start;
    const x1 = Math.max(x0 + 1.5, x(m.end));
    layer
      .append('rect')
      .attr('class', `marker marker-${m.kind}`)
      .attr('x', instant ? x0 - 0.75 : x0)
      .attr('width', x1 - x0)
      .attr('y', 0)
      .attr('height', ih)
      .attr('fill', MARKER_COLOR[m.kind] ?? '#888')
      .attr('fill-opacity', instant ? 0.7 : 0.12);
  }
  const lanes: [number, number][][] = Array.from({ length: LABEL_LANES }, () => []);
  const byPriority = [...markers].sort(
    (a, b) => (LABEL_PRIORITY[a.kind] ?? 2) - (LABEL_PRIORITY[b.kind] ?? 2) || a.start - b.start,
  );
  for (const m of byPriority) {
    const from = x(m.start) + 3;
    const to = from + m.label.length * LABEL_CHAR_PX + 8;
    const lane = lanes.findIndex((used) => used.every(([a, b]) => to <= a || from >= b));
    if (lane < 0) continue;
    lanes[lane]!.push([from, to]);
    layer
      .append('text')
      .attr('class', 'marker-label')
      .attr('x', from)
      .attr('y', 11 + lane * 12)
      .attr('fill', MARKER_COLOR[m.kind] ?? '#888')
      .text(m.label);
  }
}
