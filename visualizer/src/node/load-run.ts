import { access, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type HostMatrix, reduceHostMatrix } from '../data/host-matrix.js';
import { parseJsonLines } from '../data/jsonl.js';
import type { DelayDistribution, HostsPayload, JobIndexEntry, RunPayload } from '../data/payload.js';
import type { HostsFile, PreemptionRecord, RunSummary } from '../data/run-files.js';
import { formatTimeSeriesRows, parseTimeSeries } from '../data/timeseries.js';
import { quantilesOf } from '../transforms/cdf.js';
import { peakKeepingRows } from '../transforms/downsample.js';
import { sampleJobs } from '../transforms/job-sample.js';
import { longestMarkers, type TimeMarker } from '../transforms/markers.js';
import { ByteKeys } from './byte-keys.js';
import { ASSIGNED, EventHead, stateKind, WAITING } from './event-head.js';
import { LineReader } from './line-reader.js';

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
 * One streaming pass measures every PENDING→ASSIGNED delay and counts events and tasks per job; a
 * second pass (only when over budget) collects the lines of the sampled jobs. Lines are kept
 * verbatim.
 *
 * A day's events.jsonl is ~6M lines, so the pass reads bytes (LineReader), takes the few fields it
 * needs from each line's bytes (EventHead; JSON.parse only for lines it cannot decode exactly) and
 * counts by dense task and job ids (ByteKeys) in typed arrays instead of a string per field and
 * Map entries. The delays are DelayCollector's, by task id: a task's wait starts at its first
 * PENDING or THROTTLED and ends at its ASSIGNED; any other state ends it unmeasured.
 */
export async function scanEvents(path: string, budget: number): Promise<EventScan> {
  const taskIds = new ByteKeys();
  const jobIds = new ByteKeys();
  /** By task id: start of its current wait, NaN when not waiting. */
  let waitSince = new Float64Array(1 << 14).fill(Number.NaN);
  /** By task id: the job of its first event, -1 for none yet. */
  let firstJob = new Int32Array(1 << 14).fill(-1);
  /** Task ids seen under a second job ("task,job"): counted once more, for that job. */
  const otherJobPairs = new Set<string>();
  /** By job id. */
  let eventsOfJob = new Int32Array(1 << 12);
  let jobTasks = new Int32Array(1 << 12);
  /** The job id of each non-blank line, for the second pass. */
  let lineJob = new Int32Array(1 << 16);
  let delays = new Float64Array(1 << 12);
  let delayCount = 0;
  let kept: string[] | null = [];
  let total = 0;
  if (await exists(path)) {
    const head = new EventHead();
    let lastJob = -1;
    let lastJobHash = 0;
    const r = await LineReader.open(path);
    while (await r.fill()) {
      while (r.next()) {
        const buf = r.buf;
        const start = r.start;
        const end = r.end;
        if (start === end) continue;
        let task: number;
        let job: number;
        let state: number;
        let t: number;
        if (head.parse(buf, start, end)) {
          task = taskIds.idHashed(buf, head.taskStart, head.taskEnd, head.taskHash);
          // Three lines in four have the previous line's job: skip the table for those.
          if (
            head.jobHash === lastJobHash &&
            lastJob >= 0 &&
            jobIds.is(lastJob, buf, head.jobStart, head.jobEnd)
          ) {
            job = lastJob;
          } else {
            job = jobIds.idHashed(buf, head.jobStart, head.jobEnd, head.jobHash);
            lastJob = job;
            lastJobHash = head.jobHash;
          }
          state = head.state;
          t = head.t;
        } else {
          const e = JSON.parse(buf.toString('utf8', start, end)) as {
            t: number;
            task: string;
            job: string;
            state: string;
          };
          task = taskIds.idOfString(e.task);
          job = jobIds.idOfString(e.job);
          state = stateKind(e.state);
          t = e.t;
        }
        if (task >= firstJob.length) {
          waitSince = grownF64(waitSince, task, Number.NaN);
          firstJob = grownI32(firstJob, task, -1);
        }
        if (job >= eventsOfJob.length) {
          eventsOfJob = grownI32(eventsOfJob, job, 0);
          jobTasks = grownI32(jobTasks, job, 0);
        }
        if (state === WAITING) {
          if (Number.isNaN(waitSince[task]!)) waitSince[task] = t;
        } else {
          if (state === ASSIGNED && !Number.isNaN(waitSince[task]!)) {
            if (delayCount === delays.length) delays = grownF64(delays, delayCount, 0);
            delays[delayCount++] = t - waitSince[task]!;
          }
          waitSince[task] = Number.NaN;
        }
        const first = firstJob[task]!;
        if (first < 0) {
          firstJob[task] = job;
          jobTasks[job]!++;
        } else if (first !== job) {
          const pair = `${task},${job}`;
          if (!otherJobPairs.has(pair)) {
            otherJobPairs.add(pair);
            jobTasks[job]!++;
          }
        }
        eventsOfJob[job]!++;
        if (total === lineJob.length) lineJob = grownI32(lineJob, total, 0);
        lineJob[total] = job;
        total++;
        if (kept) {
          if (total <= budget) kept.push(buf.toString('utf8', start, end));
          else kept = null;
        }
      }
    }
  }
  const counts = new Map<string, number>();
  for (let j = 0; j < jobIds.size; j++) counts.set(jobIds.key(j), eventsOfJob[j]!);
  const chosen = sampleJobs(counts, budget);
  let sampledEvents = total;
  if (!kept) {
    kept = [];
    // Budget 0 means "delays only" (comparisons): no second pass.
    if (chosen.size > 0) {
      const chosenId = new Uint8Array(jobIds.size);
      let j = 0;
      for (const job of counts.keys()) chosenId[j++] = chosen.has(job) ? 1 : 0;
      const r = await LineReader.open(path);
      let line = 0;
      while (await r.fill()) {
        while (r.next()) {
          if (r.start === r.end) continue;
          if (chosenId[lineJob[line++]!] === 1) kept.push(r.buf.toString('utf8', r.start, r.end));
        }
      }
    }
    sampledEvents = kept.length;
  }
  const jobs: JobIndexEntry[] = [];
  let j = 0;
  for (const [job, events] of counts) {
    jobs.push({ job, tasks: jobTasks[j++]!, events, sampled: chosen.has(job) });
  }
  jobs.sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));
  const measured = delays.subarray(0, delayCount);
  return {
    delays: {
      count: measured.length,
      quantiles: quantilesOf(measured, Math.min(DELAY_QUANTILES, Math.max(2, measured.length))),
    },
    jobs,
    lines: kept.length ? kept.join('\n') + '\n' : '',
    totalEvents: total,
    sampledEvents,
  };
}

/** A copy of `a` with room for index `need`, new entries set to `fill`. */
function grownF64(a: Float64Array, need: number, fill: number): Float64Array<ArrayBuffer> {
  let n = a.length * 2;
  while (n <= need) n *= 2;
  const b = new Float64Array(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

function grownI32(a: Int32Array, need: number, fill: number): Int32Array<ArrayBuffer> {
  let n = a.length * 2;
  while (n <= need) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** All events.jsonl lines of one job (for `borealis viz`, when the job was not sampled). */
export async function jobEvents(dir: string, job: string): Promise<string> {
  const out: string[] = [];
  const path = join(dir, 'events.jsonl');
  if (!(await exists(path))) return '';
  const head = new EventHead();
  const want = Buffer.from(job, 'utf8');
  const r = await LineReader.open(path);
  while (await r.fill()) {
    while (r.next()) {
      const buf = r.buf;
      const start = r.start;
      const end = r.end;
      if (start === end) continue;
      // EventHead's job bytes are the job's text (ASCII, no escapes); other lines are parsed.
      const match = head.parse(buf, start, end)
        ? sameBytes(buf, head.jobStart, head.jobEnd, want)
        : (JSON.parse(buf.toString('utf8', start, end)) as { job: string }).job === job;
      if (match) out.push(buf.toString('utf8', start, end));
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

function sameBytes(buf: Uint8Array, start: number, end: number, want: Uint8Array): boolean {
  if (end - start !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (buf[start + i] !== want[i]) return false;
  return true;
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
  const cpu = reduceHostMatrix(hostMatrixOf(file.cpu, n, samples), maxSamples);
  const ram = reduceHostMatrix(hostMatrixOf(file.ramMb, n, samples), maxSamples);
  const gpus =
    file.gpus !== undefined ? reduceHostMatrix(hostMatrixOf(file.gpus, n, samples), maxSamples) : undefined;
  reductions.push(`heat map: ${cpu.matrix.samples} of ${samples} time columns (max per column kept)`);
  return {
    hosts: [...file.hosts],
    sampleTimes: cpu.starts.map((s) => file.sampleTimes[s]!),
    cpu: base64Of(cpu.matrix.cells),
    ramMb: base64Of(ram.matrix.cells),
    ...(gpus ? { gpus: base64Of(gpus.matrix.cells) } : {}),
  };
}

/**
 * decodeHostMatrix and encodeBase64 with node's native base64 (the same text and bytes as
 * atob/btoa for the writer's output): the shared ones go through a binary string, ~0.3 s for a
 * day's 10k-host matrices.
 */
function hostMatrixOf(b64: string, hosts: number, samples: number): HostMatrix {
  const bytes = Buffer.from(b64, 'base64');
  const cells = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  if (cells.length !== hosts * samples) {
    throw new Error(`host matrix has ${cells.length} cells, expected ${hosts} × ${samples}`);
  }
  return { hosts, samples, cells };
}

function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
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
