import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { instanceDurationMs } from '../format/record.js';
import { toJobConfig } from '../format/to-job-config.js';
import { readTrace, validateTrace } from '../io/reader.js';
import { computeTraceStats } from '../stats/trace-stats.js';
import { SAMPLES, SAMPLES_DIR, writeSamples } from './samples.js';

const dir = mkdtempSync(join(tmpdir(), 'borealis-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundled samples', () => {
  it('regenerate byte-identical to the committed files', async () => {
    await writeSamples(dir);
    for (const s of SAMPLES) {
      const fresh = readFileSync(join(dir, s.file));
      const committed = readFileSync(join(SAMPLES_DIR, s.file));
      expect(fresh.equals(committed), `${s.file} differs: run npm run samples -w @borealis/traces`).toBe(
        true,
      );
    }
  });

  it('are valid traces whose jobs all map onto the core model', async () => {
    for (const s of SAMPLES) {
      const report = await validateTrace(join(SAMPLES_DIR, s.file));
      expect(report.problems, s.file).toEqual([]);
      for await (const r of readTrace(join(SAMPLES_DIR, s.file))) {
        if (r.type === 'job_submit' || r.type === 'job_update') toJobConfig(r);
      }
    }
  });

  it('sample.jsonl is small, mixed, busy, has a host failure and no long tail', async () => {
    const file = join(SAMPLES_DIR, 'sample.jsonl');
    expect(statSync(file).size).toBeLessThan(1.5 * 1024 * 1024);
    const st = await computeTraceStats(file);
    expect(st.hosts.added).toBe(200);
    expect(st.tasks.total).toBeGreaterThan(10000);
    expect(st.tasks.total).toBeLessThan(30000);
    expect(st.jobs.byKind.service).toBeGreaterThan(0);
    expect(st.jobs.byKind.adhoc).toBeGreaterThan(0);
    expect(st.hosts.failures).toBeGreaterThan(0);
    expect(st.span.lastMs).toBeLessThanOrEqual(86_400_000);
    // Busy: what the trace asks for exceeds the cluster at some point (queueing is the point).
    expect(st.demand.peakRatio.cpu).toBeGreaterThan(1);
    // Capped run times: no batch task outlives the trace by more than two hours.
    let longest = 0;
    for await (const r of readTrace(file)) {
      if (r.type === 'job_submit' && r.kind === 'adhoc')
        for (let i = 0; i < r.instances; i++) longest = Math.max(longest, instanceDurationMs(r, i) ?? 0);
    }
    expect(longest).toBeLessThanOrEqual(2 * 3_600_000);
  });

  it('lifecycle.jsonl has every record type', async () => {
    const st = await computeTraceStats(join(SAMPLES_DIR, 'lifecycle.jsonl'));
    expect(Object.keys(st.recordsByType).sort()).toEqual(
      [
        'host_activate',
        'host_add',
        'host_down',
        'host_drain',
        'host_remove',
        'host_up',
        'job_kill',
        'job_submit',
        'job_update',
        'quota_set',
      ].sort(),
    );
    expect(st.jobs.byKind.cron).toBe(2);
  });
});
