import type { Resources } from '../../model/resources.js';
import type { Tier } from '../../model/tier.js';

/** What the inventory needs to hold a task on a host. */
export interface TaskPlacement {
  readonly taskId: string;
  /** Canonical `role/environment/name`. */
  readonly job: string;
  readonly tier: Tier;
  readonly priority: number;
  readonly resources: Resources;
  /** Named ports; each gets a distinct free port of the host. */
  readonly portNames: readonly string[];
}

/**
 * A task placed on a host: it holds resources and ports until released. Preemption reads the slots
 * of a host (tier, priority, role, resources) to pick victims; `limit:N` counts them per job.
 */
export class Slot {
  /** Position in the host's slot list (kept by the inventory for O(1) removal). */
  hostPos = -1;
  /** Position in its job ledger's slot list (kept by the ledger for O(1) removal). */
  jobPos = -1;

  constructor(
    readonly taskId: string,
    readonly job: string,
    readonly role: string,
    readonly tier: Tier,
    readonly priority: number,
    readonly resources: Resources,
    readonly ports: Readonly<Record<string, number>>,
    readonly host: number,
  ) {}
}

/** The role part of a canonical job key. */
export function roleOf(job: string): string {
  const slash = job.indexOf('/');
  return slash < 0 ? job : job.slice(0, slash);
}
