import type { Resources } from '../../model/resources.js';
import type { RandomSource } from '../../scheduler/api.js';
import type { HostInventory } from '../inventory/host-inventory.js';

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
  score(inventory: HostInventory, host: number, demand: Resources): number;
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
export function leftoverFractions(inv: HostInventory, h: number, d: Resources, out: Float64Array): number {
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
