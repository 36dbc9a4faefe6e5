import { fail, failMany, ok, type Problem, parseDuration, type Result } from '@borealis/core';
import type { RunSummary } from '../output/summary.js';
import { isDurationMetric, isMetricName, METRIC_NAMES, METRICS, type MetricName } from './metric-names.js';

/**
 * Service-level objectives for `sim plan`: terms like `delay.p99<=60s`, `pending.end==0`,
 * `preempted<=100`, combined with `,` or `&&` (all must hold).
 */
export type Comparison = '<=' | '<' | '>=' | '>' | '==' | '!=';

export interface Objective {
  readonly metric: MetricName;
  readonly op: Comparison;
  readonly value: number;
  /** The term as written, for messages and tables. */
  readonly text: string;
}

const TERM = /^([A-Za-z][\w.]*)\s*(<=|>=|==|!=|<|>|=)\s*(\S+)$/;

export function parseSlo(expression: string): Result<Objective[]> {
  const terms = expression.split(/,|&&/).map((t) => t.trim());
  const problems: Problem[] = [];
  const out: Objective[] = [];
  if (expression.trim() === '') return fail('--slo', 'is empty (example: "delay.p99<=60s,pending.end==0")');
  for (const term of terms) {
    if (term === '') {
      problems.push({ path: '--slo', message: `empty term in "${expression}"` });
      continue;
    }
    const m = TERM.exec(term);
    if (!m) {
      problems.push({ path: '--slo', message: `"${term}" is not metric<op>value (ops: <= < >= > == !=)` });
      continue;
    }
    const [, name, rawOp, rawValue] = m as unknown as [string, string, string, string];
    if (!isMetricName(name)) {
      problems.push({
        path: '--slo',
        message: `"${term}": unknown metric "${name}" (known: ${METRIC_NAMES.join(', ')})`,
      });
      continue;
    }
    const value = isDurationMetric(name) ? parseDuration(rawValue) : Number(rawValue);
    if (value === undefined || !Number.isFinite(value)) {
      const expected = isDurationMetric(name) ? 'a duration such as 60s or 1500' : 'a number';
      problems.push({ path: '--slo', message: `"${term}": "${rawValue}" is not ${expected}` });
      continue;
    }
    out.push({ metric: name, op: (rawOp === '=' ? '==' : rawOp) as Comparison, value, text: term });
  }
  return problems.length > 0 ? failMany(problems) : ok(out);
}

export function compare(actual: number, op: Comparison, expected: number): boolean {
  switch (op) {
    case '<=':
      return actual <= expected;
    case '<':
      return actual < expected;
    case '>=':
      return actual >= expected;
    case '>':
      return actual > expected;
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
}

export interface ObjectiveResult {
  readonly objective: Objective;
  readonly actual: number;
  readonly met: boolean;
}

export function evaluateSlo(objectives: readonly Objective[], summary: RunSummary): ObjectiveResult[] {
  return objectives.map((objective) => {
    const actual = METRICS[objective.metric](summary);
    return { objective, actual, met: compare(actual, objective.op, objective.value) };
  });
}
