import type { RandomSource } from '../../scheduler/api.js';
import type { HostInventory } from '../inventory/host-inventory.js';
import { MAINTENANCE_SCHEDULED } from '../inventory/maintenance.js';
import { SCORE_MAX } from '../policies/policy.js';

// Imported bindings are read through getters when modules are transpiled (tsx), which V8 does not
// always inline; hot loops use these module-local copies.
const SCHEDULED = MAINTENANCE_SCHEDULED;
const LIFT = 2 * SCORE_MAX;

/**
 * The key hosts are ranked by: the policy score, lifted above every SCHEDULED host's so that hosts
 * about to enter maintenance are used only when nothing else fits. Higher is better; equal keys go
 * to the lower host index.
 */
export function rankKey(inventory: HostInventory, h: number, score: number): number {
  return inventory.maintenance[h] === SCHEDULED ? score : score + LIFT;
}

/**
 * Draws min(k, m) distinct ranks out of 0 … m-1 into `out` by a partial Fisher–Yates shuffle of the
 * virtual array [0, m), using one random number per draw. With m ≤ k it takes all ranks in order
 * and draws nothing. Both the engine and the reference placer sample through this, so the same
 * seed gives the same sample. Returns the number of ranks written.
 */
export function sampleRanks(
  m: number,
  k: number,
  random: RandomSource,
  out: Int32Array,
  scratch: Int32Array,
): number {
  if (m <= k) {
    for (let i = 0; i < m; i++) out[i] = i;
    return m;
  }
  // scratch holds displaced positions as (position, value) pairs: at most k of them.
  let moved = 0;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (m - i));
    let vi = i;
    let vj = j;
    let sj = moved;
    for (let s = 0; s < moved; s++) {
      const p = scratch[2 * s]!;
      if (p === i) vi = scratch[2 * s + 1]!;
      if (p === j) {
        vj = scratch[2 * s + 1]!;
        sj = s;
      }
    }
    out[i] = vj;
    if (sj === moved) moved++;
    scratch[2 * sj] = j;
    scratch[2 * sj + 1] = vi;
  }
  return k;
}
