import { afterAll, describe, expect, it } from 'vitest';
import { TempDir } from '../import/test-support.js';
import { computeTraceStats } from './trace-stats.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

const H = 3_600_000;
const lines = [
  '{"format":"borealis-trace","version":1,"name":"demand"}',
  '{"t":0,"type":"host_add","host":"a","cpu":10,"ramMb":1000,"diskMb":0,"gpus":2}',
  '{"t":0,"type":"host_add","host":"b","cpu":10,"ramMb":1000,"diskMb":0}',
  // 4 batch tasks of 1 cpu: two end at 1 h, two at 3 h.
  `{"t":0,"type":"job_submit","job":"r/e/batch","kind":"adhoc","instances":4,"tier":"preemptible","task":{"cpu":1,"ramMb":100,"diskMb":0},"durationMs":[${H},${H},${3 * H},${3 * H}]}`,
  // A 3-instance service of 2 cpu, 0.5 gpu from 30 min; one instance killed at 2 h, the rest at 4 h.
  `{"t":${H / 2},"type":"job_submit","job":"r/e/svc","kind":"service","instances":3,"task":{"cpu":2,"ramMb":10,"diskMb":0,"gpus":0.5}}`,
  `{"t":${1.5 * H},"type":"host_down","host":"b"}`,
  `{"t":${2 * H},"type":"job_kill","job":"r/e/svc","instances":[2]}`,
  `{"t":${2.5 * H},"type":"host_up","host":"b"}`,
  `{"t":${4 * H},"type":"job_kill","job":"r/e/svc"}`,
];

describe('computeTraceStats', () => {
  // Buckets cover [start, end): events at a bucket's first instant set its starting level.
  it('counts hosts, jobs and tasks and follows demand against capacity over time', async () => {
    const s = await computeTraceStats(tmp.file('d.jsonl', `${lines.join('\n')}\n`), H);
    expect(s.name).toBe('demand');
    expect(s.records).toBe(8);
    expect(s.span).toEqual({ firstMs: 0, lastMs: 4 * H });
    expect(s.hosts).toMatchObject({ added: 2, failures: 1, capacity: { cpu: 20, ramMb: 2000, gpus: 2 } });
    expect(s.jobs.byKind).toEqual({ service: 1, adhoc: 1, cron: 0 });
    expect(s.tasks.byTier).toEqual({ preferred: 3, preemptible: 4, revocable: 0 });
    // Peak: 4 batch + 6 service cpu = 10 at 30 min; gpus 1.5 of 2.
    expect(s.demand.peakRequested).toMatchObject({ cpu: 10, ramMb: 430, gpus: 1.5 });
    // Highest ratio while host b is down (1.5–2.5 h): 2 batch + 6 service = 8 of 10 cpu.
    expect(s.demand.peakRatio.cpu).toBeCloseTo(0.8, 10);
    expect(s.demand.series.map((b) => [b.t / H, b.capacityCpu, b.peakCpu])).toEqual([
      [0, 20, 10],
      [1, 10, 8],
      [2, 20, 6],
      [3, 20, 4],
      [4, 20, 0],
    ]);
  });
});
