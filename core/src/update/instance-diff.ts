import type { TaskConfig } from '../model/task-config.js';
import { sameTaskConfig } from './config-identity.js';
import type { PlanStep } from './update-status.js';

/**
 * Aurora's instance-by-instance diff between what runs and what is wanted: instances only wanted
 * are added, instances whose config differs are updated, instances no longer wanted are killed,
 * and identical ones are left alone. The plan visits additions first (new capacity before any is
 * taken away), then updates, then removals, each in instance order.
 *
 * `current` maps each live instance to its config; `desired` gives the config of instances
 * 0 … desiredInstances-1 (one config for all, as a job update does). `only` limits the plan to
 * the listed instances.
 */
export function diffInstances(
  current: ReadonlyMap<number, TaskConfig>,
  desired: TaskConfig,
  desiredInstances: number,
  only?: ReadonlySet<number>,
): { readonly steps: readonly PlanStep[]; readonly unchanged: readonly number[] } {
  const add: PlanStep[] = [];
  const update: PlanStep[] = [];
  const remove: PlanStep[] = [];
  const unchanged: number[] = [];
  const instances = new Set<number>(current.keys());
  for (let i = 0; i < desiredInstances; i++) instances.add(i);
  for (const instance of [...instances].sort((a, b) => a - b)) {
    if (only && !only.has(instance)) continue;
    const config = current.get(instance);
    if (instance >= desiredInstances) remove.push({ instance, op: 'remove' });
    else if (config === undefined) add.push({ instance, op: 'add' });
    else if (!sameTaskConfig(config, desired)) update.push({ instance, op: 'update' });
    else unchanged.push(instance);
  }
  return { steps: [...add, ...update, ...remove], unchanged };
}
