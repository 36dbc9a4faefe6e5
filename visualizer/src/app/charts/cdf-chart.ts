import { axisBottom, axisLeft, line, pointer, scaleLinear, scaleSymlog, select } from 'd3';
import { type CdfPoint, cdfAt, cdfFromQuantiles } from '../../transforms/cdf.js';
import { escapeHtml, fmtDuration, fmtPercent } from '../format.js';
import type { Tooltip } from '../tooltip.js';
import { X_TITLE_ROOM, xTitle, Y_TITLE_ROOM, yTitle } from './axes.js';
import { Legend } from './legend.js';

/**
 * Scheduling-delay CDF: the share of tasks placed within a given delay. The x axis is symlog so
 * the sub-second bulk and the multi-minute tail are both readable. One curve per run; in a
 * comparison the curves overlay.
 */
export interface CdfCurve {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly quantiles: readonly number[];
  readonly count: number;
}

const TICKS = [0, 100, 1000, 10_000, 60_000, 600_000, 3_600_000, 21_600_000, 86_400_000];

export class CdfChart {
  private readonly svg;
  private readonly hidden = new Set<string>();
  private readonly points: Map<string, CdfPoint[]>;

  constructor(
    private readonly el: HTMLElement,
    private readonly curves: readonly CdfCurve[],
    private readonly tooltip: Tooltip,
    title: string,
    note: string,
  ) {
    el.classList.add('chart');
    el.dataset.chart = 'delay-cdf';
    const head = select(el).append('div').attr('class', 'chart-head');
    head.append('h3').text(title);
    head.append('p').attr('class', 'note').text(note);
    if (curves.length > 1) new Legend(head.node()!, curves, this.hidden, () => this.render());
    this.points = new Map(curves.map((c) => [c.key, cdfFromQuantiles(c.quantiles)]));
    this.svg = select(el).append('svg').attr('class', 'plot');
  }

  render(): void {
    const width = Math.max(320, this.el.clientWidth);
    const height = 250;
    const m = { l: Y_TITLE_ROOM, r: 18, t: 10, b: X_TITLE_ROOM + 4 };
    const iw = width - m.l - m.r;
    const ih = height - m.t - m.b;
    const svg = this.svg.attr('width', width).attr('height', height);
    svg.selectAll('*').remove();
    const visible = this.curves.filter((c) => !this.hidden.has(c.key));
    let xMax = 1000;
    for (const c of visible) xMax = Math.max(xMax, c.quantiles[c.quantiles.length - 1] ?? 0);
    const x = scaleSymlog().constant(100).domain([0, xMax]).range([0, iw]);
    const y = scaleLinear().domain([0, 1]).range([ih, 0]);
    const g = svg.append('g').attr('transform', `translate(${m.l},${m.t})`);
    g.append('g')
      .attr('class', 'grid')
      .call(
        axisLeft(y)
          .ticks(5)
          .tickSize(-iw)
          .tickFormat(() => ''),
      );
    if (this.curves.every((c) => c.count === 0)) {
      // e.g. a run written with --no-event-log: there are no PENDING→ASSIGNED pairs to measure.
      g.append('text')
        .attr('class', 'empty-note')
        .attr('x', iw / 2)
        .attr('y', ih / 2)
        .attr('text-anchor', 'middle')
        .text('No placements measured (events.jsonl is absent or empty)');
      this.el.dataset.empty = 'true';
    }
    for (const c of visible) {
      const pts = this.points.get(c.key)!;
      if (pts.length === 0) continue;
      // Step function: horizontal to the next value, then up.
      const steps: [number, number][] = [[0, 0]];
      let prevP = 0;
      for (const p of pts) {
        steps.push([p.x, prevP], [p.x, p.p]);
        prevP = p.p;
      }
      steps.push([xMax, 1]);
      g.append('path')
        .attr('class', 'series line')
        .attr('data-series', c.key)
        .attr('fill', 'none')
        .attr('stroke', c.color)
        .attr('stroke-width', 1.8)
        .attr(
          'd',
          line<[number, number]>()
            .x((d) => x(d[0]))
            .y((d) => y(d[1]))(steps) ?? '',
        );
    }
    for (const q of [0.5, 0.9, 0.99]) {
      g.append('line').attr('class', 'ref').attr('x1', 0).attr('x2', iw).attr('y1', y(q)).attr('y2', y(q));
      g.append('text')
        .attr('class', 'ref-label')
        .attr('x', iw - 2)
        .attr('y', y(q) - 3)
        .attr('text-anchor', 'end')
        .text(`p${q * 100}`);
    }
    g.append('g')
      .attr('class', 'axis x')
      .attr('transform', `translate(0,${ih})`)
      .call(
        axisBottom(x)
          .tickValues(TICKS.filter((v) => v <= xMax))
          .tickFormat((v) => (Number(v) === 0 ? '0' : fmtDuration(Number(v)))),
      );
    g.append('g')
      .attr('class', 'axis y')
      .call(
        axisLeft(y)
          .ticks(5)
          .tickFormat((v) => fmtPercent(Number(v)).replace('.0', '')),
      );
    xTitle(g, iw, ih, 'scheduling delay, PENDING → ASSIGNED (log scale)');
    yTitle(g, ih, m.l, '% of placements within');
    const rule = g
      .append('line')
      .attr('class', 'hover-rule')
      .attr('y1', 0)
      .attr('y2', ih)
      .style('display', 'none');
    g.append('rect')
      .attr('class', 'hover-target')
      .attr('width', iw)
      .attr('height', ih)
      .on('mousemove', (event: MouseEvent) => {
        const [mx] = pointer(event, g.node());
        const d = Math.max(0, x.invert(mx));
        rule.style('display', null).attr('x1', mx).attr('x2', mx);
        const rows = visible
          .map(
            (c) =>
              `<tr><td><i style="background:${c.color}"></i>${escapeHtml(c.label)}</td><td>${fmtPercent(cdfAt(this.points.get(c.key)!, d))}</td></tr>`,
          )
          .join('');
        this.tooltip.show(
          `<b>placed within ${fmtDuration(d)}</b><table>${rows}</table>`,
          event.clientX,
          event.clientY,
        );
      })
      .on('mouseleave', () => {
        rule.style('display', 'none');
        this.tooltip.hide();
      });
    this.el.dataset.drawn = 'true';
  }
}
