import { brushX, type D3BrushEvent, scaleLinear, select } from 'd3';
import { parseJsonLines } from '../../data/jsonl.js';
import type { JobIndexEntry } from '../../data/payload.js';
import type { TaskEventRecord } from '../../data/run-files.js';
import { eventsByJob, type InstanceRow, lifecycleRows, type Segment } from '../../transforms/lifecycle.js';
import { escapeHtml, fmtClock, fmtDuration, fmtNumber } from '../format.js';
import { STATE_COLOR } from '../palette.js';
import { timeAxis, X_TITLE_ROOM, xTitle, yTitle } from './axes.js';
import type { ChartContext } from './time-chart.js';
import { drawMarkers } from './time-chart.js';

/**
 * Job drill-down, after Aurora's job page: pick a job from a searchable list; each instance is a
 * row, each of its tasks a run of state segments (pending, assigned, running, …) ending in a
 * terminal mark. Events are parsed lazily, on first use, so a large report opens fast.
 */
export interface JobSource {
  readonly jobs: readonly JobIndexEntry[];
  readonly events: string;
  readonly endMs: number;
  /** `borealis viz` can fetch a job that is not in the page's sample. */
  readonly fetchJob?: (job: string) => Promise<string>;
}

const ROW_H = 14;
const MAX_LIST = 300;
const SHOWN_STATES = [
  'PENDING',
  'ASSIGNED',
  'STARTING',
  'RUNNING',
  'KILLING',
  'PREEMPTING',
  'FINISHED',
  'FAILED',
  'KILLED',
  'LOST',
];

export class JobView {
  private byJob: Map<string, TaskEventRecord[]> | null = null;
  private selected: string | null = null;
  private rows: InstanceRow[] = [];
  private readonly list: HTMLUListElement;
  private readonly search: HTMLInputElement;
  private readonly title: HTMLDivElement;
  private readonly svg;

  constructor(
    private readonly el: HTMLElement,
    private readonly source: JobSource,
    private readonly ctx: ChartContext,
  ) {
    el.classList.add('chart', 'job-view');
    el.dataset.chart = 'job';
    const head = select(el).append('div').attr('class', 'chart-head');
    head.append('h3').text('Job drill-down: instance lifecycles');
    const legend = head.append('div').attr('class', 'legend static');
    for (const s of SHOWN_STATES) {
      legend
        .append('span')
        .attr('class', 'legend-item')
        .html(`<i class="swatch" style="--c:${STATE_COLOR[s]}"></i>${s.toLowerCase()}`);
    }
    const body = select(el).append('div').attr('class', 'job-body');
    const side = body.append('div').attr('class', 'job-side');
    this.search = side
      .append('input')
      .attr('type', 'search')
      .attr('placeholder', `search ${fmtNumber(source.jobs.length)} jobs…`)
      .attr('aria-label', 'search jobs')
      .node()!;
    this.list = side.append('ul').attr('class', 'job-list').node()!;
    const main = body.append('div').attr('class', 'job-main');
    this.title = main.append('div').attr('class', 'job-title').node()!;
    this.svg = main.append('div').attr('class', 'job-scroll').append('svg').attr('class', 'plot');
    this.search.addEventListener('input', () => this.fillList());
    ctx.domain.subscribe(() => this.render());
    this.fillList();
    const first = this.defaultJob();
    if (first) void this.select(first);
    else {
      this.title.textContent = 'No task events in this run (events.jsonl is absent or empty).';
      el.dataset.empty = 'true';
    }
  }

  /**
   * The sampled job whose tasks went through the most transitions (reschedules, preemptions,
   * failures show up as extra events per task), larger jobs first among equals: the history most
   * worth a first look.
   */
  private defaultJob(): string | null {
    let best: JobIndexEntry | null = null;
    const score = (j: JobIndexEntry) => Math.round((j.events / Math.max(1, j.tasks)) * 10) * 1e6 + j.tasks;
    for (const j of this.source.jobs) if (j.sampled && (!best || score(j) > score(best))) best = j;
    return best?.job ?? this.source.jobs[0]?.job ?? null;
  }

  private fillList(): void {
    const q = this.search.value.trim().toLowerCase();
    const matches =
      q === '' ? this.source.jobs : this.source.jobs.filter((j) => j.job.toLowerCase().includes(q));
    const frag = document.createDocumentFragment();
    for (const j of matches.slice(0, MAX_LIST)) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.job = j.job;
      b.className = j.job === this.selected ? 'on' : '';
      if (!j.sampled && !this.source.fetchJob) b.classList.add('unsampled');
      b.innerHTML = `<span>${escapeHtml(j.job)}</span><small>${fmtNumber(j.tasks)} tasks</small>`;
      b.addEventListener('click', () => void this.select(j.job));
      li.appendChild(b);
      frag.appendChild(li);
    }
    this.list.replaceChildren(frag);
    if (matches.length > MAX_LIST) {
      const li = document.createElement('li');
      li.className = 'more';
      li.textContent = `${fmtNumber(matches.length - MAX_LIST)} more — refine the search`;
      this.list.appendChild(li);
    }
  }

  async select(job: string): Promise<void> {
    this.selected = job;
    for (const b of this.list.querySelectorAll('button')) b.classList.toggle('on', b.dataset.job === job);
    this.byJob ??= eventsByJob(parseJsonLines<TaskEventRecord>(this.source.events));
    let events = this.byJob.get(job);
    const entry = this.source.jobs.find((j) => j.job === job);
    if (!events && entry && !entry.sampled && this.source.fetchJob) {
      events = parseJsonLines<TaskEventRecord>(await this.source.fetchJob(job));
      this.byJob.set(job, events);
    }
    this.rows = events ? lifecycleRows(events, this.source.endMs) : [];
    const note =
      !events && entry && !entry.sampled
        ? ' — not included in this report (it keeps a sample of jobs); open the run folder with <code>borealis viz</code> to see every job'
        : '';
    this.title.innerHTML = `<b>${escapeHtml(job)}</b> · ${fmtNumber(this.rows.length)} instances · ${fmtNumber(
      this.rows.reduce((n, r) => n + r.tasks.length, 0),
    )} tasks${note}`;
    this.el.dataset.job = job;
    this.render();
  }

  render(): void {
    const width = Math.max(320, (this.svg.node()!.parentElement?.clientWidth ?? 600) - 2);
    const m = { l: 56, r: 12, t: 4, b: X_TITLE_ROOM };
    const iw = width - m.l - m.r;
    const ih = Math.max(ROW_H, this.rows.length * ROW_H);
    const [t0, t1] = this.ctx.domain.window;
    const x = scaleLinear().domain([t0, t1]).range([0, iw]);
    const svg = this.svg.attr('width', width).attr('height', ih + m.t + m.b);
    svg.selectAll('*').remove();
    const g = svg.append('g').attr('transform', `translate(${m.l},${m.t})`);
    drawMarkers(g, this.ctx.markers, x, ih);
    const segs = g.append('g').attr('class', 'segments');
    this.rows.forEach((row, i) => {
      const y = i * ROW_H;
      g.append('text')
        .attr('class', 'row-label')
        .attr('x', -6)
        .attr('y', y + ROW_H - 4)
        .attr('text-anchor', 'end')
        .text(row.instance);
      for (const s of row.segments) {
        if (s.end < t0 || s.start > t1) continue;
        const a = Math.max(0, x(s.start));
        const b = Math.min(iw, x(s.end));
        const r = segs
          .append('rect')
          .datum(s)
          .attr('y', y + (s.terminal ? 1 : 3))
          .attr('height', s.terminal ? ROW_H - 2 : ROW_H - 6)
          .attr('fill', STATE_COLOR[s.state] ?? '#999');
        if (s.terminal) r.attr('x', a - 1.5).attr('width', 3);
        else r.attr('x', a).attr('width', Math.max(0.8, b - a));
      }
    });
    g.append('g')
      .attr('class', 'axis x')
      .attr('transform', `translate(0,${ih})`)
      .call(timeAxis(x, 24, m.r));
    xTitle(g, iw, ih);
    yTitle(g, ih, m.l, 'instance');
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
    const bg = g.insert('g', '.segments').attr('class', 'brush').call(brush);
    bg.on('dblclick', () => this.ctx.domain.reset());
    segs
      .selectAll<SVGRectElement, Segment>('rect')
      .on('mousemove', (event: MouseEvent, s) => {
        this.ctx.tooltip.show(
          `<b>${escapeHtml(s.state)}</b> · ${escapeHtml(s.task)}<div>${fmtClock(s.start, true)}${
            s.terminal ? '' : ` – ${fmtClock(s.end, true)} (${fmtDuration(s.end - s.start)})`
          }</div>${s.host ? `<div>host ${escapeHtml(s.host)}</div>` : ''}${s.reason ? `<div>${escapeHtml(s.reason)}</div>` : ''}`,
          event.clientX,
          event.clientY,
        );
      })
      .on('mouseleave', () => this.ctx.tooltip.hide());
    this.el.dataset.drawn = 'true';
    this.el.dataset.window = `${Math.round(t0)}-${Math.round(t1)}`;
  }
}
