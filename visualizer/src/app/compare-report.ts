import type { ComparePayload, CompareRunPayload } from '../data/payload.js';
import { parseTimeSeries, type TimeSeries } from '../data/timeseries.js';
import { CdfChart } from './charts/cdf-chart.js';
import { Overview } from './charts/overview.js';
import { type ChartContext, type Series, TimeChart } from './charts/time-chart.js';
import { escapeHtml, fmtDuration, fmtNumber, fmtPercent } from './format.js';
import { RUN_COLORS } from './palette.js';
import { policyBands } from './policy-bands.js';
import { div, section, totalUtilization } from './run-report.js';
import { TimeDomain } from './time-domain.js';
import { durationTickUnit } from './time-ticks.js';
import { Tooltip } from './tooltip.js';

interface Renderable {
  render(): void;
}

/**
 * Several runs of one trace (policies × seeds) on the same axes, plus the table of headline
 * metrics per run and per policy. One colour per run everywhere; each chart's legend toggles runs.
 */
export function renderComparison(root: HTMLElement, p: ComparePayload, live = false): Renderable[] {
  // One colour per policy, shared by its seeds (the time charts band them; see policyBands).
  const policies = [...new Set(p.runs.map((r) => r.policy))];
  const runs = p.runs.map((r) => ({
    ...r,
    ts: parseTimeSeries(r.timeseries),
    color: RUN_COLORS[policies.indexOf(r.policy) % RUN_COLORS.length]!,
  }));
  let end = 1;
  for (const r of runs)
    end = Math.max(end, r.summary.simulatedMs, r.ts.length ? r.ts.t[r.ts.length - 1]! : 0);
  const domain = new TimeDomain([0, end]);
  const tooltip = new Tooltip(document.body);
  const ctx: ChartContext = { domain, tooltip, markers: [] };
  const charts: Renderable[] = [];

  root.innerHTML = '';
  root.className = 'report compare';
  root.appendChild(header(p));
  const nav = section(root, null, 'overview-wrap');
  charts.push(
    new Overview(
      nav,
      [
        {
          label: `CPU allocated / capacity, ${runs[0]?.label ?? ''}`,
          t: runs[0]?.ts.t ?? new Float64Array(0),
          values: runs[0] ? totalUtilization(runs[0].ts, 'cpu') : new Float64Array(0),
        },
      ],
      domain,
    ),
  );

  const table = section(root, 'Headline metrics');
  table.appendChild(metricsTable(p, runs, live));

  const over = section(root, 'Runs overlaid', 'grid2');
  // Several seeds of a policy: one mean line and a min–max band per policy; otherwise a line per run.
  const banded = policies.some((policy) => runs.filter((r) => r.policy === policy).length > 1);
  const perRun = (values: (ts: TimeSeries) => Float64Array, format: (v: number) => string): Series[] =>
    banded
      ? policyBands(
          runs.map((r) => ({
            policy: r.policy,
            label: r.label,
            color: r.color,
            t: r.ts.t,
            values: values(r.ts),
          })),
          format,
        )
      : runs.map((r) => ({
          key: r.label,
          label: r.label,
          color: r.color,
          t: r.ts.t,
          values: values(r.ts),
          format,
        }));
  const col = (name: string) => (ts: TimeSeries) =>
    ts.column(name) ?? new Float64Array(ts.length).fill(Number.NaN);
  charts.push(
    new TimeChart(
      div(over),
      {
        id: 'cmp-cpu',
        title: 'CPU allocated / capacity',
        yLabel: '% of CPU capacity',
        lines: perRun((ts) => totalUtilization(ts, 'cpu'), fmtPercent),
        yFormat: (v) => fmtPercent(v).replace('.0', ''),
      },
      ctx,
    ),
  );
  charts.push(
    new TimeChart(
      div(over),
      {
        id: 'cmp-ram',
        title: 'RAM allocated / capacity',
        yLabel: '% of RAM capacity',
        lines: perRun((ts) => totalUtilization(ts, 'ramMb'), fmtPercent),
        yFormat: (v) => fmtPercent(v).replace('.0', ''),
      },
      ctx,
    ),
  );
  charts.push(
    new TimeChart(
      div(over),
      {
        id: 'cmp-pending',
        title: 'Tasks pending',
        yLabel: 'tasks',
        lines: perRun(col('pending'), fmtNumber),
        yFormat: fmtNumber,
      },
      ctx,
    ),
  );
  charts.push(
    new TimeChart(
      div(over),
      {
        id: 'cmp-delay',
        title: 'Scheduling delay p99 per interval',
        yLabel: 'delay p99',
        tickUnit: durationTickUnit,
        lines: perRun(col('delay_p99'), fmtDuration),
        yFormat: fmtDuration,
        yMinTop: 1000,
      },
      ctx,
    ),
  );
  charts.push(
    new TimeChart(
      div(over),
      {
        id: 'cmp-preempted',
        title: 'Preemption victims per interval',
        yLabel: 'tasks per sample interval',
        lines: perRun(col('preempted'), fmtNumber),
        yFormat: fmtNumber,
      },
      ctx,
    ),
  );
  charts.push(
    new CdfChart(
      div(over),
      runs.map((r) => ({
        key: r.label,
        label: r.label,
        color: r.color,
        quantiles: r.delays.quantiles,
        count: r.delays.count,
      })),
      tooltip,
      'Scheduling delay distribution (CDF)',
      'PENDING → ASSIGNED over each run’s full events.jsonl.',
    ),
  );
  return charts;
}

interface Metric {
  readonly name: string;
  readonly get: (r: CompareRunPayload) => number;
  readonly fmt: (v: number) => string;
  /** Which direction is better, for highlighting the best run. */
  readonly better: 'low' | 'high';
}

const METRICS: readonly Metric[] = [
  {
    name: 'delay p50',
    get: (r) => r.summary.schedulingDelayMs.p50 ?? Number.NaN,
    fmt: fmtDuration,
    better: 'low',
  },
  {
    name: 'delay p90',
    get: (r) => r.summary.schedulingDelayMs.p90 ?? Number.NaN,
    fmt: fmtDuration,
    better: 'low',
  },
  {
    name: 'delay p99',
    get: (r) => r.summary.schedulingDelayMs.p99 ?? Number.NaN,
    fmt: fmtDuration,
    better: 'low',
  },
  {
    name: 'pending at end',
    get: (r) => r.summary.tasks.pendingAtEnd ?? Number.NaN,
    fmt: fmtNumber,
    better: 'low',
  },
  {
    name: 'CPU mean',
    get: (r) => r.summary.utilization.cpu?.mean ?? Number.NaN,
    fmt: fmtPercent,
    better: 'high',
  },
  {
    name: 'CPU peak',
    get: (r) => r.summary.utilization.cpu?.peak ?? Number.NaN,
    fmt: fmtPercent,
    better: 'high',
  },
  {
    name: 'RAM mean',
    get: (r) => r.summary.utilization.ramMb?.mean ?? Number.NaN,
    fmt: fmtPercent,
    better: 'high',
  },
  { name: 'preemptions', get: (r) => r.summary.preemptions, fmt: fmtNumber, better: 'low' },
  { name: 'hosts used', get: (r) => r.summary.hostsUsed ?? Number.NaN, fmt: fmtNumber, better: 'low' },
  { name: 'violations', get: (r) => r.summary.violations, fmt: fmtNumber, better: 'low' },
];

function metricsTable(
  p: ComparePayload,
  runs: readonly (CompareRunPayload & { color: string })[],
  live: boolean,
): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.dataset.chart = 'compare-table';
  // Highlight the best run of a metric only where runs differ: a column of ties has no winner.
  const best = METRICS.map((m) => {
    const vals = runs.map(m.get).filter(Number.isFinite);
    if (vals.length < 2 || Math.min(...vals) === Math.max(...vals)) return Number.NaN;
    return m.better === 'low' ? Math.min(...vals) : Math.max(...vals);
  });
  const head = `<tr><th>run</th><th>policy</th><th class="num">seed</th>${METRICS.map((m) => `<th class="num">${m.name}</th>`).join('')}</tr>`;
  const body = runs
    .map((r) => {
      // Served by `borealis viz`, each run opens as its own report through the server; from disk,
      // the run's own report.html, which `sim compare` writes into each run folder.
      const href = live
        ? `?run=${encodeURIComponent(r.label)}`
        : `${r.label.split('/').map(encodeURIComponent).join('/')}/report.html`;
      const name = `<a class="run-name" href="${escapeHtml(href)}">${escapeHtml(r.label)}</a>`;
      const cells = METRICS.map((m, k) => {
        const v = m.get(r);
        return `<td class="num${v === best[k] ? ' best' : ''}">${m.fmt(v)}</td>`;
      }).join('');
      return `<tr><td><i class="swatch" style="--c:${r.color}"></i>${name}</td><td>${escapeHtml(r.policy)}</td><td class="num">${r.seed}</td>${cells}</tr>`;
    })
    .join('');
  // Per policy across seeds: mean ± stdev of the same metrics, computed here from the summaries.
  const agg = p.comparison.policies
    .map((policy) => {
      const mine = runs.filter((r) => r.policy === policy);
      if (mine.length < 2) return '';
      const cells = METRICS.map((m) => {
        const v = mine.map(m.get).filter(Number.isFinite);
        const mean = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1));
        return `<td class="num">${m.fmt(mean)}<small> ± ${m.fmt(sd)}</small></td>`;
      }).join('');
      return `<tr class="agg"><td colspan="2">${escapeHtml(policy)} · mean ± sd</td><td class="num">${mine.length}</td>${cells}</tr>`;
    })
    .join('');
  wrap.innerHTML = `<table class="data metrics"><thead>${head}</thead><tbody>${body}${agg}</tbody></table>`;
  return wrap;
}

function header(p: ComparePayload): HTMLElement {
  const c = p.comparison;
  const h = document.createElement('header');
  h.className = 'report-head';
  h.innerHTML =
    `<div class="brand">Borealis <span>policy comparison</span></div>` +
    `<h1>${escapeHtml(p.runs[0]?.summary.traceName ?? c.trace)} <span class="policy">${c.policies.length} policies × ${c.seeds.length} seeds</span></h1>` +
    `<dl class="key" data-key="compare"><div><dt>trace</dt><dd>${escapeHtml(c.trace)}</dd></div><div><dt>policies</dt><dd>${c.policies.map(escapeHtml).join(', ')}</dd></div><div><dt>seeds</dt><dd>${c.seeds.join(', ')}</dd></div><div><dt>runs</dt><dd>${c.runs.length}</dd></div></dl>` +
    (c.verdict ? `<p class="verdict">${escapeHtml(c.verdict.text)}</p>` : '') +
    (c.seedInsensitive?.length
      ? `<p class="reductions">Seeds ${c.seeds.join(', ')} changed nothing for ${c.seedInsensitive.map(escapeHtml).join(', ')}: the spread across seeds shows no noise.</p>`
      : '') +
    (p.reductions.length
      ? `<p class="reductions">Reduced for the page: ${p.reductions.map(escapeHtml).join('; ')}.</p>`
      : '');
  return h;
}
