import { humanDuration } from '@borealis/core';
import { isDurationMetric } from '../analysis/metric-names.js';
import type { ObjectiveResult } from '../analysis/slo.js';

export interface PlanTrial {
  readonly results: readonly ObjectiveResult[];
  readonly pendingReasons: Readonly<Record<string, number>>;
}

/**
 * Why `sim plan` found no answer, from its largest run: which objectives failed there, by how
 * much, and what kept tasks pending. Pending reasons that name a constraint mean tasks whose
 * constraints the hosts do not satisfy, which more hosts of the same kinds cannot fix.
 */
export function explainMiss(hosts: number, trial: PlanTrial): string {
  const lines: string[] = [];
  for (const r of trial.results) {
    if (r.met) continue;
    const actual = isDurationMetric(r.objective.metric) ? humanDuration(r.actual) : String(r.actual);
    lines.push(`fails: ${r.objective.text} (${actual} at ${hosts} hosts)`);
  }
  const reasons = Object.entries(trial.pendingReasons).sort((a, b) => b[1] - a[1]);
  const constraint = reasons.filter(([r]) => r.startsWith('constraint') || r.startsWith('dedicated'));
  const tasks = (list: [string, number][]): number => list.reduce((n, [, c]) => n + c, 0);
  if (constraint.length > 0) {
    lines.push(
      `because: ${tasks(constraint)} tasks have constraints no host satisfies: ` +
        constraint.map(([r, n]) => `${r} (${n})`).join(', '),
    );
  }
  const other = reasons.filter(([r]) => !constraint.some(([c]) => c === r));
  if (other.length > 0) {
    lines.push(
      `${constraint.length > 0 ? 'and' : 'because'}: ${tasks(other)} tasks stay pending for ` +
        other.map(([r, n]) => `${r} (${n})`).join(', '),
    );
  }
  return lines.join('\n');
}
