import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeHostMatrix, encodeBase64, reduceHostMatrix } from '../data/host-matrix.js';
import { parseJsonLines } from '../data/jsonl.js';
import type { DelayDistribution, HostsPayload, JobIndexEntry, RunPayload } from '../data/payload.js';
import type { HostsFile, PreemptionRecord, RunSummary } from '../data/run-files.js';
import { formatTimeSeriesRows, parseTimeSeries } from '../data/timeseries.js';
import { quantilesOf } from '../transforms/cdf.js';
import { DelayCollector } from '../transforms/delay-collector.js';
import { peakKeepingRows } from '../transforms/downsample.js';
import { sampleJobs } from '../transforms/job-sample.js';
import { longestMarkers, type TimeMarker } from '../transforms/markers.js';

/**
 * How much of a run goes into the page. report.html must open quickly from disk, so its budgets
 * are tighter than `borealis viz`, which can also fetch a job's full events on demand.
 */
export interface Budgets {
  /** events.jsonl lines (whole jobs are sampled beyond this). */
  readonly events: number;
  readonly preemptions: number;
  /** hosts × samples cells of each heat-map matrix (the time axis is max-reduced beyond this). */
  readonly hostCells: number;
  readonly timeseriesRows: number;
}

export const INLINE_BUDGETS: Budgets = {
  events: 120_000,
  preemptions: 20_000,
  hostCells: 2_500_000,
  timeseriesRows: 20_000,
};
export const SERVED_BUDGETS: Budgets = {
  events: 600_000,
  preemptions: 200_000,
  hostCells: 10_000_000,
  timeseriesRows: 100_000,
};

/** Delay quantiles kept per run: enough for a smooth CDF, a few kilobytes. */
const DELAY_QUANTILES = 501;

export async function loadRunPayload(
  dir: string,
  budgets: Budgets,
  label = basename(dir),
): Promise<RunPayload> {
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as RunSummary;
  const reductions: string[] = [];
  const timeseries = await loadTimeseries(dir, budgets.timeseriesRows, reductions);
  const ev = await scanEvents(join(dir, 'events.jsonl'), budgets.events);
  if (ev.sampledEvents < ev.totalEvents) {
    reductions.push(
      `events: ${ev.jobs.filter((j) => j.sampled).length} of ${ev.jobs.length} jobs ` +
        `(${ev.sampledEvents.toLocaleString('en')} of ${ev.totalEvents.toLocaleString('en')} task events) included for the job view`,
    );
  }
  const preemptions = await loadPreemptions(join(dir, 'preemptions.jsonl'), budgets.preemptions, reductions);
  const hosts = await loadHosts(join(dir, 'hosts.json'), budgets.hostCells, reductions);
  const markers = await loadMarkers(join(dir, 'markers.jsonl'), reductions);
  return {
    kind: 'run',
    label,
    summary,
    timeseries,
    delays: ev.delays,
    jobs: ev.jobs,
    events: ev.lines,
    preemptions,
    hosts,
    markers,
    reductions,
  };
}

/** Markers drawn on every timeline; beyond this many only the longest are kept. */
export const MAX_MARKERS = 2000;

/** markers.jsonl reduced to what the page draws (kind, start, end, label). Older runs have none. */
export async function loadMarkers(path: string, reductions: string[]): Promise<TimeMarker[]> {
  const text = await readOptional(path);
  if (text === null) return [];
  const all = parseJsonLines<TimeMarker>(text).map(({ kind, start, end, label }) => ({
    kind,
    start,
    end,
    label,
  }));
  if (all.length <= MAX_MARKERS) return all;
  reductions.push(
    `markers: the ${MAX_MARKERS.toLocaleString('en')} longest of ${all.length.toLocaleString('en')} drawn`,
  );
  return longestMarkers(all, MAX_MARKERS);
}

export async function loadTimeseries(dir: string, maxRows: number, reductions: string[]): Promise<string> {
  const csv = await readOptional(join(dir, 'timeseries.csv'));
  if (csv === null) return '';
  const ts = parseTimeSeries(csv);
  if (ts.length <= maxRows) return csv;
  // Keep the rows that carry the peaks of what the charts stack and plot.
  const key = ts.names.filter(
    (n) =>
      n.startsWith('alloc_cpu_') ||
      n.startsWith('alloc_ramMb_') ||
      /^(running|pending|delay_p99|preempted)$/.test(n),
  );
  const rows = peakKeepingRows(
    ts.t,
    key.map((n) => ts.column(n)!),
    Math.max(1, Math.floor(maxRows / 8)),
  );
  reductions.push(
    `time series: ${rows.length.toLocaleString('en')} of ${ts.length.toLocaleString('en')} samples (peak-keeping)`,
  );
  return formatTimeSeriesRows(ts, rows);
}

interface EventScan {
  readonly delays: DelayDistribution;
  readonly jobs: JobIndexEntry[];
  readonly lines: string;
  readonly totalEvents: number;
  readonly sampledEvents: number;
}

/**
 * One streaming pass measures every PENDING→ASSIGNED delay and counts events per job; a second
 * pass (only when over budget) collects the lines of the sampled jobs. Lines are kept verbatim.
 */
export async function scanEvents(path: string, budget: number): Promise<EventScan> {
  const collector = new DelayCollector();
  const perJob = new Map<string, { events: number; tasks: Set<string> }>();
  let kept: string[] | null = [];
  let total = 0;
  if (await exists(path)) {
    for await (const line of lines(path)) {
      if (line === '') continue;
      const e = JSON.parse(line) as { t: number; task: string; job: string; state: string };
      collector.onEvent(e.task, e.state, e.t);
      let j = perJob.get(e.job);
      if (!j) {
        j = { events: 0, tasks: new Set() };
        perJob.set(e.job, j);
      }
      j.events++;
      j.tasks.add(e.task);
      total++;
      if (kept) {
        if (total <= budget) kept.push(line);
        else kept = null;
      }
    }
  }
  const counts = new Map([...perJob].map(([job, j]) => [job, j.events]));
  const chosen = sampleJobs(counts, budget);
  let sampledEvents = total;
  if (!kept) {
    kept = [];
    // Budget 0 means "delays only" (comparisons): no second pass.
    if (chosen.size > 0) {
      for await (const line of lines(path)) {
        const job = jobOf(line);
        if (job !== null && chosen.has(job)) kept.push(line);
      }
    }
    sampledEvents = kept.length;
  }
  const jobs = [...perJob]
    .map(([job, j]) => ({ job, tasks: j.tasks.size, events: j.events, sampled: chosen.has(job) }))
    .sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));
  const delays = collector.delays();
  return {
    delays: {
      count: delays.length,
      quantiles: quantilesOf(delays, Math.min(DELAY_QUANTILES, Math.max(2, delays.length))),
    },
    jobs,
    lines: kept.length ? kept.join('\n') + '\n' : '',
    totalEvents: total,
    sampledEvents,
  };
}

/** All events.jsonl lines of one job (for `borealis viz`, when the job was not sampled). */
export async function jobEvents(dir: string, job: string): Promise<string> {
  const out: string[] = [];
  const path = join(dir, 'events.jsonl');
  if (!(await exists(path))) return '';
  for await (const line of lines(path)) if (jobOf(line) === job) out.push(line);
  return out.length ? out.join('\n') + '\n' : '';
}

async function loadPreemptions(
  path: string,
  budget: number,
  reductions: string[],
): Promise<RunPayload['preemptions']> {
  const text = await readOptional(path);
  if (text === null) return { total: 0, records: [] };
  const all = parseJsonLines<PreemptionRecord>(text);
  if (all.length <= budget) return { total: all.length, records: all };
  // Every k-th record: spread over the whole run; counts per interval still come from the time series.
  const k = all.length / budget;
  const records: PreemptionRecord[] = [];
  for (let i = 0; i < budget; i++) records.push(all[Math.floor(i * k)]!);
  reductions.push(
    `preemptions: ${budget.toLocaleString('en')} of ${all.length.toLocaleString('en')} records listed`,
  );
  return { total: all.length, records };
}

async function loadHosts(path: string, budget: number, reductions: string[]): Promise<HostsPayload | null> {
  const text = await readOptional(path);
  if (text === null) return null;
  const file = JSON.parse(text) as HostsFile;
  const n = file.hosts.length;
  const samples = file.sampleTimes.length;
  if (n * samples <= budget || n === 0)
    return { ...file, hosts: [...file.hosts], sampleTimes: [...file.sampleTimes] };
  const maxSamples = Math.max(24, Math.floor(budget / n));
  const cpu = reduceHostMatrix(decodeHostMatrix(file.cpu, n, samples), maxSamples);
  const ram = reduceHostMatrix(decodeHostMatrix(file.ramMb, n, samples), maxSamples);
  reductions.push(`heat map: ${cpu.matrix.samples} of ${samples} time columns (max per column kept)`);
  return {
    hosts: [...file.hosts],
    sampleTimes: cpu.starts.map((s) => file.sampleTimes[s]!),
    cpu: encodeBase64(cpu.matrix.cells),
    ramMb: encodeBase64(ram.matrix.cells),
  };
}

/** The job key of an events.jsonl line without a full parse (the second pass only filters). */
function jobOf(line: string): string | null {
  const i = line.indexOf('"job":"');
  if (i < 0) return null;
  const end = line.indexOf('"', i + 7);
  return end < 0 ? null : line.slice(i + 7, end);
}

function lines(path: string): AsyncIterable<string> {
  return createInterface({
    input: createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
