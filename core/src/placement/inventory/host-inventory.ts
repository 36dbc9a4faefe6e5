import type { Resources } from '../../model/resources.js';
import type { HostSpec, MaintenanceMode } from '../../scheduler/api.js';
import { AttributeTable } from './attribute-table.js';
import { ChangeLog } from './change-log.js';
import { grow } from './grow.js';
import { Int32Pool } from './int32-pool.js';
import { JobLedger } from './job-ledger.js';
import { MAINTENANCE_MODES, MAINTENANCE_NONE, maintenanceCode } from './maintenance.js';
import { PortPool } from './port-pool.js';
import { Slot, type TaskPlacement } from './slot.js';

/** Slack for float comparisons: fractional cpu and gpus added and subtracted may drift by ulps. */
export const RESOURCE_EPSILON = 1e-9;

/**
 * The cluster as placement sees it. Every host has a stable index (never reused, even after the host
 * is removed); per-host state lives in typed-array columns indexed by it. The columns are public for
 * the placement scan and are replaced when they grow, so re-read them after `addHost` instead of
 * holding on to them.
 *
 * Every change to a host's placement-relevant state bumps `version[h]` and appends `h` to
 * `changes`, which placement classes replay to keep their cached feasibility and scores current.
 */
export class HostInventory {
  capCpu = new Float64Array(0);
  capRamMb = new Float64Array(0);
  capDiskMb = new Float64Array(0);
  capGpus = new Float64Array(0);
  freeCpu = new Float64Array(0);
  freeRamMb = new Float64Array(0);
  freeDiskMb = new Float64Array(0);
  freeGpus = new Float64Array(0);
  /** 1 while the host is reachable. */
  up = new Uint8Array(0);
  /** 1 once the host was removed (its index stays dead). */
  removed = new Uint8Array(0);
  /** MAINTENANCE_* code. */
  maintenance = new Uint8Array(0);
  /** Offer mode only: 1 while the host's resources are offered. */
  offered = new Uint8Array(0);
  /** Bumped on every placement-relevant change of a host. */
  version = new Uint32Array(0);

  readonly attributes = new AttributeTable();
  readonly ports = new PortPool();
  /** Host indices in change order (stride 1). */
  readonly changes = new ChangeLog(1);
  /** When true, only offered hosts take tasks (Mesos offers); otherwise every host is usable. */
  offerMode = false;

  private readonly ids: string[] = [];
  private readonly byId = new Map<string, number>();
  private readonly hostSlots: Slot[][] = [];
  /**
   * Task id → slot, built on the first lookup by id (`slot`, `release`) and kept from then on. The
   * scheduler never asks by id: it keeps the Slot that `allocate` returned and hands it to
   * `releaseSlot`, so a run places a million tasks without a hash insert, probe and delete each
   * (the Map was ~0.3 s per 4 h of a 10k-host google-2011 replay, and an old-space entry per task).
   */
  private slotsByTask: Map<string, Slot> | undefined;
  private readonly jobs = new Map<string, JobLedger>();
  /** Storage of job ledgers (count arrays, logs), reused when a ledger is dropped. */
  private readonly ledgerPools = { counts: new Int32Pool(), logs: new Int32Pool() };
  /** Port numbers taken for one allocation (reused: allocate is called for every placed task). */
  private readonly portScratch: number[] = [];
  private live = 0;

  /** Number of host indices handed out, removed hosts included. */
  get size(): number {
    return this.ids.length;
  }

  /** Hosts present (not removed). */
  get hostCount(): number {
    return this.live;
  }

  /** Adds a host, up and in maintenance NONE; returns its index. A known id that is present is an error. */
  addHost(spec: HostSpec): number {
    const known = this.byId.get(spec.id);
    if (known !== undefined && this.removed[known] === 0) throw new Error(`host ${spec.id} already exists`);
    const h = this.ids.length;
    const n = h + 1;
    this.capCpu = grow(this.capCpu, n);
    this.capRamMb = grow(this.capRamMb, n);
    this.capDiskMb = grow(this.capDiskMb, n);
    this.capGpus = grow(this.capGpus, n);
    this.freeCpu = grow(this.freeCpu, n);
    this.freeRamMb = grow(this.freeRamMb, n);
    this.freeDiskMb = grow(this.freeDiskMb, n);
    this.freeGpus = grow(this.freeGpus, n);
    this.up = grow(this.up, n);
    this.removed = grow(this.removed, n);
    this.maintenance = grow(this.maintenance, n);
    this.offered = grow(this.offered, n);
    this.version = grow(this.version, n);
    const r = spec.resources;
    this.capCpu[h] = this.freeCpu[h] = r.cpu;
    this.capRamMb[h] = this.freeRamMb[h] = r.ramMb;
    this.capDiskMb[h] = this.freeDiskMb[h] = r.diskMb;
    this.capGpus[h] = this.freeGpus[h] = r.gpus;
    this.up[h] = 1;
    this.maintenance[h] = MAINTENANCE_NONE;
    this.ids.push(spec.id);
    this.byId.set(spec.id, h);
    this.hostSlots.push([]);
    this.attributes.setHost(h, spec.id, spec.attributes);
    this.ports.addHost(h, spec.ports);
    this.live++;
    this.touch(h);
    return h;
  }

  /** Removes a host for good; its slots are released and returned (their tasks are lost). */
  removeHost(h: number): Slot[] {
    if (this.removed[h] === 1) return [];
    const slots = [...this.hostSlots[h]!];
    for (const slot of slots) this.releaseSlot(slot);
    this.removed[h] = 1;
    this.up[h] = 0;
    this.ports.removeHost(h);
    this.attributes.removeHost(h);
    this.live--;
    this.touch(h);
    return slots;
  }

  /** The index of a present host, or -1. */
  indexOf(id: string): number {
    const h = this.byId.get(id);
    return h === undefined || this.removed[h] === 1 ? -1 : h;
  }

  hostId(h: number): string {
    return this.ids[h]!;
  }

  isPresent(h: number): boolean {
    return h >= 0 && h < this.ids.length && this.removed[h] === 0;
  }

  setUp(h: number, up: boolean): void {
    this.up[h] = up ? 1 : 0;
    this.touch(h);
  }

  setMaintenance(h: number, mode: MaintenanceMode): void {
    this.maintenance[h] = maintenanceCode(mode);
    this.touch(h);
  }

  maintenanceOf(h: number): MaintenanceMode {
    return MAINTENANCE_MODES[this.maintenance[h]!]!;
  }

  /** Offer mode: the host's resources are offered (true) or the offer was rescinded/used (false). */
  setOffered(h: number, offered: boolean): void {
    this.offered[h] = offered ? 1 : 0;
    this.touch(h);
  }

  capacity(h: number): Resources {
    return {
      cpu: this.capCpu[h]!,
      ramMb: this.capRamMb[h]!,
      diskMb: this.capDiskMb[h]!,
      gpus: this.capGpus[h]!,
    };
  }

  available(h: number): Resources {
    return {
      cpu: this.freeCpu[h]!,
      ramMb: this.freeRamMb[h]!,
      diskMb: this.freeDiskMb[h]!,
      gpus: this.freeGpus[h]!,
    };
  }

  /** True if the host has room for `r` and `ports` more ports (ignores up/maintenance/constraints). */
  fits(h: number, r: Resources, ports: number): boolean {
    return (
      r.cpu <= this.freeCpu[h]! + RESOURCE_EPSILON &&
      r.ramMb <= this.freeRamMb[h]! + RESOURCE_EPSILON &&
      r.diskMb <= this.freeDiskMb[h]! + RESOURCE_EPSILON &&
      r.gpus <= this.freeGpus[h]! + RESOURCE_EPSILON &&
      ports <= this.ports.free(h)
    );
  }

  /**
   * Holds a task on a host: subtracts its resources, assigns its named ports (next-fit, or the given
   * `ports` when recovering a task that already runs) and records the slot. Placing a task that does
   * not fit is a programmer error (callers place via the engine or check `fits`).
   */
  allocate(h: number, task: TaskPlacement, ports?: Readonly<Record<string, number>>): Slot {
    if (!this.isPresent(h)) throw new Error(`allocate on unknown host ${h}`);
    // Placing a task twice is caught only once someone has looked slots up by id (tests, tools);
    // the scheduler places only PENDING tasks, which hold no slot.
    if (this.slotsByTask?.has(task.taskId)) throw new Error(`task ${task.taskId} is already placed`);
    const r = task.resources;
    if (!this.fits(h, r, ports ? 0 : task.portNames.length)) {
      throw new Error(`task ${task.taskId} does not fit on host ${this.ids[h]}`);
    }
    let assigned: Readonly<Record<string, number>> = NO_PORTS;
    const names = task.portNames;
    if (ports) {
      const given: Record<string, number> = {};
      for (const name of names) {
        const port = ports[name];
        if (port === undefined || !this.ports.takeSpecific(h, port)) {
          for (const taken of Object.values(given)) this.ports.give(h, taken);
          throw new Error(`port ${name}=${port} of task ${task.taskId} is not free on host ${this.ids[h]}`);
        }
        given[name] = port;
      }
      assigned = given;
    } else if (names.length > 0) {
      const numbers = this.portScratch;
      numbers.length = 0;
      this.ports.take(h, names.length, numbers);
      const taken: Record<string, number> = {};
      for (let i = 0; i < names.length; i++) taken[names[i]!] = numbers[i]!;
      assigned = taken;
    }
    this.freeCpu[h] = this.freeCpu[h]! - r.cpu;
    this.freeRamMb[h] = this.freeRamMb[h]! - r.ramMb;
    this.freeDiskMb[h] = this.freeDiskMb[h]! - r.diskMb;
    this.freeGpus[h] = this.freeGpus[h]! - r.gpus;
    const ledger = this.ledger(task.job);
    const slot = new Slot(task.taskId, task.job, ledger.role, task.tier, task.priority, r, assigned, h);
    const onHost = this.hostSlots[h]!;
    slot.hostPos = onHost.length;
    onHost.push(slot);
    this.slotsByTask?.set(task.taskId, slot);
    ledger.added(slot);
    this.touch(h);
    return slot;
  }

  /** Frees a task's resources and ports; returns its slot, or undefined if it held none. */
  release(taskId: string): Slot | undefined {
    const slot = this.byTask().get(taskId);
    if (!slot) return undefined;
    this.releaseSlot(slot);
    return slot;
  }

  /**
   * Frees the resources and ports a slot holds (what `release` does, without looking the task up
   * by id); a slot already released is left alone. Returns whether it was held.
   */
  releaseSlot(slot: Slot): boolean {
    if (slot.hostPos < 0) return false;
    const h = slot.host;
    const onHost = this.hostSlots[h]!;
    const last = onHost.pop()!;
    if (last !== slot) {
      onHost[slot.hostPos] = last;
      last.hostPos = slot.hostPos;
    }
    slot.hostPos = -1;
    this.slotsByTask?.delete(slot.taskId);
    const ports = slot.ports;
    if (ports !== NO_PORTS) for (const name in ports) this.ports.give(h, ports[name]!);
    if (onHost.length === 0) {
      // An empty host gets its exact capacity back, so float drift never accumulates.
      this.freeCpu[h] = this.capCpu[h]!;
      this.freeRamMb[h] = this.capRamMb[h]!;
      this.freeDiskMb[h] = this.capDiskMb[h]!;
      this.freeGpus[h] = this.capGpus[h]!;
    } else {
      const r = slot.resources;
      this.freeCpu[h] = this.freeCpu[h]! + r.cpu;
      this.freeRamMb[h] = this.freeRamMb[h]! + r.ramMb;
      this.freeDiskMb[h] = this.freeDiskMb[h]! + r.diskMb;
      this.freeGpus[h] = this.freeGpus[h]! + r.gpus;
    }
    const ledger = this.jobs.get(slot.job)!;
    ledger.removed(slot);
    if (ledger.slots.length === 0) {
      this.jobs.delete(slot.job);
      ledger.retire();
    }
    this.touch(h);
    return true;
  }

  slot(taskId: string): Slot | undefined {
    return this.byTask().get(taskId);
  }

  /** The id index, built from the live slots the first time it is needed. */
  private byTask(): Map<string, Slot> {
    let index = this.slotsByTask;
    if (index === undefined) {
      index = new Map();
      for (const onHost of this.hostSlots) for (const slot of onHost) index.set(slot.taskId, slot);
      this.slotsByTask = index;
    }
    return index;
  }

  /** Live slots on a host (do not mutate; order changes as tasks come and go). */
  slotsOn(h: number): readonly Slot[] {
    return this.hostSlots[h] ?? [];
  }

  /** Live slots of a job (a snapshot, built per call: nothing hot asks for it). */
  slotsOf(job: string): ReadonlySet<Slot> {
    const slots = this.jobs.get(job)?.slots;
    return slots ? new Set(slots) : EMPTY;
  }

  /** The job's ledger if it has live tasks; a ledger is dropped when its last task is released. */
  jobLedger(job: string): JobLedger | undefined {
    return this.jobs.get(job);
  }

  /** Live tasks of `job` on hosts sharing `value` of `attribute` (ids from `attributes`). */
  liveCount(job: string, attribute: number, value: number): number {
    return this.jobs.get(job)?.count(attribute, value) ?? 0;
  }

  private ledger(job: string): JobLedger {
    let ledger = this.jobs.get(job);
    if (!ledger) {
      ledger = new JobLedger(job, this.attributes, this.ledgerPools);
      this.jobs.set(job, ledger);
    }
    return ledger;
  }

  private touch(h: number): void {
    this.version[h] = this.version[h]! + 1;
    this.changes.push1(h);
    this.changes.trim(Math.max(1024, this.live));
  }
}

const EMPTY: ReadonlySet<Slot> = new Set();
/** The ports of every task that asks for none: one shared frozen object instead of one per slot. */
const NO_PORTS: Readonly<Record<string, number>> = Object.freeze({});
