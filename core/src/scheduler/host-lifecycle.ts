import { STOPPING_STATES } from '../model/task-state.js';
import type { HostInventory } from '../placement/inventory/host-inventory.js';
import type { PreemptionIndex } from '../preemption/preemption-index.js';
import type { TaskStore } from '../store/task-store.js';
import type { AllocationLedger } from './allocation-ledger.js';
import type { DrainKind, HostSpec, MaintenanceEvent, MaintenanceMode } from './api.js';
import type { ChangeRecorder } from './changes.js';
import { DRAIN_ALL, type DrainPolicy } from './drain.js';
import type { PreemptionDriver } from './preemption-driver.js';
import type { Reservations } from './reservations.js';
import type { SchedulerParts, Settings } from './scheduler-parts.js';
import type { StateChanges } from './state-changes.js';
import type { TimerQueue } from './timer-queue.js';

export { STOPPING_STATES } from '../model/task-state.js';

interface DrainRun {
  readonly startedAt: number;
  readonly deadline: number;
  readonly policy: DrainPolicy;
}

/**
 * Hosts as the scheduler sees them: added, removed, down and up, offered (offer mode), and in
 * maintenance. Draining stops what the drain policy allows and finishes when the host is empty.
 * Each change re-derives whether the host takes tasks and whether its capacity counts.
 */
export class HostLifecycle {
  private readonly clock: SchedulerParts['clock'];
  private readonly settings: Settings;
  private readonly store: TaskStore;
  private readonly inventory: HostInventory;
  private readonly room: PreemptionIndex;
  private readonly allocation: AllocationLedger;
  private readonly reservations: Reservations;
  private readonly timers: TimerQueue;
  private readonly chains: SchedulerParts['chains'];
  private readonly slaDelayed: Set<string>;
  private readonly recorder: ChangeRecorder;
  /** Host index → the drain in progress on it. */
  private readonly drains = new Map<number, DrainRun>();
  readonly maintenanceCounts = { hostsDrained: 0, slaDelayedKills: 0, forcedKills: 0 };
  private readonly maintenanceListeners: ((e: MaintenanceEvent) => void)[] = [];
  private readonly specs: HostSpec[] = [];
  /** Host index → its capacity counts in capacity(). */
  private counted = new Uint8Array(0);

  constructor(
    parts: SchedulerParts,
    private readonly changes: StateChanges,
    private readonly preemption: PreemptionDriver,
    /** The policy of SLA-aware drains; immediate drains stop everything (DRAIN_ALL). */
    private readonly slaDrain: DrainPolicy,
  ) {
    this.clock = parts.clock;
    this.settings = parts.settings;
    this.store = parts.store;
    this.inventory = parts.inventory;
    this.room = parts.room;
    this.allocation = parts.allocation;
    this.reservations = parts.reservations;
    this.timers = parts.timers;
    this.chains = parts.chains;
    this.slaDelayed = parts.slaDelayed;
    this.recorder = parts.recorder;
  }

  onMaintenanceEvent(listener: (event: MaintenanceEvent) => void): void {
    this.maintenanceListeners.push(listener);
  }

  addHost(spec: HostSpec): void {
    const h = this.inventory.addHost(spec);
    this.specs[h] = spec;
    if (this.counted.length <= h) {
      const grown = new Uint8Array(Math.max(16, (h + 1) * 2));
      grown.set(this.counted);
      this.counted = grown;
    }
    this.room.setHost(h, spec.resources, this.inventory.ports.free(h), false);
    // Compiled filters may hold the inventory's columns, which addHost replaces when they grow.
    this.chains.clear();
    this.refreshHost(h);
    this.saveHost(h);
  }

  removeHost(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0) return;
    this.loseTasksOn(h, 'host removed');
    this.inventory.removeHost(h);
    this.refreshHost(h);
    if (this.recorder.on) this.recorder.add({ kind: 'host-removed', host: hostId });
  }

  hostDown(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0 || this.inventory.up[h] === 0) return;
    this.inventory.setUp(h, false);
    this.loseTasksOn(h, 'host down');
    this.refreshHost(h);
    this.saveHost(h);
  }

  hostUp(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0) return;
    this.inventory.setUp(h, true);
    this.refreshHost(h);
    this.saveHost(h);
  }

  /**
   * Recovery: a host as storage recorded it. A drain in progress starts over from now (its first
   * pass runs at the next tick, as a timer), with a full drain timeout.
   */
  restoreHost(spec: HostSpec, up: boolean, mode: MaintenanceMode): void {
    this.addHost(spec);
    const h = this.hostIndex(spec.id);
    if (!up) this.inventory.setUp(h, false);
    this.inventory.setMaintenance(h, mode);
    if (mode === 'DRAINING') {
      const now = this.clock.now();
      // Storage keeps the mode, not how the drain was asked for: a restored drain waits for SLAs,
      // the cautious reading (the drain timeout still forces it).
      this.drains.set(h, {
        startedAt: now,
        deadline: now + this.settings.drainTimeoutMs,
        policy: this.slaDrain,
      });
      this.timers.set(now, 'drain', spec.id);
    }
    this.refreshHost(h);
  }

  /** The host's spec and whether it is up, as durable storage keeps it. */
  private saveHost(h: number): void {
    if (this.recorder.on)
      this.recorder.add({ kind: 'host-saved', host: this.specs[h]!, up: this.inventory.up[h] === 1 });
  }

  /** Every present host: spec, up, maintenance mode (for snapshots). */
  *presentHosts(): IterableIterator<{ spec: HostSpec; up: boolean; mode: MaintenanceMode }> {
    const inv = this.inventory;
    for (let h = 0; h < this.specs.length; h++) {
      if (!inv.isPresent(h)) continue;
      yield { spec: this.specs[h]!, up: inv.up[h] === 1, mode: inv.maintenanceOf(h) };
    }
  }

  setMaintenance(hostIds: readonly string[], mode: MaintenanceMode, drain: DrainKind = 'immediate'): void {
    for (const id of hostIds) {
      const h = this.hostIndex(id);
      if (h < 0) continue;
      const before = this.inventory.maintenanceOf(h);
      if (mode !== 'DRAINING' && mode !== 'DRAINED') {
        // Activating a draining host ends the drain; tasks already stopping still move elsewhere.
        this.drains.delete(h);
        this.inventory.setMaintenance(h, mode);
        this.refreshHost(h);
        if (before !== mode) this.emitMaintenance(id, mode);
        continue;
      }
      if (before === 'DRAINING' || before === 'DRAINED') continue;
      // DRAINED is where a drain ends; asking for it on a busy host drains it first.
      this.inventory.setMaintenance(h, 'DRAINING');
      this.refreshHost(h);
      this.emitMaintenance(id, 'DRAINING');
      for (const r of this.reservations.onHost(h)) this.preemption.dropReservation(r, true);
      const now = this.clock.now();
      this.drains.set(h, {
        startedAt: now,
        deadline: now + this.settings.drainTimeoutMs,
        policy: drain === 'sla' ? this.slaDrain : DRAIN_ALL,
      });
      this.drainPass(h);
    }
  }

  /**
   * Stops what the drain policy allows on a draining host now; what has to wait for its job's SLA
   * is looked at again after the check interval, and forced at the drain's deadline.
   */
  drainPass(h: number): void {
    const run = this.drains.get(h);
    if (!run || this.inventory.maintenanceOf(h) !== 'DRAINING') return;
    const now = this.clock.now();
    const live: string[] = [];
    for (const t of this.room.tasksOn[h]!) {
      if (t.preempting) continue;
      const task = this.store.get(t.taskId);
      if (task === undefined || STOPPING_STATES.has(task.state)) continue;
      // Partitioned while already being stopped: the stop stands (a drain that starts over after a
      // restore must not stop it a second time).
      if (task.state === 'PARTITIONED' && task.beforePartition && STOPPING_STATES.has(task.beforePartition))
        continue;
      live.push(t.taskId);
    }
    const decision = run.policy.decide(live, now, run.deadline);
    const counts = this.maintenanceCounts;
    for (const taskId of decision.delayed) {
      if (this.slaDelayed.has(taskId)) continue;
      this.slaDelayed.add(taskId);
      counts.slaDelayedKills++;
    }
    counts.forcedKills += decision.forced.length;
    const forced = new Set(decision.forced);
    for (const taskId of decision.stop) {
      const message = forced.has(taskId) ? 'host draining: SLA wait timed out' : 'host draining';
      this.changes.apply(taskId, 'DRAINING', { message }, 'drain');
    }
    if (decision.delayed.length > 0) {
      const next = Math.min(now + this.settings.slaCheckIntervalMs, run.deadline);
      this.timers.set(next, 'drain', this.inventory.hostId(h));
    }
    this.finishDrainIfEmpty(h);
  }

  private emitMaintenance(host: string, mode: MaintenanceMode): void {
    if (this.recorder.on) this.recorder.add({ kind: 'host-maintenance', host, mode });
    const event: MaintenanceEvent = { time: this.clock.now(), host, mode };
    for (const l of this.maintenanceListeners) l(event);
  }

  maintenance(hostId: string): MaintenanceMode | undefined {
    const h = this.hostIndex(hostId);
    return h < 0 ? undefined : this.inventory.maintenanceOf(h);
  }

  offer(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0) return;
    this.inventory.setOffered(h, true);
    this.refreshHost(h);
  }

  rescind(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0 || this.inventory.offered[h] === 0) return;
    this.inventory.setOffered(h, false);
    this.refreshHost(h);
  }

  private loseTasksOn(h: number, message: string): void {
    for (const r of this.reservations.onHost(h)) this.preemption.dropReservation(r, true);
    for (const t of [...this.room.tasksOn[h]!])
      this.changes.apply(t.taskId, 'LOST', { message }, 'host-removed');
  }

  finishDrainIfEmpty(h: number): void {
    if (
      this.inventory.isPresent(h) &&
      this.inventory.maintenanceOf(h) === 'DRAINING' &&
      this.room.tasksOn[h]!.length === 0
    ) {
      this.inventory.setMaintenance(h, 'DRAINED');
      this.refreshHost(h);
      this.drains.delete(h);
      this.maintenanceCounts.hostsDrained++;
      this.emitMaintenance(this.inventory.hostId(h), 'DRAINED');
    }
  }

  /** Re-derives whether host h takes tasks and whether its capacity counts. */
  private refreshHost(h: number): void {
    const inv = this.inventory;
    const present = inv.isPresent(h);
    const mode = present ? inv.maintenanceOf(h) : 'DRAINED';
    const up = present && inv.up[h] === 1;
    const usable =
      up && mode !== 'DRAINING' && mode !== 'DRAINED' && (!this.settings.offerMode || inv.offered[h] === 1);
    this.room.setUsable(h, usable);
    const count = up && mode !== 'DRAINED';
    if (count !== (this.counted[h] === 1)) {
      this.allocation.capacityChange(this.specs[h]!.resources, count ? 1 : -1);
      this.counted[h] = count ? 1 : 0;
    }
  }

  hostIndex(hostId: string): number {
    return this.inventory.indexOf(hostId);
  }
}
