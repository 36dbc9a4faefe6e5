import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../output/summary.js';
import type { SimOptions } from '../run/sim-options.js';
import { aggregate, type PolicyAggregate } from './aggregate.js';
import { runInWorkers } from './worker-pool.js';

export interface CompareRequest {
  /** Everything but policy, seed and out. */
  readonly base: Omit<SimOptions, 'policy' | 'seed' | 'out'>;
  readonly policies: readonly string[];
  readonly seeds: readonly number[];
  readonly out: string;
  readonly jobs?: number;
  readonly onRunDone?: (policy: string, seed: number, summary: RunSummary) => void;
}

export interface Comparison {
  readonly trace: string;
  readonly policies: readonly string[];
  readonly seeds: readonly number[];
  readonly runs: readonly { policy: string; seed: number; dir: string; summary: RunSummary }[];
  readonly aggregate: readonly PolicyAggregate[];
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
  };
  writeFileSync(join(req.out, 'comparison.json'), `${JSON.stringify(comparison, null, 2)}\n`);
  return comparison;
}
