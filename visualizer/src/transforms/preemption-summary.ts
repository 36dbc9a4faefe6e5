import type { PreemptionRecord } from '../data/run-files.js';

/**
 * Who preempted whom. The preemption view plots each preemption (time × victim count, coloured by
 * the preemptor's tier) and ranks the preemptor jobs; both come from these folds.
 */
export interface PreemptorJobRow {
  readonly job: string;
  readonly tier: string;
  readonly preemptions: number;
  readonly victims: number;
  readonly victimsByTier: Readonly<Record<string, number>>;
}

export function victimsByTier(records: readonly PreemptionRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const v of r.victims) out[v.tier] = (out[v.tier] ?? 0) + 1;
  return out;
}

/** Preemptor jobs by victims caused, most first; ties broken by job name for a stable table. */
export function preemptorJobs(records: readonly PreemptionRecord[]): PreemptorJobRow[] {
  const rows = new Map<
    string,
    { tier: string; preemptions: number; victims: number; byTier: Record<string, number> }
  >();
  for (const r of records) {
    let row = rows.get(r.preemptor.job);
    if (!row) {
      row = { tier: r.preemptor.tier, preemptions: 0, victims: 0, byTier: {} };
      rows.set(r.preemptor.job, row);
    }
    row.preemptions++;
    row.victims += r.victims.length;
    for (const v of r.victims) row.byTier[v.tier] = (row.byTier[v.tier] ?? 0) + 1;
  }
  return [...rows.entries()]
    .map(([job, r]) => ({
      job,
      tier: r.tier,
      preemptions: r.preemptions,
      victims: r.victims,
      victimsByTier: r.byTier,
    }))
    .sort((a, b) => b.victims - a.victims || (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));
}

/** Victims per time bucket and victim tier over [t0, t1), for the stacked bars under the dots. */
export function victimBuckets(
  records: readonly PreemptionRecord[],
  t0: number,
  t1: number,
  buckets: number,
  tiers: readonly string[],
): { start: number; end: number; counts: number[] }[] {
  const width = Math.max(1, (t1 - t0) / buckets);
  const out = Array.from({ length: buckets }, (_, i) => ({
    start: t0 + i * width,
    end: t0 + (i + 1) * width,
    counts: tiers.map(() => 0),
  }));
  for (const r of records) {
    if (r.t < t0 || r.t >= t1) continue;
    const b = out[Math.min(buckets - 1, Math.floor((r.t - t0) / width))]!;
    for (const v of r.victims) {
      const k = tiers.indexOf(v.tier);
      if (k >= 0) b.counts[k]!++;
    }
  }
  return out;
}
