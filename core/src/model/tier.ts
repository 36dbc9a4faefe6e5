/**
 * Aurora's tiers. `preferred` is production and non-preemptible; `preemptible` may be preempted by
 * preferred tasks; `revocable` runs on revocable (oversubscribed) resources and is preemptible.
 */
export const TIERS = ['preferred', 'preemptible', 'revocable'] as const;
export type Tier = (typeof TIERS)[number];

export const isPreemptibleTier = (tier: Tier): boolean => tier !== 'preferred';
/** Production tasks consume quota. */
export const isProductionTier = (tier: Tier): boolean => tier === 'preferred';

export const JOB_KINDS = ['service', 'adhoc', 'cron'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
