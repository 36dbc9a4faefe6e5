import type { Resources } from '../model/resources.js';
import type { Tier } from '../model/tier.js';
import { isPreemptibleTier } from '../model/tier.js';
import { DIMS } from './dims.js';
import { RoleRoom } from './role-room.js';
import { victimRank } from './rules.js';

export { DIMS };

/** A task that holds room on a host, as preemption sees it. */
export interface HostedTask {
  readonly taskId: string;
  readonly job: string;
  readonly role: string;
  /** The role's id in `roleRoom`. */
  readonly roleId: number;
  readonly tier: Tier;
  readonly priority: number;
  /** cpu, ramMb, diskMb, gpus, port count. */
  readonly demand: Float64Array;
  /** victimRank(task), cached. */
  readonly rank: number;
  host: number;
  /** Position in its host's list, for O(1) removal. */
  slot: number;
  /** Already chosen as a victim: its room is on its way to the preemptor, not to be chosen again. */
  preempting: boolean;
}

/** Fills a demand vector from resources and a port count. */
export function demandVector(
  resources: Resources,
  ports: number,
  out: Float64Array = new Float64Array(DIMS),
): Float64Array {
  out[0] = resources.cpu;
  out[1] = resources.ramMb;
  out[2] = resources.diskMb;
  out[3] = resources.gpus;
  out[4] = ports;
  return out;
}

/**
 * The room on every host from preemption's point of view, kept in step by the scheduler as tasks
 * land on and leave hosts. Per host (typed arrays, stride DIMS):
 * - capacity and used (all tasks on the host, victims on their way out included);
 * - preemptible: room held by preemptible/revocable tasks not already chosen as victims — what a
 *   production task could free, so a host is a candidate only if free + preemptible covers the
 *   demand (a cheap first pass over all hosts);
 * - releasing: room held by chosen victims, which the preemptor they were chosen for will take;
 * - reserved: the demand of those preemptors.
 * free + releasing − reserved is what remains for anyone else once the pending kills complete.
 *
 * Same-role preemption (lower priority of the same role) is rarer; `roleRoom` keeps per (role, host)
 * the [production room, preemptible room] and lists each role's hosts, so its candidates are found
 * without a full scan.
 */
export class PreemptionIndex {
  capacity: Float64Array = new Float64Array(0);
  used: Float64Array = new Float64Array(0);
  preemptible: Float64Array = new Float64Array(0);
  releasing: Float64Array = new Float64Array(0);
  reserved: Float64Array = new Float64Array(0);
  /** 1 if the host may take tasks (up, not draining, offered in offer mode). */
  usable: Uint8Array = new Uint8Array(0);
  /** Tasks on each host. */
  readonly tasksOn: HostedTask[][] = [];
  /** Per (role, host): [production room ×DIMS, preemptible room ×DIMS] of tasks not preempting. */
  readonly roleRoom = new RoleRoom();
  /**
   * The distinct victimRanks of preemptible tasks that are not victims, ascending, and how many tasks
   * have each: the lowest rank on offer is the first. Plain arrays scanned linearly (a few priorities
   * per cluster) instead of a Map keyed by ranks, which are not small integers and were boxed on
   * every add and remove.
   */
  private readonly rankValues: number[] = [];
  private readonly rankCounts: number[] = [];
  private readonly byId = new Map<string, HostedTask>();
  /**
   * The entry `task` last found: the scheduler asks `task(id)` on every transition and then, when the
   * task leaves its host, `remove(id)`; this saves the second lookup in a map of every placed task.
   * Cleared when that entry is removed, so it is always an entry still in `byId` (or undefined).
   */
  private lastFound: HostedTask | undefined;
  hostCount = 0;

  /** Declares host `h` (growing the arrays), with its capacity and whether it takes tasks. */
  setHost(h: number, capacity: Resources, portCount: number, usable: boolean): void {
    if (h >= this.hostCount) this.grow(h + 1);
    demandVector(capacity, portCount, this.capacity.subarray(h * DIMS, h * DIMS + DIMS));
    this.usable[h] = usable ? 1 : 0;
  }

  setUsable(h: number, usable: boolean): void {
    this.usable[h] = usable ? 1 : 0;
  }

  task(taskId: string): HostedTask | undefined {
    const entry = this.byId.get(taskId);
    this.lastFound = entry;
    return entry;
  }

  add(task: Omit<HostedTask, 'roleId' | 'rank' | 'slot' | 'preempting'>): HostedTask {
    if (this.byId.has(task.taskId)) throw new Error(`task ${task.taskId} is already on a host`);
    const list = this.tasksOn[task.host];
    if (!list) throw new Error(`unknown host index ${task.host}`);
    // Spelled out rather than spread: one object shape for every entry, built without a generic copy.
    const entry: HostedTask = {
      taskId: task.taskId,
      job: task.job,
      role: task.role,
      roleId: this.roleRoom.roleId(task.role),
      tier: task.tier,
      priority: task.priority,
      demand: task.demand,
      rank: victimRank(task),
      host: task.host,
      slot: list.length,
      preempting: false,
    };
    list.push(entry);
    this.byId.set(entry.taskId, entry);
    addInto(this.used, entry.host, entry.demand, 1);
    this.countRoom(entry, 1);
    return entry;
  }

  remove(taskId: string): HostedTask | undefined {
    const found = this.lastFound;
    const entry = found !== undefined && found.taskId === taskId ? found : this.byId.get(taskId);
    if (!entry) return undefined;
    this.byId.delete(taskId);
    if (entry === found) this.lastFound = undefined;
    const list = this.tasksOn[entry.host]!;
    const last = list.pop()!;
    if (last !== entry) {
      list[entry.slot] = last;
      last.slot = entry.slot;
    }
    addInto(this.used, entry.host, entry.demand, -1);
    if (entry.preempting) addInto(this.releasing, entry.host, entry.demand, -1);
    else this.countRoom(entry, -1);
    return entry;
  }

  /** The task was chosen as a victim: its room now belongs to a preemptor. */
  markPreempting(taskId: string): void {
    const entry = this.byId.get(taskId);
    if (!entry || entry.preempting) return;
    this.countRoom(entry, -1);
    entry.preempting = true;
    addInto(this.releasing, entry.host, entry.demand, 1);
  }

  reserve(h: number, demand: Float64Array, sign: 1 | -1 = 1): void {
    addInto(this.reserved, h, demand, sign);
  }

  /** The lowest rank among preemptible tasks that are not yet victims, or undefined if none. */
  lowestPreemptibleRank(): number | undefined {
    return this.rankValues.length > 0 ? this.rankValues[0] : undefined;
  }

  private countRoom(entry: HostedTask, sign: 1 | -1): void {
    const preemptible = isPreemptibleTier(entry.tier);
    if (preemptible) {
      addInto(this.preemptible, entry.host, entry.demand, sign);
      this.countRank(entry.rank, sign);
    }
    this.roleRoom.change(entry.roleId, entry.host, entry.demand, preemptible, sign);
  }

  private countRank(rank: number, sign: 1 | -1): void {
    const values = this.rankValues;
    const counts = this.rankCounts;
    let i = 0;
    while (i < values.length && values[i]! < rank) i++;
    if (i < values.length && values[i] === rank) {
      const n = counts[i]! + sign;
      if (n === 0) {
        values.splice(i, 1);
        counts.splice(i, 1);
      } else counts[i] = n;
    } else if (sign > 0) {
      values.splice(i, 0, rank);
      counts.splice(i, 0, 1);
    } else throw new Error(`no preemptible task of rank ${rank} to uncount`);
  }

  private grow(count: number): void {
    // Grow geometrically from the allocated size (not the host count), so adding hosts one by one
    // reallocates O(log n) times instead of on every host.
    const allocated = this.usable.length;
    const size = count <= allocated ? allocated : Math.max(count, allocated * 2, 16);
    this.capacity = resized(this.capacity, size * DIMS);
    this.used = resized(this.used, size * DIMS);
    this.preemptible = resized(this.preemptible, size * DIMS);
    this.releasing = resized(this.releasing, size * DIMS);
    this.reserved = resized(this.reserved, size * DIMS);
    if (this.usable.length < size) {
      const usable = new Uint8Array(size);
      usable.set(this.usable);
      this.usable = usable;
    }
    while (this.tasksOn.length < count) this.tasksOn.push([]);
    this.hostCount = count;
  }
}

function resized(a: Float64Array, length: number): Float64Array {
  if (a.length >= length) return a;
  const b = new Float64Array(length);
  b.set(a);
  return b;
}

function addInto(target: Float64Array, h: number, v: Float64Array, sign: number): void {
  const base = h * DIMS;
  for (let d = 0; d < DIMS; d++) {
    const x = target[base + d]! + sign * v[d]!;
    // Sums of fractional cpu drift; snap near-zero so an empty host reads exactly empty.
    target[base + d] = Math.abs(x) < 1e-9 ? 0 : x;
  }
}
