import type { AttributeTable } from './attribute-table.js';
import { ChangeLog } from './change-log.js';
import { grow } from './grow.js';
import { roleOf, type Slot } from './slot.js';

/** Records a job-count change: attribute id, value id, count after the change, delta (+1/-1). */
export const JOB_LOG_STRIDE = 4;

/**
 * Zeroed count arrays of dropped ledgers, by attribute id, for the next ledger that tracks the same
 * attribute. A count array has one entry per value of its attribute: for `host` that is one per host
 * (40 KB at 10,000 hosts), and a one-day 10k-host google-2011 run creates a ledger for a `host:
 * limit:1` job tens of thousands of times (its tasks end, the job's next task arrives).
 */
export class SpareCounts {
  private readonly byAttribute: Int32Array[][] = [];

  /** A zeroed array of exactly `length` entries for `attribute`, or undefined. */
  take(attribute: number, length: number): Int32Array | undefined {
    const spare = this.byAttribute[attribute];
    const counts = spare?.pop();
    // Only an array of the exact length a new ledger would allocate: the length is visible to readers
    // (values past it count as zero without being stored).
    return counts !== undefined && counts.length === length ? counts : undefined;
  }

  /** Keeps an all-zero array for reuse (at most a few per attribute). */
  give(attribute: number, counts: Int32Array): void {
    let spare = this.byAttribute[attribute];
    if (!spare) {
      spare = [];
      this.byAttribute[attribute] = spare;
    }
    if (spare.length < MAX_SPARE) spare.push(counts);
  }
}

const MAX_SPARE = 16;

/**
 * The live tasks of one job and, for each attribute some `limit:N` constraint asked about, how many
 * of them run on hosts with each value. Counts are built lazily the first time an attribute is asked
 * for, then kept up to date; every change is logged so placement classes can re-check only the
 * hosts of a value whose count crossed their limit.
 */
export class JobLedger {
  readonly slots = new Set<Slot>();
  readonly log = new ChangeLog(JOB_LOG_STRIDE);
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
    private readonly spare?: SpareCounts,
  ) {
    this.role = roleOf(job);
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
    let counts = this.spare?.take(attribute, length) ?? new Int32Array(length);
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
    this.slots.add(slot);
    this.change(slot.host, 1);
  }

  removed(slot: Slot): void {
    this.slots.delete(slot);
    this.change(slot.host, -1);
  }

  /**
   * The ledger is being dropped (no live slots left): its count arrays are all zero again (every +1
   * was matched by a -1 on the same host, whose values never change) and go back to the spares.
   */
  retire(): void {
    if (!this.spare || this.slots.size > 0) return;
    for (let i = 0; i < this.attributeIds.length; i++)
      this.spare.give(this.attributeIds[i]!, this.countArrays[i]!);
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
      const counts = grow(this.countArrays[i]!, v + 1);
      this.countArrays[i] = counts;
      counts[v]! += delta;
      this.log.push4(attribute, v, counts[v]!, delta);
    }
    this.log.trim(1024);
  }
}
