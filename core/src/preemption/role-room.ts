import { DIMS } from './dims.js';
import { PairTable } from './pair-table.js';

/** Doubles per (role, host) pair: production room ×DIMS, then preemptible room ×DIMS. */
export const PAIR_STRIDE = 2 * DIMS;

const NONE = -1;

/**
 * The room each role's tasks hold on each host, for same-role preemption: per (role, host) pair a
 * vector [production room ×DIMS, preemptible room ×DIMS] of the role's tasks there that are not
 * already victims. A pair exists while its room is not all zero.
 *
 * Flat typed arrays instead of nested Maps (role → host → vector): a pair is an index into columns,
 * found through a typed-array hash table keyed by (role id, host), and freed pairs are reused. (A
 * chain per host was tried first: hosts of a 10k-host google-2011 run carry ~9 roles, so a lookup
 * walked ~7.5 scattered pairs.) The nested Maps cost ~7 s of a one-day 10k-host google-2011 run (countRoom
 * 3.4 s, remove 3.0 s self), mostly hashing and Map churn as pairs came and went with every task.
 *
 * Each role's pairs also form a doubly linked list in the order the pairs were created, and a pair
 * that empties leaves the list: exactly the iteration order of the Map it replaces (insertion order,
 * deleted keys dropped, re-inserted keys at the end). The victim search scans a role's hosts in this
 * order and breaks ties by it, so the order is part of the decisions.
 */
export class RoleRoom {
  /** Room vectors, PAIR_STRIDE doubles per pair (re-read after any change: the column may grow). */
  room = new Float64Array(0);
  private pairHost = new Int32Array(0);
  private pairRole = new Int32Array(0);
  /** (role id, host) → pair. */
  private readonly pairs = new PairTable();
  /** Next and previous pair of the same role, in creation order; next also links free pairs. */
  private pairNext = new Int32Array(0);
  private pairPrev = new Int32Array(0);
  private pairCount = 0;
  private freePair = NONE;

  private roleFirst = new Int32Array(0);
  private roleLast = new Int32Array(0);
  private readonly roleIds = new Map<string, number>();

  /** The role's id, interned on first use (ids are never dropped; there are few roles). */
  roleId(role: string): number {
    let id = this.roleIds.get(role);
    if (id === undefined) {
      id = this.roleIds.size;
      this.roleIds.set(role, id);
      if (id >= this.roleFirst.length) {
        const size = Math.max(16, 2 * this.roleFirst.length);
        this.roleFirst = resizedInt(this.roleFirst, size, NONE);
        this.roleLast = resizedInt(this.roleLast, size, NONE);
      }
    }
    return id;
  }

  /** The role's id if it was ever seen, else -1 (does not intern). */
  knownRole(role: string): number {
    return this.roleIds.get(role) ?? NONE;
  }

  /** The first pair of a role in creation order, or -1 if the role holds no room anywhere. */
  first(roleId: number): number {
    return roleId < 0 || roleId >= this.roleFirst.length ? NONE : this.roleFirst[roleId]!;
  }

  /** The role's next pair after `pair`, or -1. */
  next(pair: number): number {
    return this.pairNext[pair]!;
  }

  hostOf(pair: number): number {
    return this.pairHost[pair]!;
  }

  /** The pair of (role, host), or -1 if the role holds no room there. */
  pairOf(roleId: number, h: number): number {
    return roleId < 0 ? NONE : this.pairs.get(roleId, h);
  }

  /**
   * Adds (sign 1) or subtracts (sign -1) a task's demand to its role's room on host h, in the
   * production or preemptible half. A pair is created if missing and dropped when a subtraction
   * leaves it all zero. Sums snap to zero within 1e-9 so fractional cpu never leaves a pair alive.
   */
  change(roleId: number, h: number, demand: Float64Array, preemptible: boolean, sign: 1 | -1): void {
    let pair = this.pairOf(roleId, h);
    if (pair === NONE) pair = this.create(roleId, h);
    const room = this.room;
    const at = pair * PAIR_STRIDE;
    const base = at + (preemptible ? DIMS : 0);
    for (let d = 0; d < DIMS; d++) {
      const v = room[base + d]! + sign * demand[d]!;
      room[base + d] = Math.abs(v) < 1e-9 ? 0 : v;
    }
    if (sign > 0) return;
    for (let d = 0; d < PAIR_STRIDE; d++) if (room[at + d] !== 0) return;
    this.drop(pair);
  }

  private create(roleId: number, h: number): number {
    let pair = this.freePair;
    if (pair !== NONE) this.freePair = this.pairNext[pair]!;
    else {
      pair = this.pairCount++;
      if (pair * PAIR_STRIDE >= this.room.length) this.growPairs();
    }
    // A pair's room is all zero when it is dropped, so a reused pair starts empty.
    this.pairHost[pair] = h;
    this.pairRole[pair] = roleId;
    this.pairs.add(roleId, h, pair);
    const last = this.roleLast[roleId]!;
    this.pairPrev[pair] = last;
    this.pairNext[pair] = NONE;
    if (last === NONE) this.roleFirst[roleId] = pair;
    else this.pairNext[last] = pair;
    this.roleLast[roleId] = pair;
    return pair;
  }

  private drop(pair: number): void {
    const roleId = this.pairRole[pair]!;
    const prev = this.pairPrev[pair]!;
    const next = this.pairNext[pair]!;
    if (prev === NONE) this.roleFirst[roleId] = next;
    else this.pairNext[prev] = next;
    if (next === NONE) this.roleLast[roleId] = prev;
    else this.pairPrev[next] = prev;
    this.pairs.delete(roleId, this.pairHost[pair]!);
    this.pairNext[pair] = this.freePair;
    this.freePair = pair;
  }

  private growPairs(): void {
    const pairs = Math.max(64, 2 * this.pairHost.length);
    const room = new Float64Array(pairs * PAIR_STRIDE);
    room.set(this.room);
    this.room = room;
    this.pairHost = resizedInt(this.pairHost, pairs, NONE);
    this.pairRole = resizedInt(this.pairRole, pairs, NONE);
    this.pairNext = resizedInt(this.pairNext, pairs, NONE);
    this.pairPrev = resizedInt(this.pairPrev, pairs, NONE);
  }
}

function resizedInt(a: Int32Array, length: number, fill: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  b.fill(fill, a.length);
  return b;
}
