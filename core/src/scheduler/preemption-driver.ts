import { demandOf } from '../placement/engine/placement-types.js';
import { CompiledChain, DEFAULT_FILTERS } from '../placement/filters/chain.js';
import type { HostInventory } from '../placement/inventory/host-inventory.js';
import { DIMS, demandVector, type PreemptionIndex } from '../preemption/preemption-index.js';
import type { VictimSearch } from '../preemption/victim-search.js';
import type { PendingQueue } from '../queue/pending-queue.js';
import type { TaskGroup } from '../queue/task-group.js';
import type { TaskRecord } from '../store/task-record.js';
import type { TaskStore } from '../store/task-store.js';
import type { PreemptionRecord, TaskRef } from './api.js';
import type { Reservation, Reservations } from './reservations.js';
import type { SchedulerParts } from './scheduler-parts.js';
import type { StateChanges } from './state-changes.js';

/** Filters preemption skips: room is what the victims free. */
const ROOM_FILTERS = ['resources', 'ports'] as const;
/** Filter chains compiled for preemptors, kept across rounds; a bound keeps long runs flat. */
const MAX_CACHED_CHAINS = 1024;

/**
 * Preemption as the scheduler drives it: a pending task that waited long enough finds victims
 * (VictimSearch over the PreemptionIndex), their room is reserved for it while they die (stand-in
 * slots keep placement off it), and when the last victim is gone the preemptor takes the room.
 */
export class PreemptionDriver {
  private readonly clock: SchedulerParts['clock'];
  private readonly settings: SchedulerParts['settings'];
  private readonly store: TaskStore;
  private readonly inventory: HostInventory;
  private readonly room: PreemptionIndex;
  private readonly search: VictimSearch;
  private readonly queue: PendingQueue;
  private readonly reservations: Reservations;
  private readonly timers: SchedulerParts['timers'];
  private readonly columns: SchedulerParts['columns'];
  private readonly chains: SchedulerParts['chains'];
  private readonly launchedOn: Set<number>;
  private readonly preemptionListeners: ((r: PreemptionRecord) => void)[] = [];

  constructor(
    parts: SchedulerParts,
    private readonly changes: StateChanges,
  ) {
    this.clock = parts.clock;
    this.settings = parts.settings;
    this.store = parts.store;
    this.inventory = parts.inventory;
    this.room = parts.room;
    this.search = parts.search;
    this.queue = parts.queue;
    this.reservations = parts.reservations;
    this.timers = parts.timers;
    this.columns = parts.columns;
    this.chains = parts.chains;
    this.launchedOn = parts.launchedOn;
  }

  onPreemption(listener: (record: PreemptionRecord) => void): void {
    this.preemptionListeners.push(listener);
  }

  preempt(g: TaskGroup, taskId: string, now: number): boolean {
    const c = g.config;
    const demand = demandVector(c.resources, c.ports.length);
    let chain = this.chains.get(g.key);
    if (!chain) {
      if (this.chains.size >= MAX_CACHED_CHAINS) this.chains.clear();
      chain = new CompiledChain(demandOf(g.job, c), this.inventory, DEFAULT_FILTERS);
      this.chains.set(g.key, chain);
    }
    const admits = (h: number) =>
      this.inventory.isPresent(h) && chain.evaluateSkipping(h, ROOM_FILTERS) === 0;
    const choice = this.search.find(
      { taskId, role: g.role, tier: c.tier, priority: c.priority, demand },
      admits,
    );
    if (!choice) return false;

    const h = choice.host;
    const hostId = this.inventory.hostId(h);
    const victims: TaskRef[] = [];
    for (const v of choice.victims) {
      const vt = this.store.get(v.taskId)!;
      victims.push({ task: v.taskId, job: v.job, tier: vt.config.tier, priority: vt.config.priority });
      // The victim's room is promised to the preemptor from now on, but the victim keeps holding it
      // in the inventory until it is gone: a kill takes time, and until then the room is not free.
      this.room.markPreempting(v.taskId);
    }
    this.queue.remove(taskId);
    const r = this.reservations.add(
      taskId,
      h,
      demand,
      choice.victims.map((v) => v.taskId),
      now + this.settings.reservationTtlMs,
    );
    this.room.reserve(h, demand, 1);
    this.holdStandIns(h);
    this.timers.set(r.expiresAt, 'reservation-expiry', taskId);
    for (const v of choice.victims) {
      this.changes.apply(v.taskId, 'PREEMPTING', { message: `preempted by ${taskId}` }, 'preempted', taskId);
    }
    const record: PreemptionRecord = {
      time: now,
      host: hostId,
      preemptor: { task: taskId, job: g.job, tier: c.tier, priority: c.priority },
      victims,
    };
    for (const l of this.preemptionListeners) l(record);
    return true;
  }

  /**
   * Stand-in slots keep promised room out of placement's reach. The victims on host h still hold
   * their own room in the inventory; the stand-ins hold the rest of what the host's preemptors were
   * promised — per dimension max(0, reserved − releasing), shared out in reservation order, each
   * stand-in at most its holder's demand. So placement sees the host as full up to
   * max(victims still there, promised room) on top of the tasks that stay, never less: a victim's
   * room is not handed out while it is dying, and what the preemptors were promised is not handed out
   * once it has died. Every stand-in is placed, even an empty one, so the holder's limit:N counts
   * include it.
   */
  private holdStandIns(h: number): void {
    const held = this.reservations.onHost(h);
    for (const r of held) this.releaseStandIn(r);
    if (held.length === 0 || !this.inventory.isPresent(h)) return;
    const need = this.standInRoom(h);
    const free = this.inventory.available(h);
    const room = [free.cpu, free.ramMb, free.diskMb, free.gpus, this.inventory.ports.free(h)];
    for (const r of held) {
      const holder = this.store.get(r.holder);
      if (!holder) continue;
      const share = [0, 0, 0, 0, 0];
      for (let d = 0; d < DIMS; d++) {
        // The bound by free room only guards against float drift; by construction the share fits.
        share[d] = Math.max(0, Math.min(r.demand[d]!, need[d]!, room[d]!));
        need[d] = need[d]! - share[d]!;
        room[d] = room[d]! - share[d]!;
      }
      const c = holder.config;
      r.standIn = this.inventory.allocate(h, {
        taskId: r.standInId,
        job: holder.job,
        tier: c.tier,
        priority: c.priority,
        resources: { cpu: share[0]!, ramMb: share[1]!, diskMb: share[2]!, gpus: share[3]! },
        portNames: c.ports.slice(0, share[4]!),
      });
    }
  }

  /** Promised room on host h that the victims still there do not cover: max(0, reserved − releasing). */
  private standInRoom(h: number): Float64Array {
    const { reserved, releasing } = this.room;
    const out = new Float64Array(DIMS);
    for (let d = 0; d < DIMS; d++) {
      const v = reserved[h * DIMS + d]! - releasing[h * DIMS + d]!;
      out[d] = v > 1e-9 ? v : 0;
    }
    return out;
  }

  /**
   * A victim left host h: preemptors whose victims are all gone take their room, if the host now
   * has it. It may not yet: a later preemption on the same host may have counted on room that this
   * one's victims were freeing, while its own victims still hold theirs. Such a holder waits for the
   * next victim to leave (at the latest, for its reservation to expire). The rest keep their room.
   */
  settleReservations(h: number): void {
    const assigned: { task: TaskRecord; ports: Readonly<Record<string, number>> }[] = [];
    for (const r of this.reservations.onHost(h)) {
      if (r.victims.size > 0) continue;
      const task = this.store.get(r.holder);
      if (task?.state !== 'PENDING' || this.room.usable[h] !== 1) {
        this.dropReservation(r, true);
        continue;
      }
      for (const s of this.reservations.onHost(h)) this.releaseStandIn(s);
      this.room.reserve(h, r.demand, -1);
      const rest = this.standInRoom(h);
      const c = task.config;
      const fits = this.inventory.fits(
        h,
        {
          cpu: c.resources.cpu + rest[0]!,
          ramMb: c.resources.ramMb + rest[1]!,
          diskMb: c.resources.diskMb + rest[2]!,
          gpus: c.resources.gpus + rest[3]!,
        },
        c.ports.length + rest[4]!,
      );
      if (!fits) {
        this.room.reserve(h, r.demand, 1);
        continue;
      }
      this.reservations.delete(r);
      const slot = this.inventory.allocate(h, {
        taskId: task.id,
        job: task.job,
        tier: c.tier,
        priority: c.priority,
        resources: c.resources,
        portNames: c.ports,
      });
      this.changes.onHost(task.id, h, slot);
      assigned.push({ task, ports: slot.ports });
    }
    this.holdStandIns(h);
    // Transitions last: their listeners may look at the host, which is consistent again by now.
    const hostId = this.inventory.hostId(h);
    for (const { task, ports } of assigned) {
      this.columns.setDecision(task.slot, 'preemption', hostId, 0, this.clock.now());
      this.changes.apply(task.id, 'ASSIGNED', {
        host: hostId,
        ports,
        message: `took room preempted on ${hostId}`,
      });
      this.launchedOn.add(h);
    }
  }

  /**
   * The reservation will not be used (expired, host lost or drained, holder killed). Its victims are
   * being killed anyway; they still hold their own room and give it back when they are gone.
   */
  dropReservation(r: Reservation, requeue: boolean): void {
    this.releaseReservation(r);
    this.holdStandIns(r.host);
    const holder = this.store.get(r.holder);
    if (requeue && holder?.state === 'PENDING') this.requeue(holder);
  }

  private releaseReservation(r: Reservation): void {
    // Several paths may end the same reservation (its holder killed as its last victim leaves):
    // only the first gives back its reserved room.
    if (this.reservations.ofHolder(r.holder) !== r) return;
    this.reservations.delete(r);
    this.releaseStandIn(r);
    this.room.reserve(r.host, r.demand, -1);
  }

  private releaseStandIn(r: Reservation): void {
    const slot = r.standIn;
    if (slot === undefined) return;
    r.standIn = undefined;
    this.inventory.releaseSlot(slot);
  }

  requeue(task: TaskRecord): void {
    if (this.queue.has(task.id)) return;
    this.queue.add(
      task.id,
      task.instance,
      task.job,
      task.role,
      task.config,
      this.clock.now(),
      task.stateSince,
    );
  }
}
