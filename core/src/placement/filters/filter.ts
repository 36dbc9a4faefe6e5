import type { Constraint } from '../../model/constraint.js';
import type { Resources } from '../../model/resources.js';
import type { HostInventory } from '../inventory/host-inventory.js';

/** The placement-relevant part of a task: identical demands share feasibility and scores. */
export interface PlacementDemand {
  /** Canonical `role/environment/name`. */
  readonly job: string;
  readonly role: string;
  readonly resources: Resources;
  /** Number of named ports the task needs. */
  readonly portCount: number;
  readonly constraints: readonly Constraint[];
}

/**
 * What a filter's result depends on, which decides when it must be re-checked:
 * - `host`: the host's mutable state (up, maintenance, offers, free resources, ports);
 * - `static`: the host's attributes only, so it is checked once per host and class;
 * - `job`: live tasks of the same job (`limit:N`), re-checked when a count crosses a limit.
 */
export type FilterStage = 'host' | 'static' | 'job';

/** A `limit:N` a job-stage filter enforces (ids from the inventory's attribute table). */
export interface LimitWatch {
  readonly attribute: number;
  readonly limit: number;
}

/** A filter bound to one demand. `check` never throws and never allocates. */
export interface CompiledFilter {
  /** The plug-in's name, for grouping rejections. */
  readonly filter: string;
  readonly stage: FilterStage;
  /** Human reasons; `check` returns 0 to pass or i > 0 for `reasons[i - 1]`. */
  readonly reasons: readonly string[];
  check(host: number): number;
  /**
   * Optional columnar form of `check`, for class rebuilds: for every host h < n with out[h] === 0,
   * writes offset + r when the filter rejects h with reason r (exactly what `check(h)` returns), and
   * leaves out[h] alone otherwise. One tight loop over typed columns instead of a call per host.
   */
  checkAll?(n: number, out: Int16Array, offset: number): void;
  readonly limits?: readonly LimitWatch[];
  /**
   * Optional, static filters only: the filter passes no host that lacks all of these values, so a
   * placement may look at just the hosts carrying them (AttributeTable.hostsWith) when they are few.
   * One entry per restricting rule; any one of them suffices.
   */
  readonly within?: readonly AttributeValues[];
}

/** Some values (ids) of one attribute (id). */
export interface AttributeValues {
  readonly attribute: number;
  readonly values: readonly number[];
}

/** A feasibility plug-in. `compile` returns undefined when it has nothing to check for this demand. */
export interface PlacementFilter {
  readonly name: string;
  readonly description: string;
  compile(demand: PlacementDemand, inventory: HostInventory): CompiledFilter | undefined;
}
