import { bisector, brushX, type D3BrushEvent, interpolateViridis, pointer, scaleLinear, select } from 'd3';
import { decodeHostMatrix, type HostMatrix } from '../../data/host-matrix.js';
import type { HostsPayload } from '../../data/payload.js';
import { type HostSort, hostOrder } from '../../transforms/host-order.js';
import { escapeHtml, fmtClock, fmtNumber } from '../format.js';
import { timeAxis, X_TITLE_ROOM, xTitle } from './axes.js';
import type { ChartContext } from './time-chart.js';

/**
 * Host × time heat map on a canvas: one row per host (or, with more hosts than pixel rows, one
 * pixel row per group of hosts, showing their mean), one column per pixel of the visible time
 * window (the max of the samples it covers, so short peaks stay visible). Sorting by rack shows
 * rack-wide events as bands; sorting by load turns packing quality into a gradient.
 */
const GUTTER = 64;
const LUT = buildLut();
type Resource = 'cpu' | 'ramMb' | 'gpus';
const NAME: Readonly<Record<Resource, string>> = { cpu: 'CPU', ramMb: 'RAM', gpus: 'GPU' };

export class HeatMap {
  private readonly matrices: Partial<Record<Resource, HostMatrix>> & Record<'cpu' | 'ramMb', HostMatrix>;
  private readonly times: Float64Array;
  private resource: Resource = 'cpu';
  private sort: HostSort = 'rack';
  private readonly canvas: HTMLCanvasElement;
  private readonly overlay;
  private readonly gutter: HTMLCanvasElement;
  private readonly caption: HTMLParagraphElement;
  private order: Uint32Array = new Uint32Array(0);

  constructor(
    private readonly el: HTMLElement,
    private readonly hosts: HostsPayload,
    private readonly ctx: ChartContext,
  ) {
    el.classList.add('chart', 'heatmap');
    el.dataset.chart = 'heatmap';
    const n = hosts.hosts.length;
    const s = hosts.sampleTimes.length;
    this.matrices = {
      cpu: decodeHostMatrix(hosts.cpu, n, s),
      ramMb: decodeHostMatrix(hosts.ramMb, n, s),
      ...(hosts.gpus !== undefined ? { gpus: decodeHostMatrix(hosts.gpus, n, s) } : {}),
    };
    this.times = Float64Array.from(hosts.sampleTimes);
    const head = select(el).append('div').attr('class', 'chart-head');
    head.append('h3').text(`Hosts over time (${fmtNumber(n)} hosts)`);
    const controls = head.append('div').attr('class', 'controls');
    const seg = (label: string, options: [string, string][], get: () => string, set: (v: string) => void) => {
      const group = controls
        .append('div')
        .attr('class', 'segmented')
        .attr('role', 'group')
        .attr('aria-label', label);
      group.append('span').attr('class', 'seg-label').text(label);
      for (const [value, text] of options) {
        group
          .append('button')
          .attr('type', 'button')
          .attr('data-value', value)
          .classed('on', get() === value)
          .text(text)
          .on('click', (event: MouseEvent) => {
            set(value);
            group.selectAll('button').classed('on', false);
            select(event.currentTarget as HTMLButtonElement).classed('on', true);
            this.render();
          });
      }
    };
    seg(
      'load',
      [
        ['cpu', 'CPU'],
        ['ramMb', 'RAM'],
        // GPU load where the run had GPU hosts (hosts without GPUs show as 0).
        ...(this.matrices.gpus ? [['gpus', 'GPU'] as [string, string]] : []),
      ],
      () => this.resource,
      (v) => {
        this.resource = v as Resource;
      },
    );
    seg(
      'sort',
      [
        ['rack', 'by rack'],
        ['load', 'by load'],
      ],
      () => this.sort,
      (v) => {
        this.sort = v as HostSort;
      },
    );
    const body = select(el).append('div').attr('class', 'heat-body');
    this.gutter = body.append('canvas').attr('class', 'heat-gutter').node()!;
    const stage = body.append('div').attr('class', 'heat-stage');
    this.canvas = stage.append('canvas').attr('class', 'heat-canvas').node()!;
    this.overlay = stage.append('svg').attr('class', 'heat-overlay');
    const foot = select(el).append('div').attr('class', 'heat-foot');
    this.caption = foot.append('p').attr('class', 'note').node()!;
    foot.append('div').attr('class', 'heat-scale').html(scaleBar());
    ctx.domain.subscribe(() => this.render());
  }

  render(): void {
    const n = this.hosts.hosts.length;
    const width = Math.max(320, this.el.clientWidth) - GUTTER - 18;
    const height = Math.min(640, Math.max(160, n * 3));
    const [t0, t1] = this.ctx.domain.window;
    const m = this.matrix;
    const by = bisector((d: number) => d);
    const s0 = Math.max(0, by.right(this.times, t0) - 1);
    const s1 = Math.max(s0 + 1, Math.min(m.samples, by.left(this.times, t1) + 1));
    this.order = hostOrder(this.hosts.hosts, m, this.sort, s0, s1);
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const W = Math.max(1, Math.round(width * dpr));
    const H = Math.max(1, Math.round(height * dpr));
    this.canvas.width = W;
    this.canvas.height = H;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    paint(this.canvas.getContext('2d')!, m, this.order, this.times, t0, t1, W, H);
    this.paintGutter(height, dpr);
    this.drawAxis(width, height);
    const hostsPerRow = n / height;
    this.caption.textContent =
      `${NAME[this.resource]} allocated / capacity per host, sorted ${this.sort === 'rack' ? 'by rack' : 'by load over the visible window (busiest on top)'}. ` +
      (hostsPerRow > 1 ? `Each pixel row is the mean of ${hostsPerRow.toFixed(1)} hosts; ` : '') +
      'each column the max of its samples. Down hosts show as 0' +
      (this.resource === 'gpus' ? ', and so do hosts without GPUs.' : '.');
    this.el.dataset.drawn = 'true';
    this.el.dataset.window = `${Math.round(t0)}-${Math.round(t1)}`;
  }

  private get matrix(): HostMatrix {
    return this.matrices[this.resource] ?? this.matrices.cpu;
  }

  private paintGutter(height: number, dpr: number): void {
    const c = this.gutter;
    c.width = GUTTER * dpr;
    c.height = height * dpr;
    c.style.width = `${GUTTER}px`;
    c.style.height = `${height}px`;
    const g = c.getContext('2d')!;
    g.scale(dpr, dpr);
    g.clearRect(0, 0, GUTTER, height);
    g.font = '10px system-ui, sans-serif';
    g.fillStyle = '#555';
    g.textAlign = 'right';
    const n = this.order.length;
    const rowH = height / n;
    if (this.sort === 'rack') {
      // Label racks where there is room; a light rule marks each rack boundary.
      let lastLabelY = -20;
      let prev: string | undefined;
      for (let r = 0; r < n; r++) {
        const rack = this.hosts.hosts[this.order[r]!]!.rack ?? '';
        if (rack === prev) continue;
        prev = rack;
        const yy = r * rowH;
        g.fillStyle = '#ccc';
        g.fillRect(GUTTER - 6, yy, 6, 0.6);
        if (yy - lastLabelY >= 12) {
          g.fillStyle = '#555';
          g.fillText(rack, GUTTER - 8, Math.min(height - 2, yy + 10));
          lastLabelY = yy;
        }
      }
    } else {
      g.fillText('busiest', GUTTER - 8, 10);
      g.fillText('idlest', GUTTER - 8, height - 3);
    }
  }

  private drawAxis(width: number, height: number): void {
    const [t0, t1] = this.ctx.domain.window;
    const x = scaleLinear().domain([t0, t1]).range([0, width]);
    const svg = this.overlay.attr('width', width).attr('height', height + X_TITLE_ROOM);
    svg.selectAll('*').remove();
    svg
      .append('g')
      .attr('class', 'axis x')
      .attr('transform', `translate(0,${height})`)
      .call(timeAxis(x, 0, 0));
    xTitle(svg, width, height);
    const brush = brushX()
      .extent([
        [0, 0],
        [width, height],
      ])
      .on('end', (event: D3BrushEvent<unknown>) => {
        const sel = event.selection as [number, number] | null;
        if (!sel || !event.sourceEvent) return;
        bg.call(brush.move, null);
        this.ctx.domain.set([x.invert(sel[0]), x.invert(sel[1])]);
      });
    const bg = svg.append('g').attr('class', 'brush').call(brush);
    const m = this.matrix;
    bg.on('dblclick', () => this.ctx.domain.reset())
      .on('mousemove', (event: MouseEvent) => {
        const [mx, my] = pointer(event, svg.node());
        const t = x.invert(mx);
        const s = Math.max(0, Math.min(m.samples - 1, bisector((d: number) => d).right(this.times, t) - 1));
        const n = this.order.length;
        const r0 = Math.floor((my / height) * n);
        const r1 = Math.max(r0 + 1, Math.floor(((my + 1) / height) * n));
        const ids: string[] = [];
        let sum = 0;
        for (let r = r0; r < Math.min(n, r1); r++) {
          const h = this.order[r]!;
          sum += m.cells[h * m.samples + s]!;
          if (ids.length < 3) ids.push(this.hosts.hosts[h]!.id);
        }
        const count = Math.min(n, r1) - r0;
        if (count <= 0) return this.ctx.tooltip.hide();
        const host = this.hosts.hosts[this.order[r0]!]!;
        const what =
          count === 1
            ? `${escapeHtml(host.id)} · rack ${escapeHtml(host.rack ?? '?')} · ${host.cpu} cores, ${fmtNumber(host.ramMb / 1024)} GiB`
            : `${count} hosts (${escapeHtml(ids.join(', '))}, …)`;
        this.ctx.tooltip.show(
          `<b>${what}</b><div>${fmtClock(this.times[s]!, true)}: ${NAME[this.resource]} ${((sum / count / 255) * 100).toFixed(1)}%${count > 1 ? ' (mean)' : ''}</div>`,
          event.clientX,
          event.clientY,
        );
      })
      .on('mouseleave', () => this.ctx.tooltip.hide());
  }
}

/** Fills the canvas: per pixel column the max over its samples, per pixel row the mean over its hosts. */
function paint(
  g: CanvasRenderingContext2D,
  m: HostMatrix,
  order: Uint32Array,
  times: Float64Array,
  t0: number,
  t1: number,
  W: number,
  H: number,
): void {
  const n = order.length;
  const img = g.createImageData(W, H);
  const px = new Uint32Array(img.data.buffer);
  // Sample range per pixel column: samples whose interval [t_s, t_s+1) meets the column's span.
  const colS0 = new Int32Array(W);
  const colS1 = new Int32Array(W);
  const by = bisector((d: number) => d);
  for (let c = 0; c < W; c++) {
    const a = t0 + ((t1 - t0) * c) / W;
    const b = t0 + ((t1 - t0) * (c + 1)) / W;
    const s0 = Math.max(0, by.right(times, a) - 1);
    const s1 = Math.max(s0 + 1, Math.min(m.samples, by.left(times, b)));
    colS0[c] = s0;
    colS1[c] = s1;
  }
  const acc = new Float64Array(W);
  for (let y = 0; y < H; y++) {
    const r0 = Math.floor((y * n) / H);
    const r1 = Math.max(r0 + 1, Math.floor(((y + 1) * n) / H));
    acc.fill(0);
    for (let r = r0; r < r1 && r < n; r++) {
      const base = order[r]! * m.samples;
      for (let c = 0; c < W; c++) {
        let v = 0;
        for (let s = colS0[c]!; s < colS1[c]!; s++) {
          const cell = m.cells[base + s]!;
          if (cell > v) v = cell;
        }
        acc[c]! += v;
      }
    }
    const k = Math.min(r1, n) - r0;
    const row = y * W;
    for (let c = 0; c < W; c++) px[row + c] = LUT[Math.round(acc[c]! / k)]!;
  }
  g.putImageData(img, 0, 0);
}

/** viridis as 256 little-endian RGBA words, indexed by cell value. */
function buildLut(): Uint32Array {
  const lut = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const hex = interpolateViridis(i / 255);
    const r = Number.parseInt(hex.slice(1, 3), 16);
    const gg = Number.parseInt(hex.slice(3, 5), 16);
    const b = Number.parseInt(hex.slice(5, 7), 16);
    lut[i] = (255 << 24) | (b << 16) | (gg << 8) | r;
  }
  return lut;
}

function scaleBar(): string {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((p) => `${interpolateViridis(p)} ${p * 100}%`).join(', ');
  return `<span>0%</span><i style="background:linear-gradient(90deg, ${stops})"></i><span>100%</span>`;
}
