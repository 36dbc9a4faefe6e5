import { RESOURCE_NAMES, type Resources } from '../model/resources.js';
import type { TaskConfig } from '../model/task-config.js';
import { consumesQuota } from '../quota/quota-scope.js';

/**
 * The production resources a rolling update claims beyond what the job holds now. While an
 * instance is being replaced either its old or its new task may hold resources (never both: the
 * old one is killed before the new one is added), so each instance claims the larger of the two,
 * dimension by dimension; removed instances keep their claim until they are killed. Aurora checks
 * update quota the same way. Configs outside quota (non-production, dedicated) claim nothing.
 */
export function updateQuotaRequest(
  current: ReadonlyMap<number, TaskConfig>,
  desired: TaskConfig,
  desiredInstances: number,
): Resources {
  const extra: Record<keyof Resources, number> = { cpu: 0, ramMb: 0, diskMb: 0, gpus: 0 };
  if (!consumesQuota(desired)) return extra;
  for (let i = 0; i < desiredInstances; i++) {
    const old = current.get(i);
    const held = old && consumesQuota(old) ? old.resources : undefined;
    for (const r of RESOURCE_NAMES) {
      const before = held ? held[r] : 0;
      extra[r] += Math.max(before, desired.resources[r]) - before;
    }
  }
  return extra;
}

export function isZero(r: Resources): boolean {
  return RESOURCE_NAMES.every((n) => r[n] <= 0);
}
