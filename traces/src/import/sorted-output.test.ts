import { afterAll, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../format/record.js';
import { SortedOutput } from './sorted-output.js';
import { readAll, TempDir } from './test-support.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());

const kill = (t: number, n: number): TraceRecord => ({ t, type: 'job_kill', job: `a/b/j${n}` });

describe('SortedOutput', () => {
  it('writes records in time order, stable for equal times, across spilled runs', async () => {
    const times = [50, 10, 30, 10, 0, 70, 30, 20, 10, 60, 0, 40];
    for (const spillAt of [1000, 3]) {
      const path = tmp.out(`sorted-${spillAt}.jsonl`);
      const out = await SortedOutput.create(path, { name: 't', source: 'test' }, spillAt);
      const submits: TraceRecord[] = times.map((t, n) => ({
        t,
        type: 'job_submit',
        job: `a/b/j${n}`,
        kind: 'service',
        instances: 1,
        tier: 'preferred',
        priority: 0,
        task: { cpu: 1, ramMb: 1, diskMb: 1, gpus: 0, ports: [] },
        constraints: {},
        maxTaskFailures: 1,
      }));
      for (const r of submits) await out.add(r);
      await out.add(kill(80, 0));
      expect(await out.close()).toBe(times.length + 1);
      const back = await readAll(path);
      const expected = times
        .map((t, n) => ({ t, n }))
        .sort((a, b) => a.t - b.t || a.n - b.n)
        .map((x) => `a/b/j${x.n}`);
      expect(back.slice(0, -1).map((r) => (r as { job: string }).job)).toEqual(expected);
      expect(back.at(-1)).toEqual(kill(80, 0));
    }
  });
});
