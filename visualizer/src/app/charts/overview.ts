import { area, brushX, type D3BrushEvent, scaleLinear, select } from 'd3';
import { peakKeepingRows } from '../../transforms/downsample.js';
import { fmtClock, fmtDuration } from '../format.js';
import type { TimeDomain } from '../time-domain.js';
import { timeAxis, X_TITLE_ROOM, xTitle } from './axes.js';

/**
 * The time navigator pinned at the top: the whole run as a small area, with a brush that is the
 * shared time window. Dragging it pans or resizes the window for every chart; brushing on any
 * chart moves it here.
 */
export interface OverviewSeries {
  readonly label: string;
  readonly t: Float64Array;
  readonly values: Float64Array;
}

export class Overview {
  private readonly svg;
  private readonly label: HTMLSpanElement;
  private readonly onWindow = (): void => this.render();
  private pending: [number, number] | null = null;
  private frame = 0;

  constructor(
    private readonly el: HTMLElement,
    private readonly series: readonly OverviewSeries[],
    private readonly domain: TimeDomain,
  ) {
    el.classList.add('overview');
    el.dataset.chart = 'overview';
    const bar = select(el).append('div').attr('class', 'overview-bar');
    bar
      .append('span')
      .attr('class', 'overview-title')
      .text(series[0]?.label ?? 'time');
    this.label = bar.append('span').attr('class', 'window-label').node()!;
    bar
      .append('button')
      .attr('type', 'button')
      .attr('class', 'reset')
      .text('Show whole run')
      .on('click', () => domain.reset());
    this.svg = select(el).append('svg');
    domain.subscribe(this.onWindow);
  }

  render(): void {
    const width = Math.max(320, this.el.clientWidth);
    const height = 72;
    const m = { l: 64, r: 18, t: 4, b: 32 };
    const iw = width - m.l - m.r;
    const ih = height - m.t - m.b;
    const svg = this.svg.attr('width', width).attr('height', height);
    svg.selectAll('*').remove();
    const [f0, f1] = this.domain.full;
    const x = scaleLinear().domain([f0, f1]).range([0, iw]);
    let yMax = 0;
    for (const s of this.series) for (const v of s.values) if (v > yMax) yMax = v;
    const y = scaleLinear()
      .domain([0, yMax || 1])
      .range([ih, 0]);
    const g = svg.append('g').attr('transform', `translate(${m.l},${m.t})`);
    for (const s of this.series) {
      const rows = peakKeepingRows(s.t, [s.values], Math.ceil(iw / 2));
      const path = area<number>()
        .x((i) => x(s.t[i]!))
        .y0(ih)
        .y1((i) => y(Number.isNaN(s.values[i]!) ? 0 : s.values[i]!));
      g.append('path')
        .attr('class', 'series area overview-area')
        .attr('d', path(rows) ?? '');
    }
    g.append('g')
      .attr('class', 'axis x')
      .attr('transform', `translate(0,${ih})`)
      .call(timeAxis(x, m.l - 16, m.r));
    xTitle(g, iw, ih + m.b - X_TITLE_ROOM);
    const brush = brushX()
      .extent([
        [0, 0],
        [iw, ih],
      ])
      .on('brush end', (event: D3BrushEvent<unknown>) => {
        if (!event.sourceEvent) return;
        const sel = event.selection as [number, number] | null;
        if (!sel) return this.domain.reset();
        // While dragging, charts follow once per frame; this brush is not redrawn under the
        // pointer (it is the source of the change), only its label.
        this.pending = [x.invert(sel[0]), x.invert(sel[1])];
        if (event.type === 'end') this.flush();
        else if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
      });
    const bg = g.append('g').attr('class', 'brush').call(brush);
    const [t0, t1] = this.domain.window;
    if (this.domain.zoomed) bg.call(brush.move, [x(t0), x(t1)]);
    this.el.dataset.drawn = 'true';
    this.updateLabel();
  }

  private flush(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.pending) this.domain.set(this.pending, this.onWindow);
    this.pending = null;
    this.updateLabel();
  }

  private updateLabel(): void {
    const [t0, t1] = this.domain.window;
    this.label.textContent = `${fmtClock(t0)} – ${fmtClock(t1)} (${fmtDuration(t1 - t0)})${this.domain.zoomed ? '' : ' · whole run — drag here or on any chart to zoom, double-click a chart to reset'}`;
    this.el.dataset.window = `${Math.round(t0)}-${Math.round(t1)}`;
  }
}
