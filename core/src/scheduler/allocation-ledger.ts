import type { Resources } from '../model/resources.js';
import { TIERS, type Tier } from '../model/tier.js';

const TIER_INDEX: Readonly<Record<Tier, number>> = { preferred: 0, preemptible: 1, revocable: 2 };

/**
 * Resources held on hosts, per tier (for the simulator's utilization series) and per role (for
 * dominant resource fairness), plus the capacity of usable hosts. Kept incrementally: a task adds
 * its resources when it lands on a host and takes them back when it leaves.
 */
export class AllocationLedger {
  private readonly byTier = new Float64Array(TIERS.length * 4);
  private readonly byRole = new Map<string, Float64Array>();
  private readonly cap = new Float64Array(4);
  private lastRole: string | undefined;
  private lastVector: Float64Array | undefined;

  hold(role: string, tier: Tier, r: Resources, sign: 1 | -1): void {
    add(this.byTier, TIER_INDEX[tier] * 4, r, sign);
    // A group's tasks are placed one after another: most holds are for the role held last.
    let v = role === this.lastRole ? this.lastVector : this.byRole.get(role);
    if (!v) {
      v = new Float64Array(4);
      this.byRole.set(role, v);
    }
    this.lastRole = role;
    this.lastVector = v;
    add(v, 0, r, sign);
  }

  capacityChange(r: Resources, sign: 1 | -1): void {
    add(this.cap, 0, r, sign);
  }

  capacity(): Resources {
    return at(this.cap, 0);
  }

  byTierResources(): Record<Tier, Resources> {
    return {
      preferred: at(this.byTier, 0),
      preemptible: at(this.byTier, 4),
      revocable: at(this.byTier, 8),
    };
  }

  /** max over resources of role allocation / capacity (resources with no capacity ignored). */
  dominantShare(role: string): number {
    const v = this.byRole.get(role);
    if (!v) return 0;
    let share = 0;
    for (let d = 0; d < 4; d++) {
      const c = this.cap[d]!;
      if (c > 0) share = Math.max(share, v[d]! / c);
    }
    return share;
  }
}

function add(v: Float64Array, base: number, r: Resources, sign: number): void {
  v[base] = snap(v[base]! + sign * r.cpu);
  v[base + 1] = snap(v[base + 1]! + sign * r.ramMb);
  v[base + 2] = snap(v[base + 2]! + sign * r.diskMb);
  v[base + 3] = snap(v[base + 3]! + sign * r.gpus);
}

/** Sums of fractional cpu drift by ulps; an empty ledger should read exactly 0. */
function snap(x: number): number {
  return Math.abs(x) < 1e-9 ? 0 : x;
}

function at(v: Float64Array, base: number): Resources {
  return { cpu: v[base]!, ramMb: v[base + 1]!, diskMb: v[base + 2]!, gpus: v[base + 3]! };
}
