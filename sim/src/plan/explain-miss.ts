import { humanDuration } from '@borealis/core';
import { isDurationMetric } from '../analysis/metric-names.js';
import type { ObjectiveResult } from '../analysis/slo.js';

export interface PlanTrial {
  readonly results: readonly ObjectiveResult[];
  readonly pendingAtEnd: number;
  /** Tasks pending at the end per reason a host turned them away (a task may count under several). */
  readonly pendingReasons: Readonly<Record<string, number>>;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Why `sim plan` found no answer, from its largest run: which objectives failed there and by how
 * much, what kept tasks pending, and, when growing stopped helping (`stalled`), that reasons naming
 * a constraint mean no host both satisfies it and has room, which more hosts of the same kinds
 * cannot change.
 */
export function explainMiss(hosts: number, trial: PlanTrial, stalled: boolean): string {
  const lines: string[] = [];
  for (const r of trial.results) {
    if (r.met) continue;
    const actual = isDurationMetric(r.objective.metric) ? humanDuration(r.actual) : String(r.actual);
    lines.push(`fails: ${r.objective.text} (${actual} at ${hosts} hosts)`);
  }
  const reasons = Object.entries(trial.pendingReasons).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (trial.pendingAtEnd > 0) {
    const why =
      reasons.length > 0 ? `, turned away for: ${reasons.map(([r, n]) => `${r} (${n})`).join(', ')}` : '';
    lines.push(`why: ${plural(trial.pendingAtEnd, 'task')} still pending at ${hosts} hosts${why}`);
  }
  const constraints = reasons.filter(([r]) => r.startsWith('constraint') || r.includes('dedicated'));
  if (stalled && constraints.length > 0) {
    lines.push(
      `no host both satisfies ${constraints.map(([r]) => r.replace(/^constraint /, '')).join(', ')} ` +
        "and has room for those tasks, however many hosts of the trace's kinds are added",
    );
  }
  return lines.join('\n');
}
