import { UserError } from '@borealis/core';
import { isMetricName, METRIC_NAMES, METRICS, type MetricName } from '../analysis/metric-names.js';
import type { RunSummary } from '../output/summary.js';
import { type Spread, spread } from './aggregate.js';

/**
 * What `sim compare` concludes beyond its table: which policy wins the objective the user
 * stated (`--objective delay.p99`, `--objective utilization.cpu:max`), and which policies gave
 * the same result for every seed (so the seeds measured no noise at all).
 */
export interface Objective {
  readonly metric: MetricName;
  readonly better: 'min' | 'max';
}

export interface Verdict {
  readonly objective: Objective;
  /** Policies by their mean, best first. */
  readonly ranking: readonly { readonly policy: string; readonly spread: Spread }[];
  /** The best policy; undefined when the best and the runner-up overlap across seeds. */
  readonly winner?: string;
  readonly text: string;
}

interface Run {
  readonly policy: string;
  readonly summary: RunSummary;
}

/** `METRIC` or `METRIC:min|max`; utilization is better high, everything else low, unless stated. */
export function parseObjective(flag: string, text: string): Objective {
  const [name = '', dir, ...rest] = text.split(':').map((s) => s.trim());
  if (!isMetricName(name) || rest.length > 0 || (dir !== undefined && dir !== 'min' && dir !== 'max')) {
    throw new UserError(
      `${flag}: "${text}" must be METRIC or METRIC:min|max with METRIC one of ${METRIC_NAMES.join(', ')}`,
      2,
    );
  }
  const better = (dir as 'min' | 'max' | undefined) ?? (name.startsWith('utilization') ? 'max' : 'min');
  return { metric: name, better };
}

export function judge(objective: Objective, policies: readonly string[], runs: readonly Run[]): Verdict {
  const sign = objective.better === 'min' ? 1 : -1;
  const ranking = policies
    .map((policy) => ({
      policy,
      spread: spread(
        runs.filter((r) => r.policy === policy).map((r) => METRICS[objective.metric](r.summary)),
      ),
    }))
    .sort((a, b) => sign * (a.spread.mean - b.spread.mean) || (a.policy < b.policy ? -1 : 1));
  const [best, next] = ranking;
  const goal = `${objective.better === 'min' ? 'lowest' : 'highest'} ${objective.metric}`;
  if (!best) return { objective, ranking, text: `no runs to judge ${goal}` };
  if (!next) return { objective, ranking, winner: best.policy, text: `winner for ${goal}: ${best.policy}` };
  // Overlapping seed ranges: the difference is within what the seeds alone produce.
  const overlap =
    objective.better === 'min' ? best.spread.max >= next.spread.min : best.spread.min <= next.spread.max;
  if (best.spread.mean === next.spread.mean) {
    return { objective, ranking, text: `no winner for ${goal}: ${best.policy} and ${next.policy} tie` };
  }
  if (overlap) {
    return {
      objective,
      ranking,
      text:
        `no clear winner for ${goal}: ${best.policy} leads ${next.policy} on the mean, but their ` +
        'results overlap across seeds (try more seeds)',
    };
  }
  return {
    objective,
    ranking,
    winner: best.policy,
    text:
      `winner for ${goal}: ${best.policy} (every seed better than ${next.policy}, the runner-up)` +
      pendingNote(objective, best.policy, policies, runs),
  };
}

/** A winner that leaves more work unplaced than another policy should not look better than it is. */
function pendingNote(
  objective: Objective,
  winner: string,
  policies: readonly string[],
  runs: readonly Run[],
): string {
  if (objective.metric === 'pending.end') return '';
  const pending = (policy: string): number =>
    spread(runs.filter((r) => r.policy === policy).map((r) => r.summary.tasks.pendingAtEnd)).mean;
  const mine = pending(winner);
  const least = policies.reduce((a, p) => (pending(p) < pending(a) ? p : a), winner);
  if (pending(least) >= mine) return '';
  return `; but it leaves ${mine} tasks pending at the end where ${least} leaves ${pending(least)}`;
}

/** Policies run with several seeds whose runs all came out the same on every compared metric. */
export function seedInsensitive(
  policies: readonly string[],
  runs: readonly Run[],
  metrics: readonly MetricName[],
): string[] {
  return policies.filter((policy) => {
    const mine = runs.filter((r) => r.policy === policy);
    if (mine.length < 2) return false;
    const first = mine[0]!.summary;
    return mine.every((r) => metrics.every((m) => METRICS[m](r.summary) === METRICS[m](first)));
  });
}
