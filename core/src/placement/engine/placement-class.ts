import { CompiledChain } from '../filters/chain.js';
import type { PlacementDemand, PlacementFilter } from '../filters/filter.js';
import { grow } from '../inventory/grow.js';
import type { HostInventory } from '../inventory/host-inventory.js';
import type { JobLedger } from '../inventory/job-ledger.js';
import { MAINTENANCE_SCHEDULED } from '../inventory/maintenance.js';
import { type PlacementPolicy, SCORE_MAX } from '../policies/policy.js';
import { FeasibleSet } from './feasible-set.js';
import type { BoundCache } from './free-index.js';
import { HostHeap } from './host-heap.js';
import type { Candidate, Rejection } from './placement-types.js';
import { rankKey, sampleRanks } from './ranking.js';
import { WORK } from './work-counters.js';

// Imported bindings are read through getters when modules are transpiled (tsx), which V8 does not
// always inline; hot loops use these module-local copies.
const SCHEDULED = MAINTENANCE_SCHEDULED;
const LIFT = 2 * SCORE_MAX;

// Shared empty arrays for a class's fields until it needs its own (grow returns a new array, never
// writes these): most classes never build, and five typed arrays each were allocation to collect.
const NO_HOSTS_I16 = new Int16Array(0);
const NO_HOSTS_U32 = new Uint32Array(0);
const NO_SAMPLE = new Int32Array(0);

/** Rebuild scratch shared by all classes (rebuilds never overlap): feasible hosts and their keys. */
let scratchHosts = new Int32Array(0);
let scratchKeys = new Float64Array(0);

/**
 * An equivalence class: every task with the same demand (resources, port count, constraints, and
 * the job when it has `limit:N`, the role when it asks for dedicated hosts) is feasible on the same
 * hosts with the same scores. The class keeps, per host, the first filter that rejects it (or
 * "feasible") and, for ranked policies, a heap of feasible hosts by cached score; sampling policies
 * get an order-statistics set instead.
 *
 * It stays current by replaying the inventory's change log (only hosts whose version moved are
 * re-checked) and its job's count log (only hosts of an attribute value whose count crossed a
 * limit). A full rebuild happens when the class is new, when the logs were trimmed past its cursor,
 * or when replaying would cost more than a scan.
 */
export class PlacementClass {
  readonly chain: CompiledChain;
  /** Per host: -1 unknown or removed, 0 feasible, else the reason id of the first rejection. */
  private reason = NO_HOSTS_I16;
  /** Per host: -1 not computed yet, else the static filters' verdict (0 = pass). */
  private staticReason = NO_HOSTS_I16;
  /** Per host: the inventory version the verdict reflects. */
  private seen = NO_HOSTS_U32;
  /** Reason id → hosts rejected for it. */
  private readonly counts: Int32Array;
  private readonly heap: HostHeap | undefined;
  private readonly set: FeasibleSet | undefined;
  private readonly sampled: Int32Array;
  private readonly scratch: Int32Array;
  private capacity = 0;
  private hostCursor = -1;
  private ledger: JobLedger | undefined;
  private jobCursor = 0;
  /** The engine's key for this class (set by the engine). */
  key = '';
  /** Engine clock value of the last use, for LRU eviction. */
  lastUse = 0;
  /** Placements answered by the engine's FreeIndex while this class was not built. */
  walks = 0;
  /** The latest decision for this class found no feasible host. */
  lastFailed = false;
  /** The FreeIndex's cell bounds for this demand, kept between walks (made on the first walk). */
  boundCache: BoundCache | undefined;

  /**
   * `recycled`: an evicted class of the same engine whose per-host arrays this one takes over, so a
   * stream of new classes (one per new job config) does not allocate and zero ~24 bytes per host each.
   */
  constructor(
    readonly demand: PlacementDemand,
    private readonly inventory: HostInventory,
    private readonly policy: PlacementPolicy,
    filters: readonly PlacementFilter[],
    recycled?: PlacementClass,
  ) {
    this.chain = new CompiledChain(demand, inventory, filters);
    this.counts = new Int32Array(this.chain.reasons.length);
    if (recycled) {
      // Taken as they are: the first build overwrites them (most classes never build, google-2011
      // creates ~214k a day, and resetting ~10k hosts' entries here was most of their cost).
      this.reason = recycled.reason;
      this.staticReason = recycled.staticReason;
      this.seen = recycled.seen;
      this.capacity = recycled.capacity;
      this.heap = recycled.heap;
      this.set = recycled.set;
      this.boundCache = recycled.boundCache;
      this.boundCache?.reset();
      recycled.capacity = -1;
    } else if (policy.sampleSize > 0) this.set = new FeasibleSet();
    else this.heap = new HostHeap();
    const k = policy.sampleSize;
    this.sampled = k > 0 ? new Int32Array(k) : NO_SAMPLE;
    this.scratch = k > 0 ? new Int32Array(2 * k) : NO_SAMPLE;
  }

  /** Feasible hosts right now (after sync). */
  get feasible(): number {
    return this.heap ? this.heap.size : this.set!.size;
  }

  /** Brings the cached verdicts up to date with the inventory. */
  sync(): void {
    if (!this.replayable()) {
      this.rebuild();
      return;
    }
    const inv = this.inventory;
    const log = inv.changes;
    const version = inv.version;
    const seen = this.seen;
    for (let seq = this.hostCursor; seq < log.head; seq++) {
      const h = log.at(seq);
      if (seen[h] !== version[h]) {
        seen[h] = version[h]!;
        this.evaluate(h);
      }
    }
    this.hostCursor = log.head;
    if (this.chain.limits.length === 0) return;
    const ledger = inv.jobLedger(this.demand.job);
    if (ledger !== this.ledger || (ledger && this.jobCursor < ledger.log.base)) {
      this.rebindLedger(ledger);
      return;
    }
    if (!ledger) return;
    const jobLog = ledger.log;
    const limits = this.chain.limits;
    for (let seq = this.jobCursor; seq < jobLog.head; seq++) {
      const attribute = jobLog.at(seq, 0);
      const count = jobLog.at(seq, 2);
      const delta = jobLog.at(seq, 3);
      for (const l of limits) {
        if (l.attribute !== attribute) continue;
        // Feasibility changes only when the count reaches the limit or drops back below it.
        if ((delta > 0 && count === l.limit) || (delta < 0 && count === l.limit - 1)) {
          for (const h of inv.attributes.hostsWith(attribute, jobLog.at(seq, 1))) this.evaluate(h);
        }
      }
    }
    this.jobCursor = jobLog.head;
  }

  /** Built at some point (it may still need a rebuild to be current). */
  get built(): boolean {
    return this.hostCursor >= 0;
  }

  /** Built and cheap to bring current by replaying the logs. */
  current(): boolean {
    return this.replayable();
  }

  /** Forgets the cached verdicts; the next sync rebuilds (arrays are kept). */
  unbuild(): void {
    this.hostCursor = -1;
    this.walks = 0;
  }

  /** False when the class must rebuild: new, logs trimmed past its cursors, or replay dearer than a scan. */
  private replayable(): boolean {
    const inv = this.inventory;
    this.reserve(inv.size);
    if (this.hostCursor < 0) return false;
    const log = inv.changes;
    return this.hostCursor >= log.base && log.head - this.hostCursor <= (inv.hostCount >> 1) + 64;
  }

  /** The chosen host (after sync), or -1 if none is feasible. Sampling policies draw here. */
  choose(): number {
    if (this.heap) return this.heap.top();
    const n = this.drawSample();
    let best = -1;
    let bestKey = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const h = this.set!.select(this.sampled[i]!);
      const key = rankKey(this.inventory, h, this.score(h));
      if (key > bestKey || (key === bestKey && h < best)) {
        best = h;
        bestKey = key;
      }
    }
    return best;
  }

  score(h: number): number {
    return this.policy.score(this.inventory, h, this.demand.resources);
  }

  rejections(): Rejection[] {
    const out: Rejection[] = [];
    for (let id = 1; id < this.counts.length; id++) {
      const hosts = this.counts[id]!;
      if (hosts > 0) out.push({ filter: this.chain.filterOf[id]!, reason: this.chain.reasons[id]!, hosts });
    }
    return out;
  }

  /**
   * The best `n` feasible hosts by rank (for traces). Ranked policies scan the heap; sampling
   * policies rank the sample of the latest `choose`.
   */
  topCandidates(n: number, sampleOnly: boolean): Candidate[] {
    const hosts: number[] = [];
    if (this.heap) for (let i = 0; i < this.heap.size; i++) hosts.push(this.heap.at(i));
    else if (sampleOnly)
      for (let i = 0; i < this.lastSample; i++) hosts.push(this.set!.select(this.sampled[i]!));
    const inv = this.inventory;
    const keyed = hosts.map((h) => ({ h, key: rankKey(inv, h, this.score(h)) }));
    keyed.sort((a, b) => b.key - a.key || a.h - b.h);
    return keyed.slice(0, n).map(({ h }) => ({
      host: inv.hostId(h),
      score: this.score(h),
      scheduled: inv.maintenance[h] === MAINTENANCE_SCHEDULED,
    }));
  }

  private lastSample = 0;

  private drawSample(): number {
    const random = this.policy.random;
    if (!random) throw new Error(`policy ${this.policy.name} samples but has no RandomSource`);
    this.lastSample = sampleRanks(this.set!.size, this.policy.sampleSize, random, this.sampled, this.scratch);
    return this.lastSample;
  }

  /**
   * The job's ledger was dropped (its last task ended) or replaced, or its log trimmed: re-check the
   * hosts the old counts held back, then the hosts of every value now at its limit. Cheaper than a
   * rebuild: one pass over a small integer array plus the blocked hosts.
   */
  private rebindLedger(ledger: JobLedger | undefined): void {
    const n = this.inventory.size;
    const reason = this.reason;
    const isJob = this.chain.isJobReason;
    for (let h = 0; h < n; h++) {
      const r = reason[h]!;
      if (r > 0 && isJob[r] === 1) this.evaluate(h);
    }
    this.ledger = ledger;
    if (!ledger) return;
    const attributes = this.inventory.attributes;
    for (const l of this.chain.limits) {
      const counts = ledger.track(l.attribute);
      for (let v = 0; v < counts.length; v++) {
        if (counts[v]! >= l.limit) for (const h of attributes.hostsWith(l.attribute, v)) this.evaluate(h);
      }
    }
    this.jobCursor = ledger.log.head;
  }

  private reserve(hosts: number): void {
    if (hosts <= this.capacity) return;
    this.reason = grow(this.reason, hosts, -1);
    this.staticReason = grow(this.staticReason, hosts, -1);
    this.seen = grow(this.seen, hosts);
    this.heap?.reserve(this.reason.length);
    this.set?.reserve(this.reason.length);
    this.capacity = this.reason.length;
  }

  private rebuild(): void {
    WORK.classBuilds++;
    const inv = this.inventory;
    if (this.chain.limits.length > 0) {
      this.ledger = inv.jobLedger(this.demand.job);
      if (this.ledger) {
        for (const l of this.chain.limits) this.ledger.track(l.attribute);
        this.jobCursor = this.ledger.log.head;
      }
    }
    const n = inv.size;
    // Columnar: each filter is one loop over the hosts, then one scoring pass over the feasible ones.
    const reason = this.reason;
    this.chain.evaluateAll(n, inv.removed, reason, this.staticReason);
    this.seen.set(inv.version.subarray(0, n));
    // Entries past the hosts may hold a recycled class's verdicts: hosts added later start unknown.
    reason.fill(-1, n);
    this.seen.fill(0, n);
    if (this.chain.hasStatic) this.staticReason.fill(-1, n); // else never read
    const counts = this.counts;
    counts.fill(0);
    if (scratchHosts.length < n) {
      scratchHosts = new Int32Array(Math.max(n, 2 * scratchHosts.length));
      scratchKeys = new Float64Array(scratchHosts.length);
    }
    const hosts = scratchHosts;
    let m = 0;
    for (let h = 0; h < n; h++) {
      const r = reason[h]!;
      if (r > 0) counts[r]!++;
      else if (r === 0) hosts[m++] = h;
    }
    const heap = this.heap;
    if (heap) {
      const keys = scratchKeys;
      const policy = this.policy;
      const resources = this.demand.resources;
      if (policy.scoreAll) policy.scoreAll(inv, hosts, m, resources, keys);
      else for (let i = 0; i < m; i++) keys[i] = policy.score(inv, hosts[i]!, resources);
      const maintenance = inv.maintenance;
      for (let i = 0; i < m; i++) {
        // rankKey, inlined: SCHEDULED hosts rank below every other host.
        if (maintenance[hosts[i]!] !== SCHEDULED) keys[i] = keys[i]! + LIFT;
      }
      heap.load(hosts, keys, m);
    } else {
      const set = this.set!;
      set.clear();
      for (let i = 0; i < m; i++) set.add(hosts[i]!);
    }
    this.hostCursor = inv.changes.head;
  }

  private verdict(h: number): number {
    const inv = this.inventory;
    if (inv.removed[h] === 1) return -1;
    if (!this.chain.hasStatic) return this.chain.evaluateWithStatic(h, 0);
    let s = this.staticReason[h]!;
    if (s < 0) {
      s = this.chain.evaluateStatic(h);
      this.staticReason[h] = s;
    }
    return this.chain.evaluateWithStatic(h, s);
  }

  private evaluate(h: number): void {
    const r = this.verdict(h);
    const old = this.reason[h]!;
    if (old !== r) {
      if (old > 0) this.counts[old]!--;
      if (r > 0) this.counts[r]!++;
      this.reason[h] = r;
    }
    if (r === 0) {
      if (this.heap) this.heap.set(h, rankKey(this.inventory, h, this.score(h)));
      else this.set!.add(h);
    } else if (old === 0) {
      if (this.heap) this.heap.remove(h);
      else this.set!.remove(h);
    }
  }
}
