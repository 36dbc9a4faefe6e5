import type { Resources } from '../../model/resources.js';
import type { CompiledChain } from '../filters/chain.js';
import { grow } from '../inventory/grow.js';
import { RESOURCE_EPSILON } from '../inventory/host-inventory.js';
import { MAINTENANCE_SCHEDULED } from '../inventory/maintenance.js';
import { type PlacementPolicy, SCORE_MAX } from '../policies/policy.js';
import type { FreeSource } from './free-source.js';
import { WORK } from './work-counters.js';

// Imported bindings are read through getters when modules are transpiled (tsx), which V8 does not
// always inline; hot loops use these module-local copies.
const SCHEDULED = MAINTENANCE_SCHEDULED;
const LIFT = 2 * SCORE_MAX;
const EPSILON = RESOURCE_EPSILON;

/**
 * Grid cells per axis (cpu free fraction × ram free fraction) per capacity shape. Real clusters pile
 * hosts into few cells; at 32 (even buckets) a walk of the google-2011 day at 10k hosts looked at ~600 per
 * query instead of ~1,400 at 16, and bounding the (listed) occupied cells stays cheaper than that.
 * A finer grid trades hosts examined for cells bounded and, measured, did not pay (per query,
 * examined/cells bounded, then CPU of the run; shared 2-core machine at load 11-25): RAM-tight
 * quarter day at 20k hosts, 32 -> 64: 355/54 -> 102/95, 50 -> 62 s; google-2011 6 h at 10k, 32 ->
 * 104: 97/40 -> 11/82, 17.2 -> 18.0 s; RAM-tight half day at 4k, 32 -> 64: 152/59 -> 45/94, 16.3 ->
 * 17.0 s. At this fixed grid the hosts examined grow with the cluster (RAM-tight day: 67, 150 and
 * 324 a query at 1k, 2k and 4k hosts): the open part of issue 14's first item.
 */
const GRID = 32;
const CELLS = GRID * GRID;
/** Beyond this many distinct host shapes the index gives up (every query would visit them all). */
const MAX_SHAPES = 64;
/** Candidate slots per shape in a query: its cells, then its empty set. */
const SLOTS = CELLS + 1;
/** Slack on score bounds, far above float rounding and far below any score difference that matters. */
const BOUND_SLACK = 1e-6;

/** Hosts of one capacity vector. */
interface Shape {
  readonly cap: Float64Array;
  /** The resources the hosts have (capacity > 0), in leftoverFractions order. */
  readonly dims: Int32Array;
  /** Cell c = cpu bucket × GRID + ram bucket of the free fractions; exactly empty hosts are apart. */
  readonly cells: number[][];
  /**
   * Per cell and resource (stride 4), bounds on the members' free fraction: widened as hosts join,
   * recomputed exactly when a query visits a stale cell, so they are loose but never wrong.
   */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /**
   * Per cell, a lower bound on the members' sum of free fractions over the shape's resources, kept
   * like lo/hi. Far tighter than the sum of the per-resource minimums, which different members
   * reach: google-2011 hosts' disk stays nearly free but spreads by a few percent in a cell, which
   * alone loosened a cell's bound more than the cpu and ram bucket widths.
   */
  readonly sumLo: Float64Array;
  /**
   * The non-empty cells by row (cpu bucket): row r's rowCount[r] cells sit at occupied[r × GRID …],
   * so a query bounds only those, starting at the first row with room (listing all ~385 occupied
   * cells a query, three in four of them in rows too full, was most of the bounding pass).
   * occupiedAt[c] is c's place within its row.
   */
  readonly occupied: Int32Array;
  readonly occupiedAt: Int32Array;
  readonly rowCount: Int32Array;
  /** Per cell, the FreeIndex tick of the last change to its bounds (BoundCache entries older are void). */
  readonly stamp: Float64Array;
  /** Per row, the latest stamp of its cells. */
  readonly rowStamp: Float64Array;
  /** Per cell, 1 once a member left since the bounds were last recomputed (they may be loose). */
  readonly stale: Uint8Array;
  /**
   * Per row: bounds holding every member of the row (lo/hi stride 4, sumLo), widened as hosts join
   * and re-gathered from the row's cells once `rowLoose` says cells tightened or emptied. A query
   * bounds a row it has no cached maximum for by these alone (~12 rows a query) and bounds the row's
   * cells only if the row is picked: three in four cold rows never are, and bounding every cell of
   * a class's first walk (~30 of 63 cells a query missed the cache) was most of pushRow.
   */
  readonly rowLo: Float64Array;
  readonly rowHi: Float64Array;
  readonly rowSumLo: Float64Array;
  readonly rowLoose: Uint8Array;
  /** Exactly empty hosts (free = capacity), a bitmap over host indices: they all score alike. */
  empty: Uint32Array;
  emptyCount: number;
}

/**
 * One demand's cell bounds from earlier queries (slot = shape × SLOTS + cell), reused while the cell's
 * bounds are unchanged: a placement class walks up to MAX_WALKS times with the same demand, and
 * between two walks only the cells of the hosts that changed move. Three walks in four in
 * google-2011 repeat a class; bounding was ~40% of a walk.
 */
export class BoundCache {
  bounds = new Float64Array(0);
  /** Per slot, the tick the bound was computed at; valid while ≥ `from` and ≥ the cell's stamp. */
  at = new Float64Array(0);
  /**
   * Per shape row (shape × GRID + row), the highest bound of its cells (or the row's own bound, from
   * its row-wide bounds, until a query expands it) and when it was computed,
   * valid while ≥ `from` and ≥ the row's stamp. A query lists an unchanged row as one candidate and
   * looks at its cells only if the row could still beat the best host found: touching every cell's
   * entries (scattered over the cache, the stamps and the bounds) cost more than visiting hosts in
   * the full simulation, where the index is cold between queries.
   */
  rowMax = new Float64Array(0);
  rowAt = new Float64Array(0);
  from = Number.POSITIVE_INFINITY;

  /** Forgets every entry (for a new demand); O(1). */
  reset(): void {
    this.from = Number.POSITIVE_INFINITY;
  }
}

/**
 * Hosts indexed by how full they are, so that a policy with a `scoreBound` (best-fit, hybrid) finds
 * its best feasible host without scoring every host. Hosts are grouped by capacity shape and, within
 * a shape, filed in a grid cell by their free cpu and ram fractions; each cell keeps bounds on its
 * members' free fraction of every resource. A query bounds every occupied cell's best possible score
 * for the demand, visits cells best bound first and stops once no remaining cell can beat the best
 * key found: the answer is exactly the full scan's (highest rank key, ties to the lowest index).
 * Exactly empty hosts of a shape all score alike, so only the lowest-index feasible one is looked at.
 *
 * It follows the inventory through its change log like a placement class does, so keeping it current
 * costs O(1) per host change. It declines (`usable` false) when hosts come in too many shapes.
 */
export class FreeIndex {
  private shapeOf = new Int32Array(0);
  /** Cell of a host, -1 when in the empty set, -2 when not indexed (removed or unseen). */
  private cellOf = new Int32Array(0);
  private posOf = new Int32Array(0);
  private seen = new Uint32Array(0);
  /**
   * Per host (stride 4): free cpu, ram, disk and gpus as of its last filing, packed so that a walk
   * reads one cache line per host instead of one from each of the inventory's columns (a walk's hosts
   * are scattered over the index range; the member loop cost ~90 ns a host before).
   */
  private free = new Float64Array(0);
  private readonly shapes: Shape[] = [];
  private readonly shapeKeys = new Map<string, number>();
  private cursor = -1;
  private capacity = 0;
  /** A query's cells to visit (shape × SLOTS + cell, CELLS for the empty set) and their bounds. */
  private readonly candidates = new Int32Array(MAX_SHAPES * SLOTS);
  private readonly bounds = new Float64Array(MAX_SHAPES * SLOTS);
  /** Per shape (stride 8): the demand as fractions of capacity over its dims, then the capacities. */
  private readonly needs = new Float64Array(MAX_SHAPES * 8);
  /** Per shape, the query's first column (ram bucket) that may hold a host with room. */
  private readonly minCols = new Int32Array(MAX_SHAPES);
  private readonly lo = new Float64Array(4);
  private readonly hi = new Float64Array(4);
  /** A cell visit's hosts that beat the best key, before the chain has judged them. */
  private pendingHosts = new Int32Array(0);
  private pendingKeys = new Float64Array(0);
  /** Counts changes to cell bounds and BoundCache resets, to date both (see BoundCache). */
  private tick = 0;
  usable = true;
  /** Hosts examined by queries so far (for benchmarks and tests). */
  examined = 0;

  /** `inventory`: the host inventory, or any FreeSource (an offer model) with the same columns. */
  constructor(private readonly inventory: FreeSource) {}

  /**
   * The best feasible host for a demand under `chain` and `policy` (which must have a scoreBound), or
   * -1 if none is feasible. Call `sync` first and ask only while `usable`.
   *
   * Every shape's cells (and its empty set) are bounded first and then visited best bound first across
   * all shapes: visiting shape by shape found each shape's best host before moving on, ~5.5 cell
   * visits and ~94 hosts a query in google-2011 at 10k hosts, where the best shape's one or two cells
   * decide it.
   */
  best(chain: CompiledChain, policy: PlacementPolicy, demand: Resources, cache?: BoundCache): number {
    const inv = this.inventory;
    if (cache) this.prepare(cache);
    const needs = this.needs;
    const lo = this.lo;
    const hi = this.hi;
    const candidates = this.candidates;
    const bounds = this.bounds;
    const shapes = this.shapes;
    let best = -1;
    let bestKey = Number.NEGATIVE_INFINITY;
    // What the resources filter asks, to the bit.
    const cpuNeed = demand.cpu - EPSILON;
    const ramNeed = demand.ramMb - EPSILON;
    const diskNeed = demand.diskMb - EPSILON;
    const gpuNeed = demand.gpus - EPSILON;
    // Bound every occupied cell and every empty set; drop cells where no member has room.
    let count = 0;
    const cacheFrom = cache ? cache.from : 0;
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s]!;
      const cap = shape.cap;
      const c0 = cap[0]!;
      const c1 = cap[1]!;
      if (c0 < cpuNeed || c1 < ramNeed || cap[2]! < diskNeed || cap[3]! < gpuNeed) {
        continue; // no host of this shape can ever fit it
      }
      const dims = shape.dims;
      const n = dims.length;
      const at = s * 8;
      for (let k = 0; k < n; k++) {
        const r = dims[k]!;
        needs[at + k] =
          (r === 0 ? demand.cpu : r === 1 ? demand.ramMb : r === 2 ? demand.diskMb : demand.gpus) / cap[r]!;
        needs[at + 4 + k] = cap[r]!;
      }
      const base = s * SLOTS;
      const rowCount = shape.rowCount;
      const rowStamp = shape.rowStamp;
      // Rows (columns) below the first bucket whose top edge reaches the demand hold no host with room.
      const minRow = firstRoomyBucket(cpuNeed, c0);
      this.minCols[s] = firstRoomyBucket(ramNeed, c1);
      for (let row = minRow; row < GRID; row++) {
        if (rowCount[row] === 0) continue;
        const r = s * GRID + row;
        if (cache && cache.rowAt[r]! >= cacheFrom && cache.rowAt[r]! >= rowStamp[row]!) {
          const b = cache.rowMax[r]!;
          if (b > Number.NEGATIVE_INFINITY) {
            candidates[count] = -1 - r; // the row, to expand if picked
            bounds[count++] = b;
          }
        } else {
          const b = this.rowBound(shape, at, row, policy, n);
          WORK.indexCellsBounded++;
          if (cache) {
            // Kept like an expanded row's maximum: it bounds every member until one joins the row
            // (which moves its stamp); members leaving only loosen it.
            cache.rowMax[r] = b;
            cache.rowAt[r] = this.tick;
          }
          if (b > Number.NEGATIVE_INFINITY) {
            candidates[count] = -1 - r; // expanded by pushRow if picked, like a cached row
            bounds[count++] = b;
          }
        }
      }
      if (shape.emptyCount > 0) {
        for (let k = 0; k < n; k++) lo[k] = hi[k] = 1 - needs[at + k]!;
        candidates[count] = base + CELLS;
        bounds[count++] =
          n > 0 ? policy.scoreBound!(lo, hi, n) + LIFT + BOUND_SLACK : Number.POSITIVE_INFINITY;
      }
    }
    // Visit best bound first until nothing left can beat the best key.
    let examined = 0;
    const scoreFree = policy.scoreFree;
    for (;;) {
      let pick = -1;
      let top = bestKey;
      for (let i = 0; i < count; i++) {
        const b = bounds[i]!;
        if (b >= top && (pick < 0 || b > bounds[pick]!)) {
          pick = i;
          top = b;
        }
      }
      if (pick < 0) break;
      const slot = candidates[pick]!;
      candidates[pick] = candidates[--count]!;
      bounds[pick] = bounds[count]!;
      if (slot < 0) {
        const r = -1 - slot;
        count = this.pushRow((r / GRID) | 0, r % GRID, policy, cache, count);
        continue;
      }
      const shape = shapes[(slot / SLOTS) | 0]!;
      const c = slot % SLOTS;
      if (c === CELLS) {
        examined += this.visitEmpty(shape, chain);
        const h = this.found;
        if (h < 0) continue;
        const score = policy.score(inv, h, demand);
        const key = inv.maintenance[h] === SCHEDULED ? score : score + LIFT;
        if (key > bestKey || (key === bestKey && h < best)) {
          best = h;
          bestKey = key;
        }
        continue;
      }
      // One pass over the members: refresh the cell's bounds if a member left since they were
      // last exact, and rank each host. The resources check runs inline on the free arrays; the
      // hosts that beat the best key wait in `pending`, and the chain then runs on them best first
      // until one passes: a host that cannot beat the best feasible one needs no verdict, so the
      // answer is the one a chain-first scan gives. (Checking each host as it beat the best so
      // far ran the chain ~5.5 times a query, ~1.8 of them failing.)
      const maintenance = inv.maintenance;
      const free = this.free;
      const cap = shape.cap;
      const c0 = cap[0]!;
      const c1 = cap[1]!;
      const c2 = cap[2]!;
      const c3 = cap[3]!;
      const slo = shape.lo;
      const shi = shape.hi;
      const stale = shape.stale[c] === 1;
      const at = c * 4;
      let sumLo = Number.POSITIVE_INFINITY;
      if (stale) {
        shape.stale[c] = 0;
        slo.fill(Number.POSITIVE_INFINITY, at, at + 4);
        shi.fill(Number.NEGATIVE_INFINITY, at, at + 4);
      }
      const members = shape.cells[c]!;
      examined += members.length;
      if (this.pendingHosts.length < members.length) {
        this.pendingHosts = new Int32Array(this.capacity);
        this.pendingKeys = new Float64Array(this.capacity);
      }
      const pendingHosts = this.pendingHosts;
      const pendingKeys = this.pendingKeys;
      let pending = 0;
      for (let i = 0; i < members.length; i++) {
        const h = members[i]!;
        const o = h * 4;
        const f0 = free[o]!;
        const f1 = free[o + 1]!;
        const f2 = free[o + 2]!;
        const f3 = free[o + 3]!;
        if (stale) {
          let sum = 0;
          if (c0 > 0) sum += bump(slo, shi, at, f0 / c0);
          if (c1 > 0) sum += bump(slo, shi, at + 1, f1 / c1);
          if (c2 > 0) sum += bump(slo, shi, at + 2, f2 / c2);
          if (c3 > 0) sum += bump(slo, shi, at + 3, f3 / c3);
          if (sum < sumLo) sumLo = sum;
        }
        if (f0 < cpuNeed || f1 < ramNeed || f2 < diskNeed || f3 < gpuNeed) continue;
        const score = scoreFree ? scoreFree(cap, free, o, demand) : policy.score(inv, h, demand);
        const key = maintenance[h] === SCHEDULED ? score : score + LIFT;
        if (!(key > bestKey || (key === bestKey && h < best))) continue;
        pendingHosts[pending] = h;
        pendingKeys[pending++] = key;
      }
      for (let tries = 0; pending > 0; tries++) {
        if (tries === 8) {
          // Many fail the chain: check the rest in any order rather than select each (O(k²)).
          for (let i = 0; i < pending; i++) {
            const h = pendingHosts[i]!;
            const key = pendingKeys[i]!;
            if (!(key > bestKey || (key === bestKey && h < best))) continue;
            if (chain.evaluate(h) !== 0) continue;
            best = h;
            bestKey = key;
          }
          break;
        }
        let p = 0;
        for (let i = 1; i < pending; i++) {
          const key = pendingKeys[i]!;
          if (key > pendingKeys[p]! || (key === pendingKeys[p]! && pendingHosts[i]! < pendingHosts[p]!))
            p = i;
        }
        const h = pendingHosts[p]!;
        if (chain.evaluate(h) === 0) {
          best = h;
          bestKey = pendingKeys[p]!;
          break;
        }
        pendingHosts[p] = pendingHosts[--pending]!;
        pendingKeys[p] = pendingKeys[pending]!;
      }
      if (stale) {
        shape.sumLo[c] = sumLo;
        const row = (c / GRID) | 0;
        shape.stamp[c] = shape.rowStamp[row] = ++this.tick;
        shape.rowLoose[row] = 1; // the cell tightened: the row's bounds may now tighten too
      }
    }
    this.examined += examined;
    WORK.indexQueries++;
    WORK.indexHostsExamined += examined;
    return best;
  }

  /**
   * Bounds the cells of a shape's row from the demand's first roomy column on (from the cache where
   * current) and adds those where a member may have room to the query's candidates; records the
   * row's highest bound in the cache. Returns the new candidate count.
   */
  private pushRow(
    s: number,
    row: number,
    policy: PlacementPolicy,
    cache: BoundCache | undefined,
    count: number,
  ): number {
    const shape = this.shapes[s]!;
    const candidates = this.candidates;
    const bounds = this.bounds;
    const occupied = shape.occupied;
    const stamp = shape.stamp;
    const minCol = this.minCols[s]!;
    const n = shape.dims.length;
    const at = s * 8;
    const base = s * SLOTS;
    const start = row * GRID;
    const end = start + shape.rowCount[row]!;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = start; j < end; j++) {
      const c = occupied[j]!;
      if (c % GRID < minCol) continue;
      const slot = base + c;
      let b: number;
      if (cache && cache.at[slot]! >= cache.from && cache.at[slot]! >= stamp[c]!) {
        b = cache.bounds[slot]!;
      } else {
        b = this.cellBound(shape, at, c, policy, n);
        WORK.indexCellsBounded++;
        if (cache) {
          cache.bounds[slot] = b;
          cache.at[slot] = this.tick;
        }
      }
      if (b > Number.NEGATIVE_INFINITY) {
        candidates[count] = slot;
        bounds[count++] = b;
        if (b > max) max = b;
      }
    }
    if (cache) {
      cache.rowMax[s * GRID + row] = max;
      cache.rowAt[s * GRID + row] = this.tick;
    }
    return count;
  }

  /** Makes room in a cache for every shape's slots and dates a reset one. */
  private prepare(cache: BoundCache): void {
    const slots = this.shapes.length * SLOTS;
    if (cache.at.length < slots) {
      cache.bounds = grow(cache.bounds, slots);
      cache.at = grow(cache.at, slots);
      cache.rowMax = grow(cache.rowMax, this.shapes.length * GRID);
      cache.rowAt = grow(cache.rowAt, this.shapes.length * GRID);
    }
    if (cache.from === Number.POSITIVE_INFINITY) cache.from = ++this.tick;
  }

  /** Set by visitEmpty: the host it found, or -1. */
  private found = -1;

  /**
   * Exactly empty hosts of a shape score alike: the lowest-index feasible one outside SCHEDULED
   * maintenance beats the rest; a SCHEDULED one counts only if there is no other. Leaves it in
   * `found` (-1 if none is feasible) and returns the hosts examined.
   */
  private visitEmpty(shape: Shape, chain: CompiledChain): number {
    const maintenance = this.inventory.maintenance;
    const words = shape.empty;
    let examined = 0;
    let fallback = -1;
    scan: for (let w = 0; w < words.length; w++) {
      let bits = words[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        const h = (w << 5) + (31 - Math.clz32(low));
        bits ^= low;
        examined++;
        if (chain.evaluate(h) !== 0) continue;
        if (maintenance[h] !== SCHEDULED) {
          fallback = h;
          break scan;
        }
        if (fallback < 0) fallback = h;
      }
    }
    this.found = fallback;
    return examined;
  }

  /**
   * The highest rank key any member of cell c could have (−∞ if none has room), from the cell's
   * free-fraction bounds minus the demand's fractions (in `this.needs` from `at`).
   */
  private cellBound(shape: Shape, at: number, c: number, policy: PlacementPolicy, n: number): number {
    return this.boxBound(shape, shape.lo, shape.hi, shape.sumLo[c]!, c, at, policy, n);
  }

  /** The bound of box i (stride 4) of `blo`/`bhi`, a cell's or a row's, with its sum bound `boxSumLo`. */
  private boxBound(
    shape: Shape,
    blo: Float64Array,
    bhi: Float64Array,
    boxSumLo: number,
    i: number,
    at: number,
    policy: PlacementPolicy,
    n: number,
  ): number {
    const needs = this.needs;
    const lo = this.lo;
    const hi = this.hi;
    const dims = shape.dims;
    let needSum = 0;
    for (let k = 0; k < n; k++) {
      const r = dims[k]!;
      const need = needs[at + k]!;
      const top = bhi[i * 4 + r]! - need;
      // Even the member with the most free of this resource lacks room (by more than rounding).
      if (top * needs[at + 4 + k]! < -1e-6) return Number.NEGATIVE_INFINITY;
      lo[k] = blo[i * 4 + r]! - need;
      hi[k] = top;
      needSum += need;
    }
    if (n === 0) return Number.POSITIVE_INFINITY;
    return policy.scoreBound!(lo, hi, n, boxSumLo - needSum) + LIFT + BOUND_SLACK;
  }

  /**
   * The highest rank key any member of a row could have (−∞ if none has room), from the row's bounds
   * (re-gathered from its cells first if loose); never below any of its cells' cellBound.
   */
  private rowBound(shape: Shape, at: number, row: number, policy: PlacementPolicy, n: number): number {
    const rlo = shape.rowLo;
    const rhi = shape.rowHi;
    if (shape.rowLoose[row] === 1) {
      shape.rowLoose[row] = 0;
      const o = row * 4;
      rlo.fill(Number.POSITIVE_INFINITY, o, o + 4);
      rhi.fill(Number.NEGATIVE_INFINITY, o, o + 4);
      let sumLo = Number.POSITIVE_INFINITY;
      const clo = shape.lo;
      const chi = shape.hi;
      const start = row * GRID;
      const end = start + shape.rowCount[row]!;
      for (let j = start; j < end; j++) {
        const c = shape.occupied[j]!;
        for (let r = 0; r < 4; r++) {
          if (clo[c * 4 + r]! < rlo[o + r]!) rlo[o + r] = clo[c * 4 + r]!;
          if (chi[c * 4 + r]! > rhi[o + r]!) rhi[o + r] = chi[c * 4 + r]!;
        }
        if (shape.sumLo[c]! < sumLo) sumLo = shape.sumLo[c]!;
      }
      shape.rowSumLo[row] = sumLo;
    }
    return this.boxBound(shape, rlo, rhi, shape.rowSumLo[row]!, row, at, policy, n);
  }

  private widen(shape: Shape, at: number, inv: FreeSource, h: number): void {
    const cap = shape.cap;
    const lo = shape.lo;
    const hi = shape.hi;
    let sum = 0;
    if (cap[0]! > 0) sum += bump(lo, hi, at, inv.freeCpu[h]! / cap[0]!);
    if (cap[1]! > 0) sum += bump(lo, hi, at + 1, inv.freeRamMb[h]! / cap[1]!);
    if (cap[2]! > 0) sum += bump(lo, hi, at + 2, inv.freeDiskMb[h]! / cap[2]!);
    if (cap[3]! > 0) sum += bump(lo, hi, at + 3, inv.freeGpus[h]! / cap[3]!);
    const c = at >> 2;
    if (sum < shape.sumLo[c]!) shape.sumLo[c] = sum;
    const row = (c / GRID) | 0;
    shape.stamp[c] = shape.rowStamp[row] = ++this.tick;
    // The row's bounds take in the cell's (loose or not, they hold h).
    const o = row * 4;
    const rlo = shape.rowLo;
    const rhi = shape.rowHi;
    for (let r = 0; r < 4; r++) {
      if (lo[at + r]! < rlo[o + r]!) rlo[o + r] = lo[at + r]!;
      if (hi[at + r]! > rhi[o + r]!) rhi[o + r] = hi[at + r]!;
    }
    if (shape.sumLo[c]! < shape.rowSumLo[row]!) shape.rowSumLo[row] = shape.sumLo[c]!;
  }

  /** Brings the index up to date with the inventory's change log (or refiles every host if it fell behind). */
  sync(): void {
    const inv = this.inventory;
    const log = inv.changes;
    if (inv.size > this.capacity) this.reserve(inv.size);
    if (this.cursor < log.base) {
      for (let h = 0; h < inv.size; h++) this.place(h);
    } else {
      const version = inv.version;
      const seen = this.seen;
      for (let seq = this.cursor; seq < log.head; seq++) {
        const h = log.at(seq);
        if (seen[h] !== version[h]) this.place(h);
      }
    }
    this.cursor = log.head;
  }

  private reserve(hosts: number): void {
    const before = this.capacity;
    this.shapeOf = grow(this.shapeOf, hosts, -1);
    this.cellOf = grow(this.cellOf, hosts, -2);
    this.posOf = grow(this.posOf, hosts);
    this.seen = grow(this.seen, hosts);
    this.capacity = this.shapeOf.length;
    this.free = grow(this.free, 4 * this.capacity);
    if (this.capacity === before) return;
    const words = (this.capacity + 31) >>> 5;
    for (const shape of this.shapes) {
      const empty = new Uint32Array(words);
      empty.set(shape.empty);
      shape.empty = empty;
    }
  }

  /** Files host h where its current state belongs. */
  private place(h: number): void {
    const inv = this.inventory;
    this.seen[h] = inv.version[h]!;
    this.unfile(h);
    if (inv.removed[h] === 1) return;
    let s = this.shapeOf[h]!;
    if (s < 0) {
      s = this.shapeFor(h);
      if (s < 0) return;
      this.shapeOf[h] = s;
    }
    const shape = this.shapes[s]!;
    const cap = shape.cap;
    const f0 = inv.freeCpu[h]!;
    const f1 = inv.freeRamMb[h]!;
    const f2 = inv.freeDiskMb[h]!;
    const f3 = inv.freeGpus[h]!;
    const free = this.free;
    free[4 * h] = f0;
    free[4 * h + 1] = f1;
    free[4 * h + 2] = f2;
    free[4 * h + 3] = f3;
    if (f0 === cap[0] && f1 === cap[1] && f2 === cap[2] && f3 === cap[3]) {
      shape.empty[h >>> 5]! |= 1 << (h & 31);
      shape.emptyCount++;
      this.cellOf[h] = -1;
      return;
    }
    const c = axis(f0, cap[0]!) * GRID + axis(f1, cap[1]!);
    const members = shape.cells[c]!;
    this.cellOf[h] = c;
    this.posOf[h] = members.length;
    if (members.length === 0) {
      const row = (c / GRID) | 0;
      const k = shape.rowCount[row]!++;
      shape.occupiedAt[c] = k;
      shape.occupied[row * GRID + k] = c;
    }
    members.push(h);
    this.widen(shape, c * 4, inv, h);
  }

  private unfile(h: number): void {
    const c = this.cellOf[h]!;
    if (c === -2) return;
    const shape = this.shapes[this.shapeOf[h]!]!;
    if (c === -1) {
      shape.empty[h >>> 5]! &= ~(1 << (h & 31));
      shape.emptyCount--;
    } else {
      const members = shape.cells[c]!;
      shape.stale[c] = 1;
      const last = members.pop()!;
      if (members.length === 0) {
        // Swap the cell out of its row's list.
        const row = (c / GRID) | 0;
        shape.rowLoose[row] = 1; // its bounds no longer need to hold the cell's
        const at = shape.occupiedAt[c]!;
        const moved = shape.occupied[row * GRID + --shape.rowCount[row]!]!;
        shape.occupied[row * GRID + at] = moved;
        shape.occupiedAt[moved] = at;
      }
      if (last !== h) {
        const at = this.posOf[h]!;
        members[at] = last;
        this.posOf[last] = at;
      }
    }
    this.cellOf[h] = -2;
  }

  private shapeFor(h: number): number {
    const inv = this.inventory;
    const cap = Float64Array.of(inv.capCpu[h]!, inv.capRamMb[h]!, inv.capDiskMb[h]!, inv.capGpus[h]!);
    const key = cap.join(',');
    const known = this.shapeKeys.get(key);
    if (known !== undefined) return known;
    if (this.shapes.length >= MAX_SHAPES) {
      this.usable = false;
      return -1;
    }
    const dims: number[] = [];
    cap.forEach((c, r) => {
      if (c > 0) dims.push(r);
    });
    this.shapes.push({
      cap,
      dims: Int32Array.from(dims),
      cells: Array.from({ length: CELLS }, () => []),
      occupied: new Int32Array(CELLS),
      occupiedAt: new Int32Array(CELLS),
      rowCount: new Int32Array(GRID),
      lo: new Float64Array(CELLS * 4).fill(Number.POSITIVE_INFINITY),
      hi: new Float64Array(CELLS * 4).fill(Number.NEGATIVE_INFINITY),
      sumLo: new Float64Array(CELLS).fill(Number.POSITIVE_INFINITY),
      stamp: new Float64Array(CELLS),
      rowStamp: new Float64Array(GRID),
      stale: new Uint8Array(CELLS),
      rowLo: new Float64Array(GRID * 4).fill(Number.POSITIVE_INFINITY),
      rowHi: new Float64Array(GRID * 4).fill(Number.NEGATIVE_INFINITY),
      rowSumLo: new Float64Array(GRID).fill(Number.POSITIVE_INFINITY),
      rowLoose: new Uint8Array(GRID),
      empty: new Uint32Array((this.capacity + 31) >>> 5),
      emptyCount: 0,
    });
    this.shapeKeys.set(key, this.shapes.length - 1);
    return this.shapes.length - 1;
  }
}

/**
 * Grid bucket of a free amount (0 when the host has none of the resource, or less than none). The
 * buckets are even in the square root of the free fraction, so finer near empty: packing policies
 * fill hosts up, and with even buckets the nearly full hosts, which the best-bound cell holds, piled
 * into one cell that every query walked (google-2011 at 10k hosts, first 4 h: 61M -> 22M hosts
 * examined). Any monotone bucketing is exact; bounds come from the members, not the bucket edges.
 */
function axis(free: number, cap: number): number {
  if (!(cap > 0)) return 0;
  const x = free / cap;
  if (!(x > 0)) return 0;
  const b = Math.floor(Math.sqrt(x) * GRID);
  return b < 0 ? 0 : b >= GRID ? GRID - 1 : b;
}

/**
 * The lowest bucket that may hold a host with `need` free: every host in a lower bucket has a free
 * fraction below that bucket's top edge, which (with a margin far above rounding) is short of need.
 * The last bucket also holds clamped hosts and is never ruled out.
 */
function firstRoomyBucket(need: number, cap: number): number {
  if (!(cap > 0)) return 0;
  // Start next to the answer (the edge is ((b + 1) / GRID)² × cap) and step to the first bucket
  // whose edge reaches need: the same bucket as counting up from 0, in one or two steps, not up to 32.
  const guess = Math.floor(GRID * Math.sqrt(need > 0 ? need / cap : 0)) - 1;
  let b = guess < 0 ? 0 : guess > GRID - 1 ? GRID - 1 : guess;
  while (b > 0 && roomyEdge(b - 1, cap) >= need) b--;
  while (b < GRID - 1 && !(roomyEdge(b, cap) >= need)) b++;
  return b;
}

/** Top edge of bucket b in free amount, with a margin far above rounding. */
function roomyEdge(b: number, cap: number): number {
  const top = (b + 1) / GRID;
  return top * top * cap * (1 + 1e-9);
}

/** Widens [lo[i], hi[i]] to hold x; returns x. */
function bump(lo: Float64Array, hi: Float64Array, i: number, x: number): number {
  if (x < lo[i]!) lo[i] = x;
  if (x > hi[i]!) hi[i] = x;
  return x;
}
