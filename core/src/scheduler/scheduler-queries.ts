import type { HealthTracker } from '../health/health-tracker.js';
import { formatJobKey, type JobKey } from '../model/job-key.js';
import type { Resources } from '../model/resources.js';
import { isTerminal, TASK_STATES, type TaskState } from '../model/task-state.js';
import type { Tier } from '../model/tier.js';
import type { PlacementEngine } from '../placement/engine/placement-engine.js';
import type { HostInventory } from '../placement/inventory/host-inventory.js';
import type { PreemptionIndex } from '../preemption/preemption-index.js';
import type { PendingQueue } from '../queue/pending-queue.js';
import type { QueueOrder } from '../queue/queue-order.js';
import { formatReasons } from '../queue/reasons.js';
import type { QuotaLedger } from '../quota/quota-ledger.js';
import type { TaskStore } from '../store/task-store.js';
import type { AllocationLedger } from './allocation-ledger.js';
import type { PendingGroupReasons, PlacementExplanation, TaskInfo } from './api.js';
import type { Reservations } from './reservations.js';
import type { SchedulerParts } from './scheduler-parts.js';
import type { TaskColumns } from './task-columns.js';

/** The scheduler's read-only views: tasks, counts, allocation, pending reasons, explanations, quota. */
export class SchedulerQueries {
  private readonly store: TaskStore;
  private readonly inventory: HostInventory;
  private readonly engine: PlacementEngine;
  private readonly room: PreemptionIndex;
  private readonly queue: PendingQueue;
  private readonly order: QueueOrder;
  private readonly quotas: QuotaLedger;
  private readonly allocation: AllocationLedger;
  private readonly reservations: Reservations;
  private readonly health: HealthTracker;
  private readonly columns: TaskColumns;
  private readonly ended: Record<TaskState, number>;

  constructor(parts: SchedulerParts) {
    this.store = parts.store;
    this.inventory = parts.inventory;
    this.engine = parts.engine;
    this.room = parts.room;
    this.queue = parts.queue;
    this.order = parts.order;
    this.quotas = parts.quotas;
    this.allocation = parts.allocation;
    this.reservations = parts.reservations;
    this.health = parts.health;
    this.columns = parts.columns;
    this.ended = parts.ended;
  }

  task(taskId: string): TaskInfo | undefined {
    const t = this.store.get(taskId);
    if (!t) return undefined;
    return {
      taskId: t.id,
      job: t.job,
      instance: t.instance,
      state: t.state,
      ...(t.host !== undefined && { host: t.host }),
      ...(t.ports !== undefined && { ports: t.ports }),
      tier: t.config.tier,
      priority: t.config.priority,
      config: t.config,
      failures: t.failureCount,
      healthy: t.state === 'RUNNING' && this.health.healthySince(t.id) !== undefined,
    };
  }

  activeTasks(key: JobKey): readonly string[] {
    return this.store
      .ofJob(formatJobKey(key))
      .filter((t) => !isTerminal(t.state))
      .sort((a, b) => a.instance - b.instance || (a.id < b.id ? -1 : 1))
      .map((t) => t.id);
  }

  taskCounts(): Readonly<Record<TaskState, number>> {
    const live = this.store.counts();
    const out = { ...live };
    for (const s of TASK_STATES) out[s] = (live[s] ?? 0) + this.ended[s];
    return out;
  }

  allocatedByTier(): Readonly<Record<Tier, Resources>> {
    return this.allocation.byTierResources();
  }

  capacity(): Resources {
    return this.allocation.capacity();
  }

  hostAllocated(hostId: string): Resources | undefined {
    const h = this.inventory.indexOf(hostId);
    if (h < 0) return undefined;
    const u = this.room.used;
    const b = h * 5;
    return { cpu: u[b]!, ramMb: u[b + 1]!, diskMb: u[b + 2]!, gpus: u[b + 3]! };
  }

  hostCounts(): { readonly total: number; readonly usable: number } {
    let usable = 0;
    for (let h = 0; h < this.room.hostCount; h++) usable += this.room.usable[h]!;
    return { total: this.inventory.hostCount, usable };
  }

  pendingReasons(key?: JobKey): readonly PendingGroupReasons[] {
    const groups = key ? [...this.queue.forJob(formatJobKey(key))] : [...this.queue.all()];
    const ctx = { dominantShare: (role: string) => this.allocation.dominantShare(role) };
    groups.sort((a, b) => this.order.compare(a, b, ctx));
    return groups.map((g) => ({
      job: g.job,
      instances: g.instances(),
      reasons: g.reasons,
      message: g.lastAttempt === undefined ? 'not yet tried' : formatReasons(g.reasons),
      since: g.since,
      ...(g.lastAttempt !== undefined && { lastAttempt: g.lastAttempt }),
      nextAttempt: g.readyAt,
    }));
  }

  pendingReasonTotals(): Readonly<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const g of this.queue.all()) {
      for (const [reason, hosts] of Object.entries(g.reasons)) {
        if (hosts > 0) totals[reason] = (totals[reason] ?? 0) + g.size;
      }
    }
    return totals;
  }

  explain(taskId: string): PlacementExplanation | undefined {
    const t = this.store.get(taskId);
    if (!t) return undefined;
    const base = { taskId, job: t.job, state: t.state, policy: this.engine.policyName };
    const decision = this.columns.decision(t.slot);
    if (decision) {
      return {
        ...base,
        host: decision.host,
        score: decision.score,
        decidedAt: decision.decidedAt,
        reasons: {},
        message: `placed on ${decision.host} by ${decision.policy} with score ${decision.score.toFixed(1)}`,
      };
    }
    const reservation = this.reservations.ofHolder(taskId);
    if (reservation) {
      const host = this.inventory.hostId(reservation.host);
      return {
        ...base,
        reasons: {},
        reservedHost: host,
        message:
          reservation.victims.size > 0
            ? `waiting for ${reservation.victims.size} preempted task(s) to leave ${host}`
            : `waiting for tasks preempted on ${host} to leave`,
      };
    }
    const group = this.queue.groupOf(taskId);
    if (group) {
      return {
        ...base,
        reasons: group.reasons,
        ...(group.lastAttempt !== undefined && { decidedAt: group.lastAttempt }),
        message: group.lastAttempt === undefined ? 'not yet tried' : formatReasons(group.reasons),
      };
    }
    return { ...base, reasons: {}, message: `task is ${t.state}` };
  }

  quota(role: string): { readonly quota?: Resources; readonly consumed: Resources } {
    return this.quotas.usage(role);
  }
}
