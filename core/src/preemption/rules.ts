import { isPreemptibleTier, type Tier } from '../model/tier.js';

/** The parts of a task that decide who may preempt whom. */
export interface RankedTask {
  readonly role: string;
  readonly tier: Tier;
  readonly priority: number;
}

/**
 * Aurora's preemption rules. A non-preemptible (production, `preferred`) task may preempt any
 * preemptible or revocable task, whatever its role. Within the same preemptibility a task may only
 * preempt tasks of its own role with a lower priority. A preemptible task never preempts a
 * production one.
 */
export function canPreempt(preemptor: RankedTask, victim: RankedTask): boolean {
  const preemptorPreemptible = isPreemptibleTier(preemptor.tier);
  const victimPreemptible = isPreemptibleTier(victim.tier);
  if (!preemptorPreemptible && victimPreemptible) return true;
  return (
    preemptorPreemptible === victimPreemptible &&
    preemptor.role === victim.role &&
    victim.priority < preemptor.priority
  );
}

const PRIORITY_OFFSET = 2 ** 31;
const CLASS_WEIGHT = 2 ** 33;

/**
 * A task's rank as one number, lower = preempted first: preemptibility class (preemptible and
 * revocable below production), then priority, then revocable before preemptible at equal priority
 * (revocable work runs on borrowed resources and is the cheapest to lose). Any victim canPreempt
 * allows ranks strictly below its preemptor. Integers below 2^35, exact in a double.
 */
export function victimRank(task: RankedTask): number {
  const production = isPreemptibleTier(task.tier) ? 0 : 1;
  const priority = Math.max(-PRIORITY_OFFSET, Math.min(PRIORITY_OFFSET - 1, Math.trunc(task.priority)));
  return production * CLASS_WEIGHT + (priority + PRIORITY_OFFSET) * 2 + (task.tier === 'revocable' ? 0 : 1);
}
