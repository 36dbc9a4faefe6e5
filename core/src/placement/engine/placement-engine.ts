import { formatConstraint } from '../../model/parse-constraint.js';
import type { TaskConfig } from '../../model/task-config.js';
import { CompiledChain, DEFAULT_FILTERS } from '../filters/chain.js';
import type { PlacementFilter } from '../filters/filter.js';
import type { HostInventory } from '../inventory/host-inventory.js';
import { MAINTENANCE_SCHEDULED } from '../inventory/maintenance.js';
import { roleOf, type Slot } from '../inventory/slot.js';
import type { PlacementPolicy } from '../policies/policy.js';
import { bestAmong, narrowestWithin } from './candidate-scan.js';
import { BoundCache, FreeIndex } from './free-index.js';
import { PlacementClass } from './placement-class.js';
import {
  allocateFor,
  demandOf,
  failure,
  type PlacementRequest,
  type PlacementResult,
  type PlacementSuccess,
  type PlacementTrace,
  type Placer,
  type Rejection,
  TRACE_CANDIDATES,
} from './placement-types.js';

export interface PlacementEngineOptions {
  readonly policy: PlacementPolicy;
  /** Feasibility chain; default DEFAULT_FILTERS. Keep static filters adjacent. */
  readonly filters?: readonly PlacementFilter[];
  /** Equivalence classes kept warm, least recently used evicted first (each ~30 bytes per host). */
  readonly maxClasses?: number;
  /**
   * Find a new class's host by walking a FreeIndex (hosts by fullness) instead of building the class,
   * when the policy has a scoreBound. Exact either way; default true. Off only to measure it.
   */
  readonly freeIndex?: boolean;
}

/**
 * A class answers this many placements through the FreeIndex before it is built: a group with more
 * tasks than that is cheaper with a heap (one scan, then O(log n) per placement). google-2011, 4 h
 * at 10k hosts, with walks at ~10-15 us and a build at ~0.5 ms: 16 -> 32 traded 726 of 1,354 builds
 * for 14.9k more walks; 48 would trade 234 more builds for 8k walks, about even.
 */
const MAX_WALKS = 32;

/** How a config's class is shared: by everyone, per role (dedicated), or per job (limit:N). */
interface ConfigKey {
  readonly key: string;
  readonly scope: 'all' | 'role' | 'job';
  /** The last job asked about and its class key: a config object mostly belongs to one job. */
  job: string;
  jobKey: string;
}

/**
 * The placement stack: source (the inventory) → feasibility filters → policy scores → selection.
 * Work is shared through equivalence classes (see PlacementClass), so placing the next task of a
 * group costs a heap lookup plus re-checking the hosts that changed since, and it chooses exactly
 * the host the reference full scan (ReferencePlacer) would choose.
 */
export class PlacementEngine implements Placer {
  readonly policyName: string;
  private readonly policy: PlacementPolicy;
  private readonly filters: readonly PlacementFilter[];
  private readonly maxClasses: number;
  private readonly configKeys = new WeakMap<TaskConfig, ConfigKey>();
  private readonly classes = new Map<string, PlacementClass>();
  private clock = 0;
  private lastConfig: TaskConfig | undefined;
  private lastJob = '';
  private lastClass: PlacementClass | undefined;
  private readonly index: FreeIndex | undefined;

  constructor(
    readonly inventory: HostInventory,
    options: PlacementEngineOptions,
  ) {
    this.policy = options.policy;
    this.policyName = options.policy.name;
    this.filters = options.filters ?? DEFAULT_FILTERS;
    this.maxClasses = Math.max(1, options.maxClasses ?? 64);
    const indexable = this.policy.scoreBound !== undefined && this.policy.sampleSize === 0;
    if (indexable && options.freeIndex !== false) this.index = new FreeIndex(inventory);
  }

  /** Hosts the FreeIndex examined so far (benchmarks report it next to the host count). */
  get indexExamined(): number {
    return this.index?.examined ?? 0;
  }

  find(request: PlacementRequest): PlacementResult {
    const cls = this.classFor(request.job, request.config);
    let h = -1;
    if (!request.explain && this.walkable(cls)) {
      cls.walks++;
      const inv = this.inventory;
      const resources = request.config.resources;
      // A class pinned to few hosts by an attribute value looks at just those.
      const rule = narrowestWithin(inv, cls.chain, inv.hostCount >> 3);
      if (rule) h = bestAmong(inv, cls.chain, this.policy, resources, rule);
      else {
        cls.boundCache ??= new BoundCache();
        h = this.index!.best(cls.chain, this.policy, resources, cls.boundCache);
      }
    }
    if (h < 0) {
      // Built classes, and the failure case: building counts the rejections the failure reports.
      cls.sync();
      h = cls.choose();
    }
    cls.lastFailed = h < 0;
    const trace = request.explain ? this.trace(request, cls, h) : undefined;
    if (h < 0) return failure(this.policyName, cls.rejections(), trace);
    return this.success(h, cls.score(h), NO_PORTS, undefined, trace);
  }

  place(request: PlacementRequest): PlacementResult {
    const found = this.find(request);
    if (!found.ok) return found;
    const slot = allocateFor(this.inventory, found.host, request);
    return this.success(found.host, found.score, slot.ports, slot, found.trace);
  }

  /**
   * A success built field by field: object spreads (`{ ...found, slot }`, `...(trace && { trace })`)
   * were most of `place`'s own time (0.27 s in a 4 h 10k-host google-2011 run, ~170k placements).
   */
  private success(
    h: number,
    score: number,
    ports: Readonly<Record<string, number>>,
    slot: Slot | undefined,
    trace: PlacementTrace | undefined,
  ): PlacementSuccess {
    const result: { -readonly [K in keyof PlacementSuccess]: PlacementSuccess[K] } = {
      ok: true,
      policy: this.policyName,
      host: h,
      hostId: this.inventory.hostId(h),
      score,
      ports,
    };
    if (trace) result.trace = trace;
    if (slot) result.slot = slot;
    return result;
  }

  /** Hosts rejected per reason for this task right now (empty if every host is feasible). */
  rejections(job: string, config: TaskConfig): Rejection[] {
    const cls = this.classFor(job, config);
    cls.sync();
    return cls.rejections();
  }

  /** Feasible hosts for this task right now. */
  feasibleCount(job: string, config: TaskConfig): number {
    const cls = this.classFor(job, config);
    cls.sync();
    return cls.feasible;
  }

  /**
   * Checks one host from scratch, optionally skipping filters by name (preemption asks "would it fit
   * if resources were freed" with skip = ['resources', 'ports']). Undefined means feasible.
   */
  checkHost(
    job: string,
    config: TaskConfig,
    host: number,
    skip: readonly string[] = [],
  ): Rejection | undefined {
    if (!this.inventory.isPresent(host)) return { filter: 'host-state', reason: 'host removed', hosts: 1 };
    const chain = new CompiledChain(demandOf(job, config), this.inventory, this.filters);
    const id = chain.evaluateSkipping(host, skip);
    return id === 0 ? undefined : { filter: chain.filterOf[id]!, reason: chain.reasons[id]!, hosts: 1 };
  }

  /** Drops every cached class (they rebuild on next use). */
  clearCache(): void {
    this.classes.clear();
    this.lastConfig = undefined;
    this.lastClass = undefined;
  }

  private trace(request: PlacementRequest, cls: PlacementClass, h: number): PlacementTrace {
    const inv = this.inventory;
    const candidates = cls.topCandidates(TRACE_CANDIDATES, true);
    return {
      policy: this.policyName,
      taskId: request.taskId,
      job: request.job,
      feasible: cls.feasible,
      scored: this.policy.sampleSize > 0 ? Math.min(this.policy.sampleSize, cls.feasible) : cls.feasible,
      ...(h >= 0 && {
        chosen: {
          host: inv.hostId(h),
          score: cls.score(h),
          scheduled: inv.maintenance[h] === MAINTENANCE_SCHEDULED,
        },
      }),
      candidates,
      rejections: cls.rejections().sort((a, b) => b.hosts - a.hosts),
    };
  }

  /**
   * Whether to answer through the FreeIndex: the class is not built (or too stale to replay, so
   * building would be a full scan anyway), has not used up its walks, and did not just fail (a
   * walk that finds nothing visits every host and the class is built afterwards regardless).
   */
  private walkable(cls: PlacementClass): boolean {
    const index = this.index;
    if (!index || cls.lastFailed) return false;
    if (cls.built) {
      if (cls.current()) return false;
      cls.unbuild();
    }
    if (cls.walks >= MAX_WALKS) return false;
    index.sync();
    return index.usable;
  }

  private classFor(job: string, config: TaskConfig): PlacementClass {
    if (config === this.lastConfig && job === this.lastJob && this.lastClass) {
      this.lastClass.lastUse = ++this.clock;
      return this.lastClass;
    }
    let ck = this.configKeys.get(config);
    if (!ck) {
      ck = configKey(config);
      this.configKeys.set(config, ck);
    }
    let key = ck.key;
    if (ck.scope !== 'all') {
      // Built once per config and job: a fresh concatenation is hashed again by every lookup.
      if (ck.job !== job) {
        ck.jobKey = `${ck.key}\u0000${ck.scope === 'job' ? job : roleOf(job)}`;
        ck.job = job;
      }
      key = ck.jobKey;
    }
    let cls = this.classes.get(key);
    if (!cls) {
      const evicted = this.classes.size >= this.maxClasses ? this.evict() : undefined;
      cls = new PlacementClass(demandOf(job, config), this.inventory, this.policy, this.filters, evicted);
      cls.key = key;
      this.classes.set(key, cls);
    }
    cls.lastUse = ++this.clock;
    this.lastConfig = config;
    this.lastJob = job;
    this.lastClass = cls;
    return cls;
  }

  /**
   * Drops the least recently used class and returns it (its arrays go to the next new class). A
   * class whose last placement failed is passed over while at most half the classes are such: its
   * pending tasks retry it, and a new class in its place must build (scan every host) to count the
   * rejections a failure reports, where the kept one replays the changes since. google-2011, 4 h at
   * 10k hosts: 1,068 of 1,696 builds were failing classes rebuilt after eviction by the churn of
   * ~30k mostly one-off classes. Which class goes never changes an answer, only what it costs.
   */
  private evict(): PlacementClass | undefined {
    let evicted: PlacementClass | undefined;
    let oldestFailed: PlacementClass | undefined;
    let failed = 0;
    for (const cls of this.classes.values()) {
      if (cls.lastFailed) {
        failed++;
        if (!oldestFailed || cls.lastUse < oldestFailed.lastUse) oldestFailed = cls;
      } else if (!evicted || cls.lastUse < evicted.lastUse) evicted = cls;
    }
    if (!evicted || (oldestFailed && 2 * failed > this.maxClasses)) evicted = oldestFailed;
    if (!evicted) return undefined;
    this.classes.delete(evicted.key);
    if (evicted === this.lastClass) {
      this.lastClass = undefined;
      this.lastConfig = undefined;
    }
    return evicted;
  }
}

const NO_PORTS: Readonly<Record<string, number>> = Object.freeze({});

/**
 * The placement-relevant content of a config as a string, and how widely its class is shared. Plain
 * loops: each `map`/`some` callback was a closure created per call (and, under tsx keepNames, named
 * by a defineProperty call); ~30k configs in a 4 h 10k-host google-2011 run.
 */
function configKey(config: TaskConfig): ConfigKey {
  const r = config.resources;
  const list = config.constraints;
  let constraints = '';
  let limit = false;
  let dedicated = false;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (i > 0) constraints += ';';
    constraints += `${c.attribute}=${formatConstraint(c)}`;
    if (c.kind === 'limit') limit = true;
    else if (c.attribute === 'dedicated') dedicated = true;
  }
  const key = `${r.cpu},${r.ramMb},${r.diskMb},${r.gpus}|${config.ports.length}|${constraints}`;
  const scope = limit ? 'job' : dedicated ? 'role' : 'all';
  return { key, scope, job: '', jobKey: '' };
}
