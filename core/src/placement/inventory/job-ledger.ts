import type { AttributeTable } from './attribute-table.js';
import { ChangeLog } from './change-log.js';
import { grow } from './grow.js';
import type { Int32Pool } from './int32-pool.js';
import { roleOf, type Slot } from './slot.js';

/** Records a job-count change: attribute id, value id, count after the change, delta (+1/-1). */
export const JOB_LOG_STRIDE = 4;

/**
 * The live tasks of one job and, for each attribute some `limit:N` constraint asked about, how many
 * of them run on hosts with each value. Counts are built lazily the first time an attribute is asked
 * for, then kept up to date; every change is logged so placement classes can re-check only the
 * hosts of a value whose count crossed their limit.
 */
export class JobLedger {
  /**
   * Live slots, in no particular order (each knows its position, `jobPos`, for O(1) removal): an
   * array instead of a Set saves two hash operations per placed task. Do not mutate.
   */
  readonly slots: Slot[] = [];
  readonly log: ChangeLog;
  /** The job's role, derived once for all its slots. */
  readonly role: string;
  /**
   * Tracked attributes and their count arrays, in the order they were first tracked (the log order
   * of one change). Parallel arrays: a job tracks one or two attributes, so a scan beats a Map.
   */
  private readonly attributeIds: number[] = [];
  private readonly countArrays: Int32Array[] = [];

  constructor(
    readonly job: string,
    private readonly attributes: AttributeTable,
    /** Where count arrays come from (all-zero ones only go back) and the log's storage. */
    private readonly pools?: { readonly counts: Int32Pool; readonly logs: Int32Pool },
  ) {
    this.role = roleOf(job);
    this.log = new ChangeLog(JOB_LOG_STRIDE, pools?.logs);
  }

  /** Live tasks of this job on hosts whose `attribute` has value `value`. */
  count(attribute: number, value: number): number {
    const counts = this.counts(attribute) ?? this.track(attribute);
    return value < counts.length ? counts[value]! : 0;
  }

  /** Starts counting an attribute (idempotent); counts are rebuilt from the live slots. */
  track(attribute: number): Int32Array {
    const known = this.counts(attribute);
    if (known) return known;
    const length = Math.max(16, this.attributes.valueCount(attribute));
    let counts = this.pools ? this.pools.counts.take(attribute, length) : new Int32Array(length);
    for (const slot of this.slots) {
      const v = this.attributes.value(attribute, slot.host);
      if (v >= 0) {
        counts = grow(counts, v + 1);
        counts[v]!++;
      }
    }
    this.attributeIds.push(attribute);
    this.countArrays.push(counts);
    return counts;
  }

  added(slot: Slot): void {
    slot.jobPos = this.slots.length;
    this.slots.push(slot);
    this.change(slot.host, 1);
  }

  removed(slot: Slot): void {
    const slots = this.slots;
    const last = slots.pop()!;
    if (last !== slot) {
      slots[slot.jobPos] = last;
      last.jobPos = slot.jobPos;
    }
    slot.jobPos = -1;
    this.change(slot.host, -1);
  }

  /**
   * The ledger is being dropped (no live slots left; nobody reads a dropped ledger): its count arrays
   * are all zero again (every +1 was matched by a -1 on the same host, whose values never change)
   * and go back to the pool with its log's storage.
   */
  retire(): void {
    if (!this.pools || this.slots.length > 0) return;
    for (let i = 0; i < this.countArrays.length; i++) {
      this.pools.counts.give(this.attributeIds[i]!, this.countArrays[i]!);
    }
    this.log.release();
    this.attributeIds.length = 0;
    this.countArrays.length = 0;
  }

  private counts(attribute: number): Int32Array | undefined {
    const ids = this.attributeIds;
    for (let i = 0; i < ids.length; i++) if (ids[i] === attribute) return this.countArrays[i];
    return undefined;
  }

  private change(host: number, delta: number): void {
    const ids = this.attributeIds;
    if (ids.length === 0) return;
    for (let i = 0; i < ids.length; i++) {
      const attribute = ids[i]!;
      const v = this.attributes.value(attribute, host);
      if (v < 0) continue;
      let counts = this.countArrays[i]!;
      // Grown only for a value id that appeared after tracking began (a host added since).
      if (v >= counts.length) {
        counts = grow(counts, v + 1);
        this.countArrays[i] = counts;
      }
      counts[v]! += delta;
      this.log.push4(attribute, v, counts[v]!, delta);
    }
    this.log.trim(1024);
  }
}
