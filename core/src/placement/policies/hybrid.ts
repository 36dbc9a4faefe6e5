import type { Resources } from '../../model/resources.js';
import type { HostInventory } from '../inventory/host-inventory.js';
import { clampScore, leftoverFractions, type PlacementPolicy, SCORE_MAX } from './policy.js';

const left = new Float64Array(4);

/**
 * Half best-fit, half balance: 1 - (mean leftover + (max leftover - min leftover)) / 2. The spread
 * term is the stranding penalty: a host left with one resource exhausted and another mostly free
 * cannot use the free part, so it scores worse than one left evenly.
 */
export function hybridScore(inv: HostInventory, h: number, d: Resources): number {
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
  return clampScore(SCORE_MAX * (1 - (sum / n + (max - min)) / 2));
}

export const hybrid: PlacementPolicy = {
  name: 'hybrid',
  description:
    'Borg-like packing that minimizes stranded resources: scores a host half on how tight the fit ' +
    'is (as best-fit) and half on how balanced its leftovers are, penalizing hosts that would ' +
    'end with one resource exhausted while others stay free (cpu gone, ram idle). Non-GPU work ' +
    'avoids GPU hosts because their idle gpus count as stranded. Packs nearly as tightly as ' +
    'best-fit while keeping what is left usable.',
  sampleSize: 0,
  score: hybridScore,
};
