import type { AttributeTable } from './attribute-table.js';
import { ChangeLog } from './change-log.js';
import { grow } from './grow.js';
import type { Slot } from './slot.js';

/** Records a job-count change: attribute id, value id, count after the change, delta (+1/-1). */
export const JOB_LOG_STRIDE = 4;

/**
 * The live tasks of one job and, for each attribute some `limit:N` constraint asked about, how many
 * of them run on hosts with each value. Counts are built lazily the first time an attribute is asked
 * for, then kept up to date; every change is logged so placement classes can re-check only the
 * hosts of a value whose count crossed their limit.
 */
export class JobLedger {
  readonly slots = new Set<Slot>();
  readonly log = new ChangeLog(JOB_LOG_STRIDE);
  private readonly counts = new Map<number, Int32Array>();

  constructor(
    readonly job: string,
    private readonly attributes: AttributeTable,
  ) {}

  /** Live tasks of this job on hosts whose `attribute` has value `value`. */
  count(attribute: number, value: number): number {
    const counts = this.counts.get(attribute) ?? this.track(attribute);
    return value < counts.length ? counts[value]! : 0;
  }

  /** Starts counting an attribute (idempotent); counts are rebuilt from the live slots. */
  track(attribute: number): Int32Array {
    let counts = this.counts.get(attribute);
    if (counts) return counts;
    counts = new Int32Array(Math.max(16, this.attributes.valueCount(attribute)));
    for (const slot of this.slots) {
      const v = this.attributes.value(attribute, slot.host);
      if (v >= 0) {
        counts = grow(counts, v + 1);
        counts[v]!++;
      }
    }
    this.counts.set(attribute, counts);
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

  private change(host: number, delta: number): void {
    for (const [attribute, current] of this.counts) {
      const v = this.attributes.value(attribute, host);
      if (v < 0) continue;
      const counts = grow(current, v + 1);
      if (counts !== current) this.counts.set(attribute, counts);
      counts[v]! += delta;
      this.log.push4(attribute, v, counts[v]!, delta);
    }
    this.log.trim(1024);
  }
}
