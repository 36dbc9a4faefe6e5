import { RESOURCE_NAMES, type ResourceName, type Resources, ZERO_RESOURCES } from '../model/resources.js';
import { fail, ok, type Result } from '../model/result.js';

/** Values equal within this are equal: cpu is fractional and sums of fractions drift. */
const EPSILON = 1e-9;

export interface QuotaUsage {
  readonly quota?: Resources;
  readonly consumed: Resources;
}

/**
 * Per-role production quota, as in Aurora: only production (preferred tier) tasks consume it, and
 * a request that would take a role past its quota is refused up front with a message stating the
 * request and what remains. A role without quota is unlimited, unless quotas are mandatory, in which
 * case the role may run no production work at all.
 *
 * The ledger counts what it is told: the scheduler adds a task's resources when a production task
 * comes into existence (PENDING) and subtracts them when it ends, so consumption covers pending and
 * running tasks alike — the room a job has claimed, not only what it occupies right now.
 */
export class QuotaLedger {
  private readonly quotas = new Map<string, Resources>();
  private readonly consumed = new Map<string, Float64Array>();

  constructor(private readonly mandatory = false) {}

  setQuota(role: string, quota: Resources): void {
    this.quotas.set(role, { ...quota });
  }

  usage(role: string): QuotaUsage {
    const used = this.consumed.get(role);
    const consumed = used ? vectorToResources(used) : ZERO_RESOURCES;
    const quota = this.quotas.get(role);
    return quota ? { quota, consumed } : { consumed };
  }

  /** Roles with a quota set, sorted. */
  roles(): string[] {
    return [...this.quotas.keys()].sort();
  }

  /**
   * Whether `role` may take `request` more production resources. `what` names the request in the
   * message ("job www/prod/web", "scale-up of www/prod/web to 8 instances").
   */
  check(role: string, request: Resources, what: string): Result<void> {
    const quota = this.quotas.get(role);
    if (!quota) {
      if (!this.mandatory) return ok(undefined);
      return fail(
        'quota',
        `role ${role} has no quota; ${what} is production (preferred tier) and quotas are mandatory`,
      );
    }
    const used = this.consumed.get(role);
    const dims = RESOURCE_NAMES.filter((n) => request[n] > 0);
    const fits = dims.every(
      (n) => (used?.[RESOURCE_NAMES.indexOf(n)] ?? 0) + request[n] <= quota[n] + EPSILON,
    );
    if (fits) return ok(undefined);
    const left: Record<ResourceName, number> = { cpu: 0, ramMb: 0, diskMb: 0, gpus: 0 };
    RESOURCE_NAMES.forEach((n, i) => {
      left[n] = Math.max(0, quota[n] - (used?.[i] ?? 0));
    });
    return fail(
      'quota',
      `quota exceeded for role ${role}: ${what} needs ${formatDims(request, dims)}; ` +
        `role has ${formatDims(left, dims)} of ${formatDims(quota, dims)} left`,
    );
  }

  consume(role: string, resources: Resources, count = 1): void {
    let used = this.consumed.get(role);
    if (!used) {
      used = new Float64Array(RESOURCE_NAMES.length);
      this.consumed.set(role, used);
    }
    used[0]! += resources.cpu * count;
    used[1]! += resources.ramMb * count;
    used[2]! += resources.diskMb * count;
    used[3]! += resources.gpus * count;
  }

  release(role: string, resources: Resources, count = 1): void {
    const used = this.consumed.get(role);
    if (!used) throw new Error(`quota release for role ${role} which consumes nothing`);
    // Clamp tiny negative drift from fractional cpu so "left" never reads as more than the quota.
    used[0] = clampZero(used[0]! - resources.cpu * count);
    used[1] = clampZero(used[1]! - resources.ramMb * count);
    used[2] = clampZero(used[2]! - resources.diskMb * count);
    used[3] = clampZero(used[3]! - resources.gpus * count);
  }
}

function clampZero(v: number): number {
  return v < EPSILON ? 0 : v;
}

function vectorToResources(v: Float64Array): Resources {
  return { cpu: v[0]!, ramMb: v[1]!, diskMb: v[2]!, gpus: v[3]! };
}

/** "cpu 8, ramMb 16384" — only the dimensions the request uses, numbers without float noise. */
function formatDims(r: Resources, dims: readonly ResourceName[]): string {
  return dims.map((n) => `${n} ${formatNumber(r[n])}`).join(', ');
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
}
