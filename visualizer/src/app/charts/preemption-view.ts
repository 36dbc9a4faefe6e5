import { axisLeft, bisector, brushX, type D3BrushEvent, pointer, scaleLinear, scaleSqrt, select } from 'd3';
import type { PreemptionRecord } from '../../data/run-files.js';
import { preemptorJobs, victimsByTier } from '../../transforms/preemption-summary.js';
import { escapeHtml, fmtClock, fmtNumber } from '../format.js';
import { TIER_COLOR } from '../palette.js';
import { timeAxis, X_TITLE_ROOM, xTitle, Y_TITLE_ROOM, yTitle } from './axes.js';
import { Legend } from './legend.js';
import type { ChartContext } from './time-chart.js';
import { drawMarkers } from './time-chart.js';

/**
 * Who preempted whom: each preemption is a dot at its time, as high as its number of victims,
 * coloured by the preemptor's tier; the tables below rank preemptor jobs and count victims per
 * tier over the visible window. Dots of one tier are one SVG path, so tens of thousands of
 * preemptions stay cheap to draw; hover finds the nearest one by time.
 */
const TIERS = ['preferred', 'preemptible', 'revocable'];

export class PreemptionView {
  private readonly svg;
  private readonly tables: HTMLDivElement;
  private readonly hidden = new Set<string>();
  private readonly sorted: PreemptionRecord[];

  constructor(
    private readonly el: HTMLElement,
    records: readonly PreemptionRecord[],
    total: number,
    private readonly ctx: ChartContext,
  ) {
    el.classList.add('chart');
    el.dataset.chart = 'preemptions';
    this.sorted = [...records].sort((a, b) => a.t - b.t);
    const head = select(el).append('div').attr('class', 'chart-head');
    head.append('h3').text('Preemptions: victims per preemption, by preemptor tier');
    head
      .append('p')
      .attr('class', 'note')
      .text(
        total > records.length
          ? `${fmtNumber(records.length)} of ${fmtNumber(total)} preemptions shown (evenly sampled); per-interval counts above are complete.`
          : `${fmtNumber(total)} preemptions. Each dot is one preemption on one host.`,
      );
    new Legend(
      head.node()!,
      TIERS.map((t) => ({ key: t, label: `preemptor ${t}`, color: TIER_COLOR[t]! })),
      this.hidden,
      () => this.render(),
    );
    this.svg = select(el).append('svg').attr('class', 'plot');
    this.tables = el.appendChild(document.createElement('div'));
    this.tables.className = 'preemption-tables';
    ctx.domain.subscribe(() => this.render());
  }

  render(): void {
    const width = Math.max(320, this.el.clientWidth);
    const height = 212;
    const m = { l: Y_TITLE_ROOM, r: 18, t: 10, b: X_TITLE_ROOM };
    const iw = width - m.l - m.r;
    const ih = height - m.t - m.b;
    const [t0, t1] = this.ctx.domain.window;
    const lo = bisector((r: PreemptionRecord) => r.t).left(this.sorted, t0);
    const hi = bisector((r: PreemptionRecord) => r.t).right(this.sorted, t1);
    const visible = this.sorted.slice(lo, hi).filter((r) => !this.hidden.has(r.preemptor.tier));
    let vMax = 1;
    for (const r of visible) vMax = Math.max(vMax, r.victims.length);
    const x = scaleLinear().domain([t0, t1]).range([0, iw]);
    const y = scaleLinear()
      .domain([0, vMax + 0.5])
      .range([ih, 0])
      .nice();
    const radius = scaleSqrt()
      .domain([1, Math.max(2, vMax)])
      .range([2.5, 6]);
    const svg = this.svg.attr('width', width).attr('height', height);
    svg.selectAll('*').remove();
    const g = svg.append('g').attr('transform', `translate(${m.l},${m.t})`);
    g.append('g')
      .attr('class', 'grid')
      .call(
        axisLeft(y)
          .ticks(Math.min(5, vMax))
          .tickSize(-iw)
          .tickFormat(() => ''),
      );
    drawMarkers(g, this.ctx.markers, x, ih);
    for (const tier of TIERS) {
      let d = '';
      for (const r of visible) {
        if (r.preemptor.tier !== tier) continue;
        const cx = x(r.t);
        const cy = y(r.victims.length);
        const rr = radius(r.victims.length);
        d += `M${(cx - rr).toFixed(1)},${cy.toFixed(1)}a${rr},${rr} 0 1,0 ${2 * rr},0a${rr},${rr} 0 1,0 ${-2 * rr},0`;
      }
      if (d === '') continue;
      g.append('path')
        .attr('class', 'series dots')
        .attr('data-series', tier)
        .attr('fill', TIER_COLOR[tier]!)
        .attr('fill-opacity', 0.6)
        .attr('stroke', TIER_COLOR[tier]!)
        .attr('d', d);
    }
    g.append('g')
      .attr('class', 'axis x')
      .attr('transform', `translate(0,${ih})`)
      .call(timeAxis(x, m.l - 24, m.r));
    g.append('g')
      .attr('class', 'axis y')
      .call(
        axisLeft(y)
          .tickValues(y.ticks(Math.min(5, vMax)).filter((v) => Number.isInteger(v)))
          .tickFormat((v) => `${v}`),
      );
    xTitle(g, iw, ih);
    yTitle(g, ih, m.l, 'victims per preemption');
    if (this.sorted.length === 0) {
      // Say so rather than leave an empty frame: "no preemptions" is itself a finding.
      g.append('text')
        .attr('class', 'empty-note')
        .attr('x', iw / 2)
        .attr('y', ih / 2)
        .attr('text-anchor', 'middle')
        .text('No preemptions in this run');
      this.el.dataset.empty = 'true';
    }
    this.interact(g, x, y, iw, ih, visible);
    this.renderTables(visible);
    this.el.dataset.drawn = 'true';
    this.el.dataset.window = `${Math.round(t0)}-${Math.round(t1)}`;
  }

  private interact(
    g: ReturnType<typeof select<SVGGElement, unknown>>,
    x: ReturnType<typeof scaleLinear<number, number>>,
    y: ReturnType<typeof scaleLinear<number, number>>,
    iw: number,
    ih: number,
    visible: readonly PreemptionRecord[],
  ): void {
    const brush = brushX()
      .extent([
        [0, 0],
        [iw, ih],
      ])
      .on('end', (event: D3BrushEvent<unknown>) => {
        const sel = event.selection as [number, number] | null;
        if (!sel || !event.sourceEvent) return;
        bg.call(brush.move, null);
        this.ctx.domain.set([x.invert(sel[0]), x.invert(sel[1])]);
      });
    const bg = g.append('g').attr('class', 'brush').call(brush);
    bg.on('dblclick', () => this.ctx.domain.reset())
      .on('mousemove', (event: MouseEvent) => {
        const [mx, my] = pointer(event, g.node());
        let best: PreemptionRecord | undefined;
        let bestD = 144; // within 12 px
        for (const r of visible) {
          const dx = x(r.t) - mx;
          if (dx * dx > bestD) continue;
          const d = dx * dx + (y(r.victims.length) - my) ** 2;
          if (d < bestD) {
            bestD = d;
            best = r;
          }
        }
        if (!best) return this.ctx.tooltip.hide();
        const p = best.preemptor;
        const victims = best.victims
          .map(
            (v) =>
              `<tr><td><i style="background:${TIER_COLOR[v.tier] ?? '#888'}"></i>${escapeHtml(v.job)}</td><td>${escapeHtml(v.tier)}</td></tr>`,
          )
          .join('');
        this.ctx.tooltip.show(
          `<b>${fmtClock(best.t, true)} on ${escapeHtml(best.host)}</b>` +
            `<div>preemptor <b>${escapeHtml(p.job)}</b> (${escapeHtml(p.tier)}, priority ${p.priority})</div>` +
            `<table>${victims}</table>`,
          event.clientX,
          event.clientY,
        );
      })
      .on('mouseleave', () => this.ctx.tooltip.hide());
  }

  private renderTables(visible: readonly PreemptionRecord[]): void {
    const byTier = victimsByTier(visible);
    const jobs = preemptorJobs(visible).slice(0, 8);
    const tierCells = TIERS.map(
      (t) =>
        `<div class="stat"><span class="swatch" style="--c:${TIER_COLOR[t]}"></span><b>${fmtNumber(byTier[t] ?? 0)}</b> ${t} victims</div>`,
    ).join('');
    const rows = jobs
      .map(
        (j) =>
          `<tr><td>${escapeHtml(j.job)}</td><td><span class="tier-tag" style="--c:${TIER_COLOR[j.tier] ?? '#888'}">${escapeHtml(j.tier)}</span></td>` +
          `<td class="num">${fmtNumber(j.preemptions)}</td><td class="num">${fmtNumber(j.victims)}</td>` +
          `<td>${Object.entries(j.victimsByTier)
            .map(([t, n]) => `${fmtNumber(n)} ${escapeHtml(t)}`)
            .join(', ')}</td></tr>`,
      )
      .join('');
    this.tables.innerHTML =
      `<div class="stats-row">${tierCells}<div class="stat muted">in the visible window</div></div>` +
      (jobs.length
        ? `<table class="data"><thead><tr><th>top preemptor jobs</th><th>tier</th><th class="num">preemptions</th><th class="num">victims</th><th>victims by tier</th></tr></thead><tbody>${rows}</tbody></table>`
        : '<p class="muted">No preemptions in the visible window.</p>');
  }
}
