import type { Resources } from '../../model/resources.js';
import type { FreeSource } from '../engine/free-source.js';
import {
  leftoverFractions,
  leftoverScoreFree,
  leftoverScores,
  type PlacementPolicy,
  SCORE_MAX,
} from './policy.js';

const left = new Float64Array(4);
// Imported bindings are read through getters when modules are transpiled (tsx), which V8 does not
// always inline; hot loops use these module-local copies.
const MAX = SCORE_MAX;

/**
 * Best-fit plus a stranding penalty: 1 - mean leftover - ½ (max leftover - min leftover)(1 - min
 * leftover), rescaled to [0, 100]. The spread term is what gets stranded when one resource runs out
 * while others stay free; weighting it by (1 - min) makes it bite only as the host's scarcest
 * resource nears exhaustion, so early placements still pack. On the benchmark mix this used ~5%
 * fewer hosts than best-fit (742 vs 782 at 1,000 hosts; lower bound 702).
 */
export function hybridScore(inv: FreeSource, h: number, d: Resources): number {
  const s = hybridFit(inv, h, d);
  return d.gpus <= 0 && inv.capGpus[h]! > 0 ? offGpuHost(s) : s;
}

/**
 * A task that needs no GPU on a host that has some: a score below every score a host without
 * GPUs can get (from [0, 100] to [-100, -50], order kept), so CPU-only work lands on GPU hosts
 * only when no CPU host can take it, and their GPUs are not stranded behind its cpu and ram.
 * Still above any host about to enter maintenance (ranking lifts the others by 200).
 */
export function offGpuHost(score: number): number {
  return (score - MAX) / 2 - MAX / 2;
}

function hybridFit(inv: FreeSource, h: number, d: Resources): number {
  const n = leftoverFractions(inv, h, d, left);
  if (n === 0) return SCORE_MAX;
  let sum = 0;
  let min = left[0]!;
  let max = min;
  for (let i = 0; i < n; i++) {
    const x = left[i]!;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return hybridFinish(n, sum, min, max);
}

function hybridFinish(n: number, sum: number, min: number, max: number): number {
  if (n === 0) return MAX;
  const raw = 1 - sum / n - 0.5 * (max - min) * (1 - min);
  // clampScore, inlined.
  const s = (MAX * (raw + 0.5)) / 1.5;
  return s < 0 ? 0 : Math.min(s, MAX);
}

/**
 * Within the ranges the mean leftover is at least mean(lo) (and minSum / n), the spread max - min at least
 * max(lo) - min(hi) and 1 - min at least 1 - min(hi), so the penalty is at least their product.
 */
export function hybridScoreBound(
  lo: Float64Array,
  hi: Float64Array,
  n: number,
  minSum = Number.NEGATIVE_INFINITY,
): number {
  if (n === 0) return MAX;
  let sum = 0;
  let maxLo = lo[0]!;
  let minHi = hi[0]!;
  for (let i = 0; i < n; i++) {
    sum += lo[i]!;
    if (lo[i]! > maxLo) maxLo = lo[i]!;
    if (hi[i]! < minHi) minHi = hi[i]!;
  }
  // The sum of the leftovers is also at least minSum.
  if (minSum > sum) sum = minSum;
  const spread = maxLo - minHi > 0 ? maxLo - minHi : 0;
  const room = 1 - minHi > 0 ? 1 - minHi : 0;
  const raw = 1 - sum / n - 0.5 * spread * room;
  const s = (MAX * (raw + 0.5)) / 1.5;
  return s < 0 ? 0 : Math.min(s, MAX);
}

/** hybridScore for many hosts at once (PlacementPolicy.scoreAll). */
export function hybridScoreAll(
  inv: FreeSource,
  hosts: Int32Array,
  count: number,
  d: Resources,
  out: Float64Array,
): void {
  leftoverScores(inv, hosts, count, d, out, hybridFinish);
  if (d.gpus > 0) return;
  const capGpus = inv.capGpus;
  for (let i = 0; i < count; i++) if (capGpus[hosts[i]!]! > 0) out[i] = offGpuHost(out[i]!);
}

export const hybrid: PlacementPolicy = {
  name: 'hybrid',
  description:
    'Borg-like packing that minimizes stranded resources: best-fit (least left over) minus a ' +
    'penalty for leaving a host unbalanced, one resource nearly exhausted while others stay free ' +
    '(cpu gone, ram idle); the penalty grows as the scarcest resource runs out. Work that needs no ' +
    'GPU goes to GPU hosts only when no host without GPUs can take it, so their gpus are not ' +
    'stranded. Uses fewer hosts than best-fit on mixed ' +
    'workloads at the same cost.',
  sampleSize: 0,
  score: hybridScore,
  scoreAll: hybridScoreAll,
  scoreFree: (cap, free, at, d) => {
    const s = leftoverScoreFree(cap, free, at, d, hybridFinish);
    return d.gpus <= 0 && cap[3]! > 0 ? offGpuHost(s) : s;
  },
  scoreBound: hybridScoreBound,
};
