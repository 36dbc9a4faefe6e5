import type { SlaPolicy } from '../model/job.js';
import type { Tier } from '../model/tier.js';

/**
 * Aurora's default SLA for production (preferred tier) jobs that state none: 95 % of instances
 * active for 30 minutes. Other tiers have no SLA, even one stated: Aurora's SlaManager skips
 * preemptible and revocable tasks, so maintenance may stop them at once.
 */
export const DEFAULT_PRODUCTION_SLA: SlaPolicy = { kind: 'percentage', percentage: 95, durationSecs: 1800 };

export function effectiveSla(explicit: SlaPolicy | undefined, tier: Tier): SlaPolicy | undefined {
  return tier === 'preferred' ? (explicit ?? DEFAULT_PRODUCTION_SLA) : undefined;
}

/** Instances that must stay active for the job to meet its SLA. */
export function requiredActive(policy: SlaPolicy, totalInstances: number): number {
  if (policy.kind === 'count') return Math.min(policy.count, totalInstances);
  return Math.ceil((policy.percentage / 100) * totalInstances - 1e-9);
}

/**
 * Whether `activeAfter` instances active for the policy's duration (counted after the stops being
 * decided) still meet the SLA of a job with `totalInstances` instances.
 */
export function meetsSla(policy: SlaPolicy, totalInstances: number, activeAfter: number): boolean {
  return activeAfter >= requiredActive(policy, totalInstances);
}

/** Active for SLA purposes: healthy (RUNNING and passing checks) for at least the policy's duration. */
export function activeForSla(policy: SlaPolicy, healthySince: number | undefined, now: number): boolean {
  return healthySince !== undefined && now - healthySince >= policy.durationSecs * 1000;
}
