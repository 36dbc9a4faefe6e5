import type { RunPayload } from '../data/payload.js';
import { RESOURCES, TIER_NAMES } from '../data/run-files.js';
import { parseTimeSeries, type TimeSeries } from '../data/timeseries.js';
import type { TimeMarker } from '../transforms/markers.js';
import { hostsDownMarkers } from '../transforms/markers.js';
import { CdfChart } from './charts/cdf-chart.js';
import { HeatMap } from './charts/heatmap.js';
import { JobView } from './charts/job-view.js';
import { Overview } from './charts/overview.js';
import { PreemptionView } from './charts/preemption-view.js';
import { type ChartContext, type Series, TimeChart } from './charts/time-chart.js';
import { escapeHtml, fmtDuration, fmtNumber, fmtPercent, fmtResource, RESOURCE_LABEL } from './format.js';
import { MarkerSet } from './marker-set.js';
import { CAPACITY_COLOR, TIER_COLOR } from './palette.js';
import { renderSummary } from './summary-cards.js';
import { TimeDomain } from './time-domain.js';
import { durationTickUnit } from './time-ticks.js';
import { Tooltip } from './tooltip.js';

interface Renderable {
  render(): void;
}

/** The report of one run: key and summary, then one section per question a planner asks. */
export function renderRunReport(root: HTMLElement, p: RunPayload): Renderable[] {
  const s = p.summary;
  const ts = parseTimeSeries(p.timeseries);
  const end = Math.max(s.simulatedMs, ts.length ? ts.t[ts.length - 1]! : 0);
  const domain = new TimeDomain([0, Math.max(1, end)]);
  const tooltip = new Tooltip(document.body);
  const markers = new MarkerSet(collectMarkers(ts, p.markers ?? []));
  const ctx: ChartContext = {
    domain,
    tooltip,
    get markers() {
      return markers.visible;
    },
  };
  const charts: Renderable[] = [];

  root.innerHTML = '';
  root.className = 'report run';
  root.appendChild(header(p));
  const nav = section(root, null, 'overview-wrap');
  const utilTotal = totalUtilization(ts, 'cpu');
  charts.push(new Overview(nav, [{ label: 'CPU allocated / capacity', t: ts.t, values: utilTotal }], domain));
  // Toggling a kind redraws every chart (the overview draws no markers, redrawing it is harmless).
  markers.legend(nav, () => {
    for (const c of charts) c.render();
  });
  renderSummary(section(root, 'Summary'), s);

  const util = section(
    root,
    'Utilization by tier',
    'grid2',
    'Allocated resources stacked by tier (preferred at the bottom), against the capacity of hosts that are up.',
  );
  for (const r of RESOURCES) {
    const cap = ts.column(`cap_${r}`);
    if (!cap || (r === 'gpus' && Math.max(0, ...cap) === 0)) continue;
    // Tooltips give the amount and its share of the capacity up at that sample.
    const share = (v: number, i: number) =>
      `${fmtResource(r, v)} (${fmtPercent(cap[i]! > 0 ? v / cap[i]! : Number.NaN)})`;
    const stack: Series[] = TIER_NAMES.flatMap((tier) => {
      const values = ts.column(`alloc_${r}_${tier}`);
      return values
        ? [{ key: tier, label: tier, color: TIER_COLOR[tier]!, t: ts.t, values, format: share }]
        : [];
    });
    charts.push(
      new TimeChart(
        div(util),
        {
          id: `util-${r}`,
          title: `${RESOURCE_LABEL[r]} allocated`,
          yLabel: r === 'cpu' ? 'CPU cores' : r === 'gpus' ? 'GPUs' : `${RESOURCE_LABEL[r]} (GiB / TiB)`,
          stack,
          lines: [
            {
              key: 'capacity',
              label: 'capacity',
              color: CAPACITY_COLOR,
              t: ts.t,
              values: cap,
              dash: '5 3',
              format: (v: number) => fmtResource(r, v),
            },
          ],
          yFormat: (v) => shortResource(r, v),
          // RAM and disk are in MB; tick them in whole GiB or TiB.
          ...(r === 'ramMb' || r === 'diskMb'
            ? { tickUnit: (top: number) => (top >= 2 * 1024 * 1024 ? 1024 * 1024 : 1024) }
            : {}),
        },
        ctx,
      ),
    );
  }

  const tasks = section(root, 'Tasks and scheduling delay', 'grid2');
  // The sample interval, for axes that count per interval.
  const every = ts.length > 1 ? fmtDuration(ts.t[1]! - ts.t[0]!) : 'interval';
  const col = (name: string) => ts.column(name) ?? new Float64Array(ts.length).fill(Number.NaN);
  charts.push(
    new TimeChart(
      div(tasks),
      {
        id: 'tasks',
        title: 'Tasks running and pending',
        yLabel: 'tasks',
        lines: [
          {
            key: 'running',
            label: 'running',
            color: '#3f9a5b',
            t: ts.t,
            values: col('running'),
            format: fmtNumber,
          },
          {
            key: 'pending',
            label: 'pending',
            color: '#d1495b',
            t: ts.t,
            values: col('pending'),
            format: fmtNumber,
          },
        ],
        yFormat: fmtNumber,
      },
      ctx,
    ),
  );
  charts.push(
    new TimeChart(
      div(tasks),
      {
        id: 'delay',
        title: 'Scheduling delay of tasks placed in each interval',
        yLabel: 'delay (PENDING → ASSIGNED)',
        tickUnit: durationTickUnit,
        lines: [
          {
            key: 'p50',
            label: 'p50',
            color: '#9fc3e8',
            t: ts.t,
            values: col('delay_p50'),
            format: fmtDuration,
          },
          {
            key: 'p90',
            label: 'p90',
            color: '#2f6db5',
            t: ts.t,
            values: col('delay_p90'),
            format: fmtDuration,
          },
          {
            key: 'p99',
            label: 'p99',
            color: '#14365e',
            t: ts.t,
            values: col('delay_p99'),
            format: fmtDuration,
          },
          {
            key: 'max',
            label: 'max',
            color: '#d1495b',
            t: ts.t,
            values: col('delay_max'),
            format: fmtDuration,
            dash: '2 2',
          },
        ],
        initiallyHidden: ['max'],
        yFormat: fmtDuration,
      },
      ctx,
    ),
  );
  const cdf = new CdfChart(
    div(tasks),
    [{ key: 'run', label: p.label, color: '#2f6db5', quantiles: p.delays.quantiles, count: p.delays.count }],
    tooltip,
    'Scheduling delay distribution (CDF)',
    `PENDING → ASSIGNED for all ${fmtNumber(p.delays.count)} placements in events.jsonl (computed over the full file).`,
  );
  charts.push(cdf);
  charts.push(
    new TimeChart(
      div(tasks),
      {
        id: 'stranded',
        title: 'Stranded CPU and tasks lost',
        yLabel: 'cores stranded · tasks lost',
        note: 'Stranded: free CPU on hosts where no pending task fits.',
        lines: [
          {
            key: 'stranded',
            label: 'stranded CPU',
            color: '#8d6cc9',
            t: ts.t,
            values: col('stranded_cpu'),
            format: (v) => fmtResource('cpu', v),
          },
          {
            key: 'lost',
            label: 'tasks lost',
            color: '#8d2a7a',
            t: ts.t,
            values: col('lost'),
            format: fmtNumber,
            dash: '3 2',
          },
        ],
        yFormat: fmtNumber,
      },
      ctx,
    ),
  );

  const pre = section(root, 'Preemption');
  charts.push(
    new TimeChart(
      div(pre),
      {
        id: 'preemption-rate',
        title: 'Preemptions and victims per interval',
        yLabel: `tasks per ${every}`,
        lines: [
          {
            key: 'preemptions',
            label: 'preemptions',
            color: '#2f6db5',
            t: ts.t,
            values: col('preemptions'),
            format: fmtNumber,
          },
          {
            key: 'preempted',
            label: 'victims',
            color: '#e39b2d',
            t: ts.t,
            values: col('preempted'),
            format: fmtNumber,
          },
        ],
        yFormat: fmtNumber,
        height: 160,
      },
      ctx,
    ),
  );
  charts.push(new PreemptionView(div(pre), p.preemptions.records, p.preemptions.total, ctx));

  if (p.hosts && p.hosts.hosts.length > 0) {
    charts.push(new HeatMap(div(section(root, 'Hosts')), p.hosts, ctx));
  }

  const fetchJob = p.live
    ? async (job: string) => {
        // A run inside a served comparison is addressed by its folder name (?run=).
        const run = new URLSearchParams(location.search).get('run');
        const r = await fetch(
          `job?key=${encodeURIComponent(job)}${run ? `&run=${encodeURIComponent(run)}` : ''}`,
        );
        return r.ok ? r.text() : '';
      }
    : undefined;
  charts.push(
    new JobView(
      div(section(root, 'Jobs')),
      { jobs: p.jobs, events: p.events, endMs: end, ...(fetchJob ? { fetchJob } : {}) },
      ctx,
    ),
  );
  root.appendChild(footer(p));
  return charts;
}

/** Cluster-level markers for every timeline: hosts down (from the time series) and the run's markers.jsonl. */
function collectMarkers(ts: TimeSeries, fromRun: readonly TimeMarker[]): TimeMarker[] {
  const up = ts.column('hosts_up');
  const down = up ? hostsDownMarkers(ts.t, up) : [];
  return [...down, ...fromRun].sort((a, b) => a.start - b.start);
}

/** Allocated / capacity summed over tiers, per sample (the overview's shape). */
export function totalUtilization(ts: TimeSeries, r: string): Float64Array {
  const cap = ts.column(`cap_${r}`);
  const out = new Float64Array(ts.length);
  for (const tier of TIER_NAMES) {
    const a = ts.column(`alloc_${r}_${tier}`);
    if (!a) continue;
    for (let i = 0; i < ts.length; i++) out[i]! += Number.isFinite(a[i]!) ? a[i]! : 0;
  }
  if (cap) for (let i = 0; i < ts.length; i++) out[i] = cap[i]! > 0 ? out[i]! / cap[i]! : 0;
  return out;
}

function shortResource(r: string, v: number): string {
  if (v === 0) return '0';
  if (r === 'ramMb' || r === 'diskMb') {
    const gib = v / 1024;
    return gib >= 1024
      ? `${fmtNumber(Math.round((gib / 1024) * 10) / 10)} TiB`
      : `${fmtNumber(Math.round(gib))} GiB`;
  }
  return fmtNumber(v);
}

function header(p: RunPayload): HTMLElement {
  const s = p.summary;
  const h = document.createElement('header');
  h.className = 'report-head';
  const key = [
    ['trace', s.traceName ? `${s.traceName} (${s.trace})` : s.trace],
    ['policy', s.policy],
    ['seed', String(s.seed)],
    ['hosts', fmtNumber(s.hosts)],
    ['simulated', fmtDuration(s.simulatedMs)],
    ['events', fmtNumber(s.events ?? 0)],
  ];
  h.innerHTML =
    `<div class="brand">Borealis <span>run report</span></div>` +
    `<h1>${escapeHtml(s.traceName ?? p.label)} <span class="policy">${escapeHtml(s.policy)}</span> <span class="seed">seed ${escapeHtml(String(s.seed))}</span></h1>` +
    `<dl class="key" data-key="run">${key.map(([k, v]) => `<div><dt>${k}</dt><dd>${escapeHtml(v!)}</dd></div>`).join('')}</dl>` +
    (p.reductions.length
      ? `<p class="reductions">This page shows a reduced view of a large run; the full data is in the run folder: ${p.reductions.map(escapeHtml).join('; ')}.</p>`
      : '');
  return h;
}

function footer(p: RunPayload): HTMLElement {
  const f = document.createElement('footer');
  const opts = p.summary.options
    ? Object.entries(p.summary.options)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' · ')
    : '';
  f.innerHTML = `<p>Run options: ${escapeHtml(opts || 'defaults')}. Wall time ${fmtDuration(p.summary.wallMs ?? Number.NaN)}. Mean CPU allocated ${fmtPercent(p.summary.utilization.cpu?.mean ?? Number.NaN)}. Generated by the Borealis visualizer from ${escapeHtml(p.label)}.</p>`;
  return f;
}

export function section(root: HTMLElement, title: string | null, cls = '', note = ''): HTMLElement {
  const sec = document.createElement('section');
  if (title) {
    const h = document.createElement('h2');
    h.textContent = title;
    sec.appendChild(h);
    if (note) {
      const p = document.createElement('p');
      p.className = 'section-note';
      p.textContent = note;
      sec.appendChild(p);
    }
  }
  const body = document.createElement('div');
  body.className = `section-body ${cls}`;
  sec.appendChild(body);
  root.appendChild(sec);
  return body;
}

export function div(parent: HTMLElement): HTMLDivElement {
  return parent.appendChild(document.createElement('div'));
}
