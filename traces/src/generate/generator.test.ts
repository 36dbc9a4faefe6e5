import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  instanceDurationMs,
  instanceOutcome,
  type JobSubmitRecord,
  type TraceRecord,
} from '../format/record.js';
import { validateTrace } from '../io/reader.js';
import { generateTrace } from './generate-trace.js';
import { DAY_MS, generateRecords, meanTasksPerJob } from './generator.js';
import { PRESETS, type Preset } from './presets.js';

const dir = mkdtempSync(join(tmpdir(), 'borealis-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

describe('generateTrace determinism', () => {
  it('same seed ⇒ byte-identical file (plain and gzipped); different seeds differ', async () => {
    const preset = PRESETS['google-2011']!;
    for (const ext of ['jsonl', 'jsonl.gz']) {
      const a = join(dir, `a.${ext}`);
      const b = join(dir, `b.${ext}`);
      const c = join(dir, `c.${ext}`);
      await generateTrace({ preset, hosts: 50, days: 0.5, seed: 7 }, a);
      await generateTrace({ preset, hosts: 50, days: 0.5, seed: 7 }, b);
      await generateTrace({ preset, hosts: 50, days: 0.5, seed: 8 }, c);
      expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
      expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
    }
    expect((await validateTrace(join(dir, 'a.jsonl.gz'))).problemCount).toBe(0);
  });

  it('every preset produces a valid trace', async () => {
    for (const name of Object.keys(PRESETS)) {
      const p = join(dir, `${name}.jsonl`);
      await generateTrace({ preset: PRESETS[name]!, hosts: 40, days: 1, seed: 3 }, p);
      const r = await validateTrace(p);
      expect(r.problems, name).toEqual([]);
    }
  });
});

/** What the tests compare against the preset parameters. */
function measure(preset: Preset, hosts: number, days: number) {
  const recs: TraceRecord[] = [...generateRecords({ preset, hosts, days, seed: 11 })];
  const hostRecs = recs.filter((r) => r.type === 'host_add');
  const jobs = recs.filter((r): r is JobSubmitRecord => r.type === 'job_submit');
  const batch = jobs.filter((j) => j.kind === 'adhoc');
  const services = jobs.filter((j) => j.kind === 'service');
  const totalCpu = hostRecs.reduce((a, h) => a + h.cpu, 0);
  const durations: number[] = [];
  let failed = 0;
  let tasks = 0;
  for (const j of batch) {
    for (let i = 0; i < j.instances; i++) {
      durations.push(instanceDurationMs(j, i)!);
      if (instanceOutcome(j, i) === 'failed') failed++;
    }
    tasks += j.instances;
  }
  const peakHour = preset.diurnal.peakHour;
  const hourOf = (t: number): number => (t % DAY_MS) / 3_600_000;
  const dist = (h: number): number => Math.min(Math.abs(h - peakHour), 24 - Math.abs(h - peakHour));
  const nearPeak = batch.filter((j) => dist(hourOf(j.t)) < 3).length;
  const nearTrough = batch.filter((j) => dist(hourOf(j.t)) > 9).length;
  return {
    recs,
    hostRecs,
    batch,
    services,
    tasks,
    totalCpu,
    initialServiceCpu: services.filter((j) => j.t === 0).reduce((a, j) => a + j.task.cpu * j.instances, 0),
    singleShare: batch.filter((j) => j.instances === 1).length / batch.length,
    medianDuration: median(durations),
    medianCpu: median(batch.map((j) => j.task.cpu)),
    failedShare: failed / tasks,
    peakToTrough: nearPeak / nearTrough,
  };
}

/** Mean arrival-rate factor over the 6 hours around the peak vs around the trough of 1 + a·cos. */
const expectedPeakToTrough = (a: number): number => {
  const k = Math.sin(Math.PI / 4) / (Math.PI / 4);
  return (1 + a * k) / (1 - a * k);
};

describe('presets match their documented parameters', () => {
  it('google-2011: host mix, service band, batch sizes, durations, tiers, diurnal arrivals', () => {
    const p = PRESETS['google-2011']!;
    const m = measure(p, 600, 1);
    // Host shapes: the 16-core / 64 GB platform is 53 % of machines (± 5 points).
    const share = m.hostRecs.filter((h) => h.cpu === 16 && h.ramMb === 65536).length / m.hostRecs.length;
    expect(share).toBeGreaterThan(0.48);
    expect(share).toBeLessThan(0.58);
    // Services at t=0 request 35 % of CPU (overshoot at most one job).
    expect(m.initialServiceCpu / m.totalCpu).toBeGreaterThanOrEqual(0.35);
    expect(m.initialServiceCpu / m.totalCpu).toBeLessThan(0.4);
    expect(m.services.every((s) => s.constraints.host === 'limit:1' && s.tier === 'preferred')).toBe(true);
    // Batch job count: Poisson around tasksPerHostPerDay × hosts / mean tasks per job (± 10 %).
    const expectedJobs = (p.batch.tasksPerHostPerDay * 600) / meanTasksPerJob(p.batch, 600);
    expect(m.batch.length / expectedJobs).toBeGreaterThan(0.9);
    expect(m.batch.length / expectedJobs).toBeLessThan(1.1);
    // 60 % single-task jobs (± 3 points); median task run time 5 min and CPU 0.5 (± 15 %).
    expect(Math.abs(m.singleShare - p.batch.singleTaskJobs)).toBeLessThan(0.03);
    expect(m.medianDuration / p.batch.durationMs.median).toBeGreaterThan(0.85);
    expect(m.medianDuration / p.batch.durationMs.median).toBeLessThan(1.15);
    expect(m.medianCpu / p.batch.cpu.median).toBeGreaterThan(0.85);
    expect(m.medianCpu / p.batch.cpu.median).toBeLessThan(1.15);
    // 5 % of tasks fail (± 1.5 points).
    expect(Math.abs(m.failedShare - p.batch.failedFraction)).toBeLessThan(0.015);
    // Tiers: 25 % of batch jobs revocable with priority 0–1 (± 3 points), the rest preemptible 2–8.
    const revocable = m.batch.filter((j) => j.tier === 'revocable');
    expect(Math.abs(revocable.length / m.batch.length - 0.25)).toBeLessThan(0.03);
    expect(revocable.every((j) => j.priority <= 1)).toBe(true);
    expect(
      m.batch.filter((j) => j.tier === 'preemptible').every((j) => j.priority >= 2 && j.priority <= 8),
    ).toBe(true);
    // Diurnal: arrivals near the peak hour vs near the trough follow 1 + 0.25·cos (± 15 %).
    expect(m.peakToTrough / expectedPeakToTrough(p.diurnal.amplitude)).toBeGreaterThan(0.85);
    expect(m.peakToTrough / expectedPeakToTrough(p.diurnal.amplitude)).toBeLessThan(1.15);
    // Host failures come in down/up pairs on distinct hosts.
    const downs = m.recs.filter((r) => r.type === 'host_down');
    expect(downs.length).toBeGreaterThan(0);
    expect(new Set(downs.map((d) => (d as { host: string }).host)).size).toBe(downs.length);
  });

  it('web-services: mostly services spread by zone, with rolling updates', () => {
    const p = PRESETS['web-services']!;
    const m = measure(p, 300, 1);
    expect(m.initialServiceCpu / m.totalCpu).toBeGreaterThanOrEqual(0.55);
    expect(m.initialServiceCpu / m.totalCpu).toBeLessThan(0.6);
    const zoned = m.services.filter((s) => s.constraints.zone).length / m.services.length;
    expect(Math.abs(zoned - p.services!.zoneConstrained)).toBeLessThan(0.08);
    const updates = m.recs.filter((r) => r.type === 'job_update').length;
    // 0.5 updates per service per day, mostly on the services present from t=0.
    expect(updates / m.services.length).toBeGreaterThan(0.25);
    expect(updates / m.services.length).toBeLessThan(0.6);
    expect(m.peakToTrough / expectedPeakToTrough(p.diurnal.amplitude)).toBeGreaterThan(0.8);
    expect(m.peakToTrough / expectedPeakToTrough(p.diurnal.amplitude)).toBeLessThan(1.2);
  });

  it('hpc-batch: whole-node power-of-two jobs, hour-long median, no services', () => {
    const p = PRESETS['hpc-batch']!;
    const m = measure(p, 512, 2);
    expect(m.services).toHaveLength(0);
    expect(m.batch.every((j) => (j.instances & (j.instances - 1)) === 0)).toBe(true);
    expect(m.batch.every((j) => j.task.cpu === 64 && j.constraints.host === 'limit:1')).toBe(true);
    expect(m.medianDuration / p.batch.durationMs.median).toBeGreaterThan(0.75);
    expect(m.medianDuration / p.batch.durationMs.median).toBeLessThan(1.25);
    expect(Math.abs(m.singleShare - p.batch.singleTaskJobs)).toBeLessThan(0.07);
  });
});

describe('load, service share and run-time cap', () => {
  const preset = PRESETS['google-2011']!;
  const base = { preset, hosts: 300, days: 0.5, seed: 5 };
  const jobsOf = (recs: TraceRecord[]) => recs.filter((r): r is JobSubmitRecord => r.type === 'job_submit');

  it('loadFactor multiplies batch and service arrivals; the services at t=0 stay as they were', () => {
    const one = jobsOf([...generateRecords(base)]);
    const three = jobsOf([...generateRecords({ ...base, loadFactor: 3 })]);
    const explicitOne = jobsOf([...generateRecords({ ...base, loadFactor: 1 })]);
    expect(explicitOne).toEqual(one);
    const batch = (js: JobSubmitRecord[]) => js.filter((j) => j.kind === 'adhoc').length;
    expect(batch(three) / batch(one)).toBeGreaterThan(2.7);
    expect(batch(three) / batch(one)).toBeLessThan(3.3);
    const atStart = (js: JobSubmitRecord[]) => js.filter((j) => j.kind === 'service' && j.t === 0);
    expect(atStart(three)).toEqual(atStart(one));
    const arriving = (js: JobSubmitRecord[]) => js.filter((j) => j.kind === 'service' && j.t > 0).length;
    expect(arriving(three)).toBeGreaterThan(arriving(one));
  });

  it('serviceShare sets the CPU the services at t=0 request', () => {
    const m = jobsOf([...generateRecords({ ...base, serviceShare: 0.7 })]);
    const hosts = [...generateRecords(base)].filter((r) => r.type === 'host_add');
    const totalCpu = hosts.reduce((a, h) => a + h.cpu, 0);
    const cpu = m
      .filter((j) => j.kind === 'service' && j.t === 0)
      .reduce((a, j) => a + j.task.cpu * j.instances, 0);
    expect(cpu / totalCpu).toBeGreaterThanOrEqual(0.7);
    expect(cpu / totalCpu).toBeLessThan(0.75);
  });

  it('maxDurationMs caps batch run times and changes nothing else', () => {
    const cap = 3_600_000;
    const free = jobsOf([...generateRecords(base)]);
    const capped = jobsOf([...generateRecords({ ...base, maxDurationMs: cap })]);
    expect(capped.map((j) => j.job)).toEqual(free.map((j) => j.job));
    let clamped = 0;
    capped.forEach((j, k) => {
      const f = free[k]!;
      expect({ ...j, durationMs: 0 }).toEqual({ ...f, durationMs: 0 });
      for (let i = 0; i < j.instances; i++) {
        const d = instanceDurationMs(j, i);
        const before = instanceDurationMs(f, i);
        if (d === undefined) continue;
        expect(d).toBe(Math.min(cap, before!));
        if (before! > cap) clamped++;
      }
    });
    expect(clamped).toBeGreaterThan(0);
  });

  it('rejects options out of range', () => {
    const run = (extra: object) => () => [...generateRecords({ ...base, ...extra })];
    expect(run({ loadFactor: 0 })).toThrow(RangeError);
    expect(run({ loadFactor: Number.NaN })).toThrow(RangeError);
    expect(run({ maxDurationMs: 0 })).toThrow(RangeError);
    expect(run({ maxDurationMs: 1.5 })).toThrow(RangeError);
    expect(run({ serviceShare: 1 })).toThrow(RangeError);
    expect(run({ serviceShare: -0.1 })).toThrow(RangeError);
  });
});
