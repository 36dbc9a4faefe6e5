import type { PortRange } from '../../model/resources.js';
import { grow } from './grow.js';

/**
 * Free ports of every host in one bitmap (bit set = port in use). Each host owns a run of 32-bit
 * words covering its port ranges in order. Ports are handed out next-fit from a per-host cursor, so
 * a port just released is the last to be handed out again (a lingering process of the old task is
 * less likely to collide), and no port is ever given to two live tasks of a host.
 */
export class PortPool {
  private bits = new Uint32Array(64);
  private wordsUsed = 0;
  private base = new Int32Array(0);
  private count = new Int32Array(0);
  private freeCount = new Int32Array(0);
  private cursor = new Int32Array(0);
  private ranges: (readonly PortRange[])[] = [];

  /** Free ports of a host. */
  free(host: number): number {
    return this.freeCount[host]!;
  }

  /** Free ports per host index (re-read after `addHost`: the column may be replaced). */
  freeColumn(): Int32Array {
    return this.freeCount;
  }

  /** Sorts and merges the ranges (overlaps would hand out one port twice) and reserves bitmap words. */
  addHost(host: number, ranges: readonly PortRange[]): void {
    const merged = mergeRanges(ranges);
    let total = 0;
    for (const [first, last] of merged) total += last - first + 1;
    this.base = grow(this.base, host + 1);
    this.count = grow(this.count, host + 1);
    this.freeCount = grow(this.freeCount, host + 1);
    this.cursor = grow(this.cursor, host + 1);
    const words = (total + 31) >>> 5;
    this.bits = grow(this.bits, this.wordsUsed + words);
    this.base[host] = this.wordsUsed;
    this.wordsUsed += words;
    this.count[host] = total;
    this.freeCount[host] = total;
    this.cursor[host] = 0;
    this.ranges[host] = merged;
  }

  /** A removed host offers no ports. */
  removeHost(host: number): void {
    this.freeCount[host] = 0;
    this.count[host] = 0;
  }

  /** Takes `n` free ports (n ≤ free(host)), next-fit from the host's cursor, into `out`. */
  take(host: number, n: number, out: number[]): void {
    const total = this.count[host]!;
    const base = this.base[host]!;
    const bits = this.bits;
    let i = this.cursor[host]!;
    let taken = 0;
    let scanned = 0;
    while (taken < n && scanned < total) {
      const word = base + (i >>> 5);
      const mask = 1 << (i & 31);
      if ((bits[word]! & mask) === 0) {
        bits[word] = bits[word]! | mask;
        out.push(this.portAt(host, i));
        taken++;
      }
      i = i + 1 === total ? 0 : i + 1;
      scanned++;
    }
    if (taken < n) throw new Error(`host ${host} has fewer than ${n} free ports`);
    this.cursor[host] = i;
    this.freeCount[host] = this.freeCount[host]! - n;
  }

  /** Marks a given port used; false if it is outside the host's ranges or already in use. */
  takeSpecific(host: number, port: number): boolean {
    const i = this.bitOf(host, port);
    if (i < 0) return false;
    const word = this.base[host]! + (i >>> 5);
    const mask = 1 << (i & 31);
    if ((this.bits[word]! & mask) !== 0) return false;
    this.bits[word] = this.bits[word]! | mask;
    this.freeCount[host] = this.freeCount[host]! - 1;
    return true;
  }

  give(host: number, port: number): void {
    const i = this.bitOf(host, port);
    if (i < 0) return;
    const word = this.base[host]! + (i >>> 5);
    const mask = 1 << (i & 31);
    if ((this.bits[word]! & mask) === 0) throw new Error(`port ${port} on host ${host} is not in use`);
    this.bits[word] = this.bits[word]! & ~mask;
    this.freeCount[host] = this.freeCount[host]! + 1;
  }

  isUsed(host: number, port: number): boolean {
    const i = this.bitOf(host, port);
    return i >= 0 && (this.bits[this.base[host]! + (i >>> 5)]! & (1 << (i & 31))) !== 0;
  }

  private portAt(host: number, i: number): number {
    let rest = i;
    for (const [first, last] of this.ranges[host]!) {
      const size = last - first + 1;
      if (rest < size) return first + rest;
      rest -= size;
    }
    throw new Error(`port bit ${i} outside host ${host}'s ranges`);
  }

  private bitOf(host: number, port: number): number {
    if (this.count[host] === 0) return -1;
    let offset = 0;
    for (const [first, last] of this.ranges[host] ?? []) {
      if (port >= first && port <= last) return offset + port - first;
      offset += last - first + 1;
    }
    return -1;
  }
}

export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [first, last] of sorted) {
    const prev = out[out.length - 1];
    if (prev && first <= prev[1] + 1) prev[1] = Math.max(prev[1], last);
    else out.push([first, last]);
  }
  return out;
}
