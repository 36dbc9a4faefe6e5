import type { JobKey } from './job-key.js';
import type { TaskConfig } from './task-config.js';
import type { JobKind } from './tier.js';

export const DEFAULT_MAX_INSTANCES = 4000;

export type UpdateStrategy =
  | { readonly kind: 'queue'; readonly groupSize: number }
  | { readonly kind: 'batch'; readonly groupSize: number; readonly autoPause: boolean }
  | { readonly kind: 'variableBatch'; readonly groupSizes: readonly number[]; readonly autoPause: boolean };

export interface UpdateSettings {
  readonly strategy: UpdateStrategy;
  readonly watchSecs: number;
  readonly maxPerInstanceFailures: number;
  readonly maxTotalFailures: number;
  readonly rollbackOnFailure: boolean;
}

export type CronCollisionPolicy = 'KILL_EXISTING' | 'CANCEL_NEW';

export interface CronSettings {
  /** 5-field crontab expression as written. */
  readonly schedule: string;
  readonly collisionPolicy: CronCollisionPolicy;
}

export interface Announce {
  readonly primaryPort: string;
  /** Extra serverset endpoint name → named port. */
  readonly portMap: Readonly<Record<string, string>>;
  readonly zkPath?: string;
}

/** SLA policy used by SLA-aware maintenance (issue 7). */
export type SlaPolicy =
  | { readonly kind: 'percentage'; readonly percentage: number; readonly durationSecs: number }
  | { readonly kind: 'count'; readonly count: number; readonly durationSecs: number };

export interface JobConfig {
  readonly key: JobKey;
  readonly kind: JobKind;
  readonly instances: number;
  readonly task: TaskConfig;
  readonly update?: UpdateSettings;
  readonly cron?: CronSettings;
  readonly announce?: Announce;
  readonly sla?: SlaPolicy;
  /** Who to tell; informational. */
  readonly contact?: string;
}
