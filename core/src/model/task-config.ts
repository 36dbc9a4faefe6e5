import type { Constraint } from './constraint.js';
import type { Resources } from './resources.js';
import type { Tier } from './tier.js';

export interface Process {
  readonly name: string;
  readonly cmdline: string;
  /** Final processes run after all others finish (cleanup). */
  readonly final: boolean;
  /** Ephemeral/daemon processes do not have to finish for the task to finish. */
  readonly daemon: boolean;
  readonly maxFailures: number;
}

export type HealthCheck =
  | (HealthCheckTiming & {
      readonly type: 'http';
      readonly port: string;
      readonly endpoint: string;
      readonly expectedResponse: string;
      readonly expectedResponseCode: number;
    })
  | (HealthCheckTiming & { readonly type: 'shell'; readonly command: string });

export interface HealthCheckTiming {
  readonly initialIntervalSecs: number;
  readonly intervalSecs: number;
  readonly timeoutSecs: number;
  readonly maxConsecutiveFailures: number;
  readonly minConsecutiveSuccesses: number;
}

export interface Container {
  readonly image: string;
}

/**
 * Simulation-only behaviours (trace format v1 task objects): every instance of this config fails
 * `failAfterMs` after RUNNING; `unhealthy` never passes its health check.
 */
export interface SimBehaviour {
  readonly failAfterMs?: number;
  readonly unhealthy?: boolean;
}

/** Everything needed to run one instance; identical configs form one scheduling group. */
export interface TaskConfig {
  readonly processes: readonly Process[];
  /** Ordering constraints between processes: each entry lists process names in the order they run. */
  readonly orderings: readonly (readonly string[])[];
  readonly resources: Resources;
  /** Named ports; each gets a free port from its host's ranges. */
  readonly ports: readonly string[];
  readonly constraints: readonly Constraint[];
  readonly tier: Tier;
  readonly priority: number;
  /** -1 = unlimited. */
  readonly maxTaskFailures: number;
  readonly healthCheck?: HealthCheck;
  readonly container?: Container;
  readonly metadata: Readonly<Record<string, string>>;
  readonly sim?: SimBehaviour;
}
