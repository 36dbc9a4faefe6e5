import { describe, expect, it } from 'vitest';
import type { PreemptionRecord } from '../data/run-files.js';
import { preemptorJobs, victimBuckets, victimsByTier } from './preemption-summary.js';

const party = (job: string, tier: string) => ({ task: `${job}-t`, job, tier, priority: 0 });
const rec = (t: number, job: string, victims: string[]): PreemptionRecord => ({
  t,
  host: 'h1',
  preemptor: party(job, 'preferred'),
  victims: victims.map((tier, i) => party(`v/${i}`, tier)),
});

const records = [
  rec(0, 'a/p/x', ['preemptible', 'preemptible']),
  rec(50, 'b/p/y', ['revocable']),
  rec(99, 'a/p/x', ['revocable']),
];

describe('preemption summary', () => {
  it('counts victims by tier', () => {
    expect(victimsByTier(records)).toEqual({ preemptible: 2, revocable: 2 });
  });

  it('ranks preemptor jobs by victims', () => {
    const rows = preemptorJobs(records);
    expect(rows[0]).toEqual({
      job: 'a/p/x',
      tier: 'preferred',
      preemptions: 2,
      victims: 3,
      victimsByTier: { preemptible: 2, revocable: 1 },
    });
    expect(rows[1]!.job).toBe('b/p/y');
  });

  it('buckets victims by time and tier and conserves the total', () => {
    const b = victimBuckets(records, 0, 100, 2, ['preemptible', 'revocable']);
    expect(b.map((x) => x.counts)).toEqual([
      [2, 0],
      [0, 2],
    ]);
  });
});
