import type { HostSpec, Resources } from '@borealis/core';
import { grown } from './grown.js';

/**
 * The simulated hosts, in the order they were added. Capacity and the resources held by tasks
 * the simulator actually launched live in typed arrays (4 resources per host) so sampling and
 * auditing thousands of hosts is a linear scan without allocation. This is the simulator's own
 * physical record; the core keeps its own books and the audit compares the two worlds.
 */
export const RES = 4;
export const CPU = 0;
export const RAM = 1;
export const DISK = 2;
export const GPU = 3;

export class HostTable {
  readonly ids: string[] = [];
  readonly specs: HostSpec[] = [];
  private readonly index = new Map<string, number>();
  /** The last id indexOf() found, and its index (ids never leave the table). */
  private lastId: string | undefined;
  private lastIndex = 0;
  capacity = new Float64Array(64 * RES);
  used = new Float64Array(64 * RES);
  /** 1 while the host is up (not down, not removed). */
  up = new Uint8Array(64);
  /** 1 once the host is removed for good. */
  removed = new Uint8Array(64);
  /** 1 once any task was launched on the host. */
  everUsed = new Uint8Array(64);
  /** Head of the host's list of live task slots (-1 = none); see TaskTable.nextOnHost. */
  firstTask = new Int32Array(64).fill(-1);
  /** Bumped whenever a host is added or goes up or down: sums over up hosts hold until it changes. */
  upVersion = 0;
  /**
   * Hosts whose usage or up state changed since the last changedHosts(), each listed once: the
   * heat map redoes only those (about a tenth of 10,000 hosts in a minute of a busy day).
   */
  private changedFlag = new Uint8Array(64);
  private changedList = new Int32Array(64);
  private changedCount = 0;

  get count(): number {
    return this.ids.length;
  }

  indexOf(id: string): number | undefined {
    // Best-fit placement puts runs of tasks on one host: the last answer is often the next one,
    // and comparing one string beats a lookup among 10,000 ids.
    if (id === this.lastId) return this.lastIndex;
    const i = this.index.get(id);
    if (i !== undefined) {
      this.lastId = id;
      this.lastIndex = i;
    }
    return i;
  }

  add(spec: HostSpec): number {
    const i = this.ids.length;
    if (i * RES >= this.capacity.length) this.grow();
    this.ids.push(spec.id);
    this.specs.push(spec);
    this.index.set(spec.id, i);
    const r = spec.resources;
    this.capacity[i * RES + CPU] = r.cpu;
    this.capacity[i * RES + RAM] = r.ramMb;
    this.capacity[i * RES + DISK] = r.diskMb;
    this.capacity[i * RES + GPU] = r.gpus;
    this.up[i] = 1;
    this.upVersion++;
    this.touch(i);
    return i;
  }

  /** Marks the host up (1) or not (0); the only way `up` changes after add(). */
  setUp(host: number, up: 0 | 1): void {
    this.up[host] = up;
    this.upVersion++;
    this.touch(host);
  }

  /** The hosts changed since the previous call (a view, valid until the next change). */
  changedHosts(): Int32Array {
    const list = this.changedList.subarray(0, this.changedCount);
    for (let i = 0; i < list.length; i++) this.changedFlag[list[i]!] = 0;
    this.changedCount = 0;
    return list;
  }

  private touch(host: number): void {
    if (this.changedFlag[host] === 1) return;
    this.changedFlag[host] = 1;
    this.changedList[this.changedCount++] = host;
  }

  hold(host: number, r: Resources, sign: 1 | -1): void {
    this.touch(host);
    const o = host * RES;
    this.used[o + CPU]! += sign * r.cpu;
    this.used[o + RAM]! += sign * r.ramMb;
    this.used[o + DISK]! += sign * r.diskMb;
    this.used[o + GPU]! += sign * r.gpus;
  }

  /** hold() for resources stored as RES numbers from `values[offset]` on. */
  holdValues(host: number, values: Float64Array, offset: number, sign: 1 | -1): void {
    this.touch(host);
    const o = host * RES;
    this.used[o + CPU]! += sign * values[offset + CPU]!;
    this.used[o + RAM]! += sign * values[offset + RAM]!;
    this.used[o + DISK]! += sign * values[offset + DISK]!;
    this.used[o + GPU]! += sign * values[offset + GPU]!;
  }

  usedCount(): number {
    let n = 0;
    for (let i = 0; i < this.ids.length; i++) n += this.everUsed[i]!;
    return n;
  }

  private grow(): void {
    const n = this.up.length * 2;
    this.capacity = grown(this.capacity, n * RES);
    this.used = grown(this.used, n * RES);
    this.up = grown(this.up, n);
    this.removed = grown(this.removed, n);
    this.everUsed = grown(this.everUsed, n);
    this.changedFlag = grown(this.changedFlag, n);
    this.changedList = grown(this.changedList, n);
    this.firstTask = grown(this.firstTask, n, -1);
  }
}
