import type { TaskConfig } from '../../model/task-config.js';
import type { PlacementDemand } from '../filters/filter.js';
import type { HostInventory } from '../inventory/host-inventory.js';
import { roleOf, type Slot } from '../inventory/slot.js';

/** One task to place. Tasks with equal placement-relevant config share an equivalence class. */
export interface PlacementRequest {
  readonly taskId: string;
  /** Canonical `role/environment/name`. */
  readonly job: string;
  /** Resources, ports and constraints decide where it may go; tier and priority go into the slot. */
  readonly config: TaskConfig;
  /** Record a PlacementTrace (costs a scan of the feasible hosts). */
  readonly explain?: boolean;
}

/** Hosts one reason rejected, e.g. { filter: 'resources', reason: 'insufficient ramMb', hosts: 812 }. */
export interface Rejection {
  readonly filter: string;
  readonly reason: string;
  readonly hosts: number;
}

export interface Candidate {
  readonly host: string;
  readonly score: number;
  /** In SCHEDULED maintenance, hence ranked after every other host. */
  readonly scheduled: boolean;
}

/** Why a host was chosen: for explanations in the simulator output and, later, the API. */
export interface PlacementTrace {
  readonly policy: string;
  readonly taskId: string;
  readonly job: string;
  /** Feasible hosts when the decision was made. */
  readonly feasible: number;
  /** Hosts the policy scored (all feasible ones, or the sample). */
  readonly scored: number;
  readonly chosen?: Candidate;
  /** The best-ranked scored hosts, best first (at most TRACE_CANDIDATES). */
  readonly candidates: readonly Candidate[];
  readonly rejections: readonly Rejection[];
}

export const TRACE_CANDIDATES = 5;

export interface PlacementSuccess {
  readonly ok: true;
  readonly policy: string;
  readonly host: number;
  readonly hostId: string;
  /** The policy's score for the host, in [0, 100]. */
  readonly score: number;
  /** Named port → port, once allocated (empty from `find`). */
  readonly ports: Readonly<Record<string, number>>;
  /** The slot holding the task, when the engine allocated it (`place`). */
  readonly slot?: Slot;
  readonly trace?: PlacementTrace;
}

export interface PlacementFailure {
  readonly ok: false;
  readonly policy: string;
  /** Reason → hosts it rejected. */
  readonly reasons: Readonly<Record<string, number>>;
  /** The same, with filter names, most hosts first. */
  readonly rejections: readonly Rejection[];
  /** e.g. "insufficient ramMb on 812 hosts, limit:1 on host on 95 hosts". */
  readonly message: string;
  readonly trace?: PlacementTrace;
}

export type PlacementResult = PlacementSuccess | PlacementFailure;

/** Both the optimized engine and the reference scan answer to this. */
export interface Placer {
  readonly policyName: string;
  /** Chooses a host without changing the inventory. */
  find(request: PlacementRequest): PlacementResult;
  /** Chooses a host and allocates the task on it. */
  place(request: PlacementRequest): PlacementResult;
}

export function demandOf(job: string, config: TaskConfig): PlacementDemand {
  return {
    job,
    role: roleOf(job),
    resources: config.resources,
    portCount: config.ports.length,
    constraints: config.constraints,
  };
}

/** Rejections sorted by hosts (most first), then by reason, for stable output. */
export function sortRejections(rejections: Rejection[]): Rejection[] {
  return rejections.sort(
    (a, b) => b.hosts - a.hosts || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0),
  );
}

export function formatRejections(rejections: readonly Rejection[]): string {
  if (rejections.length === 0) return 'no hosts';
  return rejections.map((r) => `${r.reason} on ${r.hosts} host${r.hosts === 1 ? '' : 's'}`).join(', ');
}

export function failure(policy: string, rejections: Rejection[], trace?: PlacementTrace): PlacementFailure {
  const sorted = sortRejections(rejections);
  const reasons: Record<string, number> = {};
  for (const r of sorted) reasons[r.reason] = (reasons[r.reason] ?? 0) + r.hosts;
  return {
    ok: false,
    policy,
    reasons,
    rejections: sorted,
    message: formatRejections(sorted),
    ...(trace && { trace }),
  };
}

/** Takes the request's resources and ports on host h (what `place` does once a host is chosen). */
export function allocateFor(inventory: HostInventory, h: number, request: PlacementRequest): Slot {
  const { config } = request;
  return inventory.allocate(h, {
    taskId: request.taskId,
    job: request.job,
    tier: config.tier,
    priority: config.priority,
    resources: config.resources,
    portNames: config.ports,
  });
}
