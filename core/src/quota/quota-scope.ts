import { DEDICATED_ATTRIBUTE } from '../model/constraint.js';
import type { TaskConfig } from '../model/task-config.js';
import { isProductionTier } from '../model/tier.js';

/**
 * Which tasks a role's quota covers, as in Aurora (QuotaManager: only "prod shared" consumption
 * counts): production (preferred tier) tasks on the shared pool. A production job with a
 * `dedicated` constraint runs on hosts set aside for it, so it is exempt: neither checked against
 * the quota nor charged to it.
 */
export function consumesQuota(task: Pick<TaskConfig, 'tier' | 'constraints'>): boolean {
  return isProductionTier(task.tier) && !task.constraints.some((c) => c.attribute === DEDICATED_ATTRIBUTE);
}
