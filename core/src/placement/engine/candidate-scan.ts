import type { Resources } from '../../model/resources.js';
import type { CompiledChain } from '../filters/chain.js';
import type { AttributeValues } from '../filters/filter.js';
import { type HostInventory, RESOURCE_EPSILON } from '../inventory/host-inventory.js';
import { MAINTENANCE_SCHEDULED } from '../inventory/maintenance.js';
import { type PlacementPolicy, SCORE_MAX } from '../policies/policy.js';

// Imported bindings are read through getters when modules are transpiled (tsx), which V8 does not
// always inline; hot loops use these module-local copies.
const SCHEDULED = MAINTENANCE_SCHEDULED;
const LIFT = 2 * SCORE_MAX;
const EPSILON = RESOURCE_EPSILON;

/**
 * The narrowest of a chain's `within` rules (fewest hosts carrying its values), or undefined when it
 * has none or even the narrowest covers more than `limit` hosts.
 */
export function narrowestWithin(
  inv: HostInventory,
  chain: CompiledChain,
  limit: number,
): AttributeValues | undefined {
  const table = inv.attributes;
  let narrowest: AttributeValues | undefined;
  let fewest = limit + 1;
  for (const rule of chain.within) {
    let hosts = 0;
    for (const v of rule.values) hosts += table.hostsWith(rule.attribute, v).length;
    if (hosts < fewest) {
      fewest = hosts;
      narrowest = rule;
    }
  }
  return narrowest;
}

/**
 * The best feasible host among the hosts carrying one of `rule`'s values (every feasible host does),
 * or -1: the full scan's answer (highest rank key, ties to the lowest index) over a short list. A
 * class pinned to a rare attribute value (google-2011: `platform=A`, 215 of 10k hosts) walked the
 * FreeIndex through every other host instead, failing the chain on each (5.6M empty hosts and 1.2M
 * others in the first 4 h at 10k hosts). The chain runs only for a host that would become the best.
 */
export function bestAmong(
  inv: HostInventory,
  chain: CompiledChain,
  policy: PlacementPolicy,
  demand: Resources,
  rule: AttributeValues,
): number {
  const table = inv.attributes;
  const removed = inv.removed;
  const maintenance = inv.maintenance;
  const freeCpu = inv.freeCpu;
  const freeRam = inv.freeRamMb;
  const freeDisk = inv.freeDiskMb;
  const freeGpus = inv.freeGpus;
  // What the resources filter asks, to the bit.
  const cpuNeed = demand.cpu - EPSILON;
  const ramNeed = demand.ramMb - EPSILON;
  const diskNeed = demand.diskMb - EPSILON;
  const gpuNeed = demand.gpus - EPSILON;
  let best = -1;
  let bestKey = Number.NEGATIVE_INFINITY;
  for (const v of rule.values) {
    const hosts = table.hostsWith(rule.attribute, v);
    for (let i = 0; i < hosts.length; i++) {
      const h = hosts[i]!;
      if (removed[h] === 1) continue;
      if (freeCpu[h]! < cpuNeed || freeRam[h]! < ramNeed || freeDisk[h]! < diskNeed || freeGpus[h]! < gpuNeed)
        continue;
      const score = policy.score(inv, h, demand);
      const key = maintenance[h] === SCHEDULED ? score : score + LIFT;
      if (!(key > bestKey || (key === bestKey && h < best))) continue;
      if (chain.evaluate(h) !== 0) continue;
      best = h;
      bestKey = key;
    }
  }
  return best;
}
