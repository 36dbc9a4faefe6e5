import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPARE_METRICS } from '../analysis/metric-names.js';
import type { RunSummary } from '../output/summary.js';
import type { SimOptions } from '../run/sim-options.js';
import { aggregate, type PolicyAggregate } from './aggregate.js';
import { judge, type Objective, seedInsensitive, type Verdict } from './verdict.js';
import { runInWorkers } from './worker-pool.js';

export interface CompareRequest {
  /** Everything but policy, seed and out. */
  readonly base: Omit<SimOptions, 'policy' | 'seed' | 'out'>;
  readonly policies: readonly string[];
  readonly seeds: readonly number[];
  readonly out: string;
  readonly jobs?: number;
  /** The objective to name a winner for (`--objective`). */
  readonly objective?: Objective;
  readonly onRunDone?: (policy: string, seed: number, summary: RunSummary) => void;
}

export interface Comparison {
  readonly trace: string;
  readonly policies: readonly string[];
  readonly seeds: readonly number[];
  readonly runs: readonly { policy: string; seed: number; dir: string; summary: RunSummary }[];
  readonly aggregate: readonly PolicyAggregate[];
  /** Policies whose seeds all gave the same results (the seeds measured no noise). */
  readonly seedInsensitive: readonly string[];
  /** The winner of `objective`, when one was asked for. */
  readonly verdict?: Verdict;
}

/** `sim compare`: every policy × seed in its own folder DIR/<policy>-s<seed>/, then comparison.json. */
export async function compare(req: CompareRequest): Promise<Comparison> {
  mkdirSync(req.out, { recursive: true });
  const plan = req.policies.flatMap((policy) =>
    req.seeds.map((seed) => ({ policy, seed, dir: `${policy}-s${seed}` })),
  );
  const options: SimOptions[] = plan.map((p) => ({
    ...req.base,
    policy: p.policy,
    seed: p.seed,
    out: join(req.out, p.dir),
  }));
  const summaries = await runInWorkers(options, req.jobs, (i, s) =>
    req.onRunDone?.(plan[i]!.policy, plan[i]!.seed, s),
  );
  const runs = plan.map((p, i) => ({ ...p, summary: summaries[i]! }));
  const comparison: Comparison = {
    trace: req.base.trace,
    policies: req.policies,
    seeds: req.seeds,
    runs,
    aggregate: aggregate(req.policies, runs),
    seedInsensitive: seedInsensitive(req.policies, runs, COMPARE_METRICS),
    ...(req.objective ? { verdict: judge(req.objective, req.policies, runs) } : {}),
  };
  writeFileSync(join(req.out, 'comparison.json'), `${JSON.stringify(comparison, null, 2)}\n`);
  return comparison;
}
