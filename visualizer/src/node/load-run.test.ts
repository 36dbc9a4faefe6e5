import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHostMatrix } from '../data/host-matrix.js';
import { parseJsonLines } from '../data/jsonl.js';
import type { HostsFile, TaskEventRecord } from '../data/run-files.js';
import { parseTimeSeries } from '../data/timeseries.js';
import { writeFixtureRun } from '../testing/fixture-run.js';
import { jobEvents, loadMarkers, loadRunPayload, MAX_MARKERS } from './load-run.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-payload-'));
  await writeFixtureRun(dir, { hosts: 40, durationMs: 3 * 3_600_000, sampleIntervalMs: 20_000, seed: 5 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadRunPayload', () => {
  it('keeps everything when the run fits the budgets', async () => {
    const p = await loadRunPayload(dir, {
      events: 1e9,
      preemptions: 1e9,
      hostCells: 1e9,
      timeseriesRows: 1e9,
    });
    expect(p.reductions).toEqual([]);
    expect(p.events).toBe(await readFile(join(dir, 'events.jsonl'), 'utf8'));
    expect(p.jobs.every((j) => j.sampled)).toBe(true);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    // The delay distribution covers every placement and agrees with the summary's max.
    expect(p.delays.count).toBeGreaterThan(100);
    expect(p.delays.quantiles.at(-1)).toBe(summary.schedulingDelayMs.max);
  });

  it('reduces to the budgets with whole jobs, peak-keeping rows and max-reduced heat-map columns', async () => {
    const full = parseJsonLines<TaskEventRecord>(await readFile(join(dir, 'events.jsonl'), 'utf8'));
    const p = await loadRunPayload(dir, {
      events: 2000,
      preemptions: 5,
      hostCells: 40 * 100,
      timeseriesRows: 200,
    });
    const kept = parseJsonLines<TaskEventRecord>(p.events);
    expect(kept.length).toBeLessThanOrEqual(2000);
    expect(kept.length).toBeGreaterThan(0);
    // Whole jobs: every sampled job has all of its events.
    for (const job of new Set(kept.map((e) => e.job))) {
      expect(kept.filter((e) => e.job === job).length).toBe(full.filter((e) => e.job === job).length);
      expect(p.jobs.find((j) => j.job === job)!.sampled).toBe(true);
    }
    expect(p.preemptions.records.length).toBe(5);
    expect(p.preemptions.total).toBeGreaterThan(5);
    const ts = parseTimeSeries(p.timeseries);
    const fullTs = parseTimeSeries(await readFile(join(dir, 'timeseries.csv'), 'utf8'));
    expect(ts.length).toBeLessThan(fullTs.length);
    expect(Math.max(...ts.column('pending')!)).toBe(Math.max(...fullTs.column('pending')!));
    const hosts = p.hosts!;
    expect(hosts.sampleTimes.length).toBe(100);
    const file = JSON.parse(await readFile(join(dir, 'hosts.json'), 'utf8')) as HostsFile;
    const before = decodeHostMatrix(file.cpu, 40, file.sampleTimes.length).cells;
    const after = decodeHostMatrix(hosts.cpu, 40, 100).cells;
    expect(Math.max(...after)).toBe(Math.max(...before));
    expect(p.reductions.length).toBe(4);
  });

  it('returns one job’s full events for the viz server', async () => {
    const p = await loadRunPayload(dir, { events: 10, preemptions: 5, hostCells: 1e9, timeseriesRows: 1e9 });
    const job = p.jobs.find((j) => !j.sampled)!;
    const events = parseJsonLines<TaskEventRecord>(await jobEvents(dir, job.job));
    expect(events.length).toBe(job.events);
    expect(new Set(events.map((e) => e.task)).size).toBe(job.tasks);
  });

  it('reads markers.jsonl down to what the page draws, and has none for runs without it', async () => {
    expect(
      (await loadRunPayload(dir, { events: 10, preemptions: 5, hostCells: 1, timeseriesRows: 10 })).markers,
    ).toEqual([]);
    const path = join(dir, 'markers.jsonl');
    const line = (i: number) =>
      JSON.stringify({
        kind: 'drain',
        start: i * 10,
        end: i * 10 + (i % 7),
        label: `drain ${i}`,
        hosts: ['h1'],
        outcome: 'DRAINED',
      });
    try {
      await writeFile(path, `${line(1)}\n${line(2)}\n`);
      const reductions: string[] = [];
      expect(await loadMarkers(path, reductions)).toEqual([
        { kind: 'drain', start: 10, end: 11, label: 'drain 1' },
        { kind: 'drain', start: 20, end: 22, label: 'drain 2' },
      ]);
      expect(reductions).toEqual([]);
      await writeFile(path, Array.from({ length: MAX_MARKERS + 50 }, (_, i) => `${line(i)}\n`).join(''));
      const kept = await loadMarkers(path, reductions);
      expect(kept).toHaveLength(MAX_MARKERS);
      // The longest are kept, in time order.
      // (lengths cycle 0…6 ms: the 50 dropped are instants)
      const instants = Array.from({ length: MAX_MARKERS + 50 }, (_, i) => i % 7 === 0).filter(Boolean).length;
      expect(kept.filter((m) => m.end === m.start)).toHaveLength(instants - 50);
      expect(kept.map((m) => m.start)).toEqual([...kept.map((m) => m.start)].sort((a, b) => a - b));
      expect(reductions).toEqual([`markers: the 2,000 longest of 2,050 drawn`]);
    } finally {
      await rm(path, { force: true });
    }
  });
});
