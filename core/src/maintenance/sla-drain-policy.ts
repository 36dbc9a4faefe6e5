import type { SlaPolicy } from '../model/job.js';
import type { DrainDecision, DrainPolicy } from '../scheduler/drain.js';
import { activeForSla, meetsSla } from './sla.js';

/** What the SLA check needs to know about tasks and jobs; the scheduler implements it. */
export interface SlaView {
  /** The task's job, its SLA (explicit or the tier default; undefined = none) and its instance count. */
  slaOf(
    taskId: string,
  ): { readonly job: string; readonly policy: SlaPolicy | undefined; readonly instances: number } | undefined;
  /** When the task became healthy, if it is RUNNING and healthy. */
  healthySince(taskId: string): number | undefined;
  /** Healthy-since times of the job's RUNNING, healthy tasks (one per live instance). */
  healthyTimes(job: string): readonly number[];
}

/**
 * Aurora's -min_required_instances_for_sla_check: jobs with fewer instances are not SLA-checked
 * (too few for a percentage to mean anything), so a drain does not wait for them.
 */
export const DEFAULT_MIN_SLA_INSTANCES = 20;

/**
 * Aurora's SLA-aware maintenance (SlaManager): a task on a draining host is stopped only if its job
 * still meets its SLA afterwards — enough instances active (healthy for the policy's duration),
 * counting the stops decided in the same pass. Tasks of jobs without an SLA (non-production) and of
 * jobs with fewer than `minInstances` instances are stopped at once. What waits is tried again on
 * the next pass; at the drain's deadline everything left is stopped (forced).
 */
export class SlaDrainPolicy implements DrainPolicy {
  constructor(
    private readonly view: SlaView,
    private readonly minInstances = DEFAULT_MIN_SLA_INSTANCES,
  ) {}

  decide(tasks: readonly string[], now: number, deadline: number): DrainDecision {
    const stop: string[] = [];
    const delayed: string[] = [];
    /** Job → instances active after the stops chosen so far. */
    const active = new Map<string, number>();
    for (const taskId of [...tasks].sort()) {
      const sla = this.view.slaOf(taskId);
      if (!sla?.policy || sla.instances < this.minInstances) {
        stop.push(taskId);
        continue;
      }
      const { job, policy, instances } = sla;
      let count = active.get(job);
      if (count === undefined) {
        count = 0;
        for (const since of this.view.healthyTimes(job)) if (activeForSla(policy, since, now)) count++;
      }
      const after = count - (activeForSla(policy, this.view.healthySince(taskId), now) ? 1 : 0);
      if (meetsSla(policy, instances, after)) {
        stop.push(taskId);
        active.set(job, after);
      } else {
        active.set(job, count);
        delayed.push(taskId);
      }
    }
    if (now >= deadline && delayed.length > 0) {
      return { stop: [...stop, ...delayed], forced: delayed, delayed: [] };
    }
    return { stop, forced: [], delayed };
  }
}
