import type { Resources } from '../../model/resources.js';
import type { RandomSource } from '../../scheduler/api.js';
import type { FreeSource } from '../engine/free-source.js';

/** Scores are normalized to [0, SCORE_MAX]; higher is better. */
export const SCORE_MAX = 100;

/**
 * A placement policy: how feasible hosts are ranked. The engine picks the feasible host with the
 * highest score (ties: lowest host index; hosts in SCHEDULED maintenance after all others). A
 * policy with `sampleSize` k > 0 scores only k feasible hosts drawn at random with `random`.
 *
 * `score` must depend only on the host's capacity and free resources and on the demand, so the
 * engine can cache it until the host changes.
 */
export interface PlacementPolicy {
  readonly name: string;
  readonly description: string;
  readonly sampleSize: number;
  readonly random?: RandomSource;
  score(inventory: FreeSource, host: number, demand: Resources): number;
  /**
   * Optional batch form of `score` for class rebuilds: out[i] = score(inventory, hosts[i], demand) for
   * i < count, bit for bit (the same arithmetic in the same order), in one loop over the columns.
   */
  scoreAll?(
    inventory: FreeSource,
    hosts: Int32Array,
    count: number,
    demand: Resources,
    out: Float64Array,
  ): void;
  /**
   * Optional form of `score` from values instead of the inventory: the score of a host with capacity
   * cap[0…3] and free free[at…at+3] (cpu, ram, disk, gpus), bit for bit what `score` gives. The
   * FreeIndex keeps its hosts' free amounts packed and their capacity per shape, so a walk reads one
   * cache line per host instead of eight scattered columns.
   */
  scoreFree?(cap: Float64Array, free: Float64Array, at: number, demand: Resources): number;
  /**
   * Optional: an upper bound on `score` for every host whose leftover fractions after placement
   * ((free - demand) / capacity, over the `n` resources the host has, in leftoverFractions order)
   * lie within [lo[i], hi[i]]. With it, the engine finds a new class's best host by visiting a
   * FreeIndex's cells of similar hosts best bound first, instead of scanning every host. `minSum`,
   * when given, is a lower bound on the sum of those fractions (often far above the sum of `lo`).
   */
  scoreBound?(lo: Float64Array, hi: Float64Array, n: number, minSum?: number): number;
}

/** Options a policy factory may use. */
export interface PolicyOptions {
  /** Required by sampling policies. */
  readonly random?: RandomSource;
  /** Sample size for sampling policies. */
  readonly sampleSize?: number;
}

/**
 * Fractions of each resource the host would have left after placing `demand`, written into `out`
 * (cpu, ram, disk, then gpus if the host has any); returns how many were written. Resources the
 * host has none of are skipped so that a GPU-less host is not judged on gpus.
 */
export function leftoverFractions(inv: FreeSource, h: number, d: Resources, out: Float64Array): number {
  let n = 0;
  const cpu = inv.capCpu[h]!;
  if (cpu > 0) out[n++] = (inv.freeCpu[h]! - d.cpu) / cpu;
  const ram = inv.capRamMb[h]!;
  if (ram > 0) out[n++] = (inv.freeRamMb[h]! - d.ramMb) / ram;
  const disk = inv.capDiskMb[h]!;
  if (disk > 0) out[n++] = (inv.freeDiskMb[h]! - d.diskMb) / disk;
  const gpus = inv.capGpus[h]!;
  if (gpus > 0) out[n++] = (inv.freeGpus[h]! - d.gpus) / gpus;
  return n;
}

export function clampScore(s: number): number {
  return s < 0 ? 0 : Math.min(s, SCORE_MAX);
}

/**
 * Per host in `hosts`, the sum, minimum and maximum of the leftover fractions `leftoverFractions`
 * would write (same order, same arithmetic), and how many there were, handed to `finish` through
 * typed columns so batch scorers stay one loop without per-host allocation. Written to `out` as
 * `finish(n, sum, min, max)` for each host.
 */
export function leftoverScores(
  inv: FreeSource,
  hosts: Int32Array,
  count: number,
  d: Resources,
  out: Float64Array,
  finish: (n: number, sum: number, min: number, max: number) => number,
): void {
  const capCpu = inv.capCpu;
  const capRamMb = inv.capRamMb;
  const capDiskMb = inv.capDiskMb;
  const capGpus = inv.capGpus;
  const freeCpu = inv.freeCpu;
  const freeRamMb = inv.freeRamMb;
  const freeDiskMb = inv.freeDiskMb;
  const freeGpus = inv.freeGpus;
  const { cpu, ramMb, diskMb, gpus } = d;
  for (let i = 0; i < count; i++) {
    const h = hosts[i]!;
    let n = 0;
    let sum = 0;
    let min = 0;
    let max = 0;
    const c0 = capCpu[h]!;
    if (c0 > 0) {
      const x = (freeCpu[h]! - cpu) / c0;
      sum += x;
      min = x;
      max = x;
      n = 1;
    }
    const c1 = capRamMb[h]!;
    if (c1 > 0) {
      const x = (freeRamMb[h]! - ramMb) / c1;
      sum += x;
      if (n === 0 || x < min) min = x;
      if (n === 0 || x > max) max = x;
      n++;
    }
    const c2 = capDiskMb[h]!;
    if (c2 > 0) {
      const x = (freeDiskMb[h]! - diskMb) / c2;
      sum += x;
      if (n === 0 || x < min) min = x;
      if (n === 0 || x > max) max = x;
      n++;
    }
    const c3 = capGpus[h]!;
    if (c3 > 0) {
      const x = (freeGpus[h]! - gpus) / c3;
      sum += x;
      if (n === 0 || x < min) min = x;
      if (n === 0 || x > max) max = x;
      n++;
    }
    out[i] = finish(n, sum, min, max);
  }
}

/**
 * One host's leftover fractions summed, with their minimum and maximum, from its capacity and free
 * amounts (same order and arithmetic as leftoverScores), handed to `finish(n, sum, min, max)`.
 */
export function leftoverScoreFree(
  cap: Float64Array,
  free: Float64Array,
  at: number,
  d: Resources,
  finish: (n: number, sum: number, min: number, max: number) => number,
): number {
  let n = 0;
  let sum = 0;
  let min = 0;
  let max = 0;
  const c0 = cap[0]!;
  if (c0 > 0) {
    const x = (free[at]! - d.cpu) / c0;
    sum += x;
    min = x;
    max = x;
    n = 1;
  }
  const c1 = cap[1]!;
  if (c1 > 0) {
    const x = (free[at + 1]! - d.ramMb) / c1;
    sum += x;
    if (n === 0 || x < min) min = x;
    if (n === 0 || x > max) max = x;
    n++;
  }
  const c2 = cap[2]!;
  if (c2 > 0) {
    const x = (free[at + 2]! - d.diskMb) / c2;
    sum += x;
    if (n === 0 || x < min) min = x;
    if (n === 0 || x > max) max = x;
    n++;
  }
  const c3 = cap[3]!;
  if (c3 > 0) {
    const x = (free[at + 3]! - d.gpus) / c3;
    sum += x;
    if (n === 0 || x < min) min = x;
    if (n === 0 || x > max) max = x;
    n++;
  }
  return finish(n, sum, min, max);
}
