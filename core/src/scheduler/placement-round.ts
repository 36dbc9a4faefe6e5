import type { PlacementEngine } from '../placement/engine/placement-engine.js';
import type { PlacementSuccess } from '../placement/engine/placement-types.js';
import type { PendingQueue } from '../queue/pending-queue.js';
import type { QueueOrder } from '../queue/queue-order.js';
import type { TaskGroup } from '../queue/task-group.js';
import type { AllocationLedger } from './allocation-ledger.js';
import type { PreemptionDriver } from './preemption-driver.js';
import type { SchedulerParts, Settings } from './scheduler-parts.js';
import type { StateChanges } from './state-changes.js';
import type { TaskColumns } from './task-columns.js';

/**
 * One scheduling round: the ready groups in queue order, each placed instance by instance up to
 * its turn (PlacementEngine), the placed tasks ASSIGNED; a group that left tasks pending tries
 * preemption for those that waited long enough, then backs off.
 */
export class PlacementRound {
  private readonly settings: Settings;
  private readonly engine: PlacementEngine;
  private readonly queue: PendingQueue;
  private readonly order: QueueOrder;
  private readonly allocation: AllocationLedger;
  private readonly columns: TaskColumns;
  private readonly launchedOn: Set<number>;

  constructor(
    parts: SchedulerParts,
    private readonly changes: StateChanges,
    private readonly preemption: PreemptionDriver,
  ) {
    this.settings = parts.settings;
    this.engine = parts.engine;
    this.queue = parts.queue;
    this.order = parts.order;
    this.allocation = parts.allocation;
    this.columns = parts.columns;
    this.launchedOn = parts.launchedOn;
  }

  run(now: number): void {
    const round = this.queue.startRound(this.order, {
      dominantShare: (role) => this.allocation.dominantShare(role),
    });
    for (let g = round.next(); g; g = round.next()) {
      const turn = round.turnSize;
      let placed = 0;
      let reasons: Readonly<Record<string, number>> | undefined;
      for (const pending of g.tasks.values()) {
        if (placed >= turn) break;
        const result = this.engine.place({ taskId: pending.taskId, job: g.job, config: g.config });
        if (!result.ok) {
          reasons = result.reasons;
          break;
        }
        this.assignPlaced(pending.taskId, result, now);
        placed++;
      }
      if (reasons === undefined && g.size > 0 && placed >= turn) {
        round.finish(g, true);
        continue;
      }
      if (g.size > 0) this.retryLater(g, now, placed, reasons ?? {});
      round.finish(g, false);
    }
  }

  /** A group left tasks pending: try preemption for those that waited long enough, then back off. */
  private retryLater(
    g: TaskGroup,
    now: number,
    placed: number,
    reasons: Readonly<Record<string, number>>,
  ): void {
    const { preemption, preemptionDelayMs } = this.settings;
    let wakeBy: number | undefined;
    if (preemption) {
      const due: string[] = [];
      for (const t of g.tasks.values()) {
        if (now - t.since >= preemptionDelayMs) due.push(t.taskId);
        else {
          wakeBy = t.since + preemptionDelayMs;
          break;
        }
      }
      // Identical tasks: once one finds no victims, the rest of the group will not either.
      for (const taskId of due) if (!this.preemption.preempt(g, taskId, now)) break;
    }
    this.queue.attempted(g, now, placed, reasons, wakeBy);
  }

  private assignPlaced(taskId: string, result: PlacementSuccess, now: number): void {
    const task = this.changes.onHost(taskId, result.host, result.slot!);
    this.columns.setDecision(task.slot, result.policy, result.hostId, result.score, now);
    this.changes.applyTo(task, 'ASSIGNED', {
      host: result.hostId,
      ports: result.ports,
      message: `placed on ${result.hostId} by ${result.policy}`,
    });
    // Only offer mode reads it (to use up the host's offer at the end of the tick).
    if (this.settings.offerMode) this.launchedOn.add(result.host);
  }
}
