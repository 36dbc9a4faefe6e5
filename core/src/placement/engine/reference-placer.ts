import { CompiledChain, DEFAULT_FILTERS } from '../filters/chain.js';
import type { PlacementFilter } from '../filters/filter.js';
import type { HostInventory } from '../inventory/host-inventory.js';
import type { PlacementPolicy } from '../policies/policy.js';
import {
  allocateFor,
  demandOf,
  failure,
  type PlacementRequest,
  type PlacementResult,
  type Placer,
  type Rejection,
} from './placement-types.js';
import { rankKey, sampleRanks } from './ranking.js';

/**
 * The naive placer: compiles the filters and scans every host for every task. It defines what the
 * engine must choose (tests compare them on random clusters) and is the baseline in the benchmark.
 */
export class ReferencePlacer implements Placer {
  readonly policyName: string;

  constructor(
    readonly inventory: HostInventory,
    private readonly policy: PlacementPolicy,
    private readonly filters: readonly PlacementFilter[] = DEFAULT_FILTERS,
  ) {
    this.policyName = policy.name;
  }

  find(request: PlacementRequest): PlacementResult {
    const inv = this.inventory;
    const demand = demandOf(request.job, request.config);
    const chain = new CompiledChain(demand, inv, this.filters);
    const counts = new Int32Array(chain.reasons.length);
    const feasible: number[] = [];
    for (let h = 0; h < inv.size; h++) {
      if (inv.removed[h] === 1) continue;
      const r = chain.evaluate(h);
      if (r === 0) feasible.push(h);
      else counts[r]!++;
    }
    let hosts = feasible;
    const k = this.policy.sampleSize;
    if (k > 0) {
      const ranks = new Int32Array(k);
      const n = sampleRanks(feasible.length, k, this.policy.random!, ranks, new Int32Array(2 * k));
      hosts = Array.from(ranks.subarray(0, n), (i) => feasible[i]!);
    }
    let best = -1;
    let bestKey = Number.NEGATIVE_INFINITY;
    for (const h of hosts) {
      const key = rankKey(inv, h, this.policy.score(inv, h, demand.resources));
      if (key > bestKey || (key === bestKey && h < best)) {
        best = h;
        bestKey = key;
      }
    }
    if (best < 0) {
      const rejections: Rejection[] = [];
      counts.forEach((hosts, id) => {
        if (hosts > 0) rejections.push({ filter: chain.filterOf[id]!, reason: chain.reasons[id]!, hosts });
      });
      return failure(this.policyName, rejections);
    }
    return {
      ok: true,
      policy: this.policyName,
      host: best,
      hostId: inv.hostId(best),
      score: this.policy.score(inv, best, demand.resources),
      ports: {},
    };
  }

  place(request: PlacementRequest): PlacementResult {
    const found = this.find(request);
    if (!found.ok) return found;
    const slot = allocateFor(this.inventory, found.host, request);
    return { ...found, ports: slot.ports, slot };
  }
}
