import { HOST_ATTRIBUTE } from '../inventory/attribute-table.js';
import type { Slot } from '../inventory/slot.js';
import type { LimitWatch, PlacementFilter } from './filter.js';

/**
 * `limit:N` on an attribute: at most N live tasks of the same job on hosts sharing a value of it
 * (`host: limit:1` = one per host, `rack: limit:2` = two per rack). A host without the attribute
 * is rejected, as Aurora does.
 */
export const limitFilter: PlacementFilter = {
  name: 'limit',
  description: 'limit:N — at most N live tasks of the same job per attribute value',
  compile(demand, inventory) {
    if (demand.constraints.length === 0) return undefined; // most tasks: skip building empty rules
    const table = inventory.attributes;
    const rules = demand.constraints.flatMap((c) =>
      c.kind === 'limit' ? [{ attribute: table.intern(c.attribute), limit: c.limit, name: c.attribute }] : [],
    );
    if (rules.length === 0) return undefined;
    const job = demand.job;
    const hostAttribute = table.attributeId(HOST_ATTRIBUTE);
    const limits: LimitWatch[] = rules.map(({ attribute, limit }) => ({ attribute, limit }));
    // Two reasons per rule: index 2i+1 = at the limit, 2i+2 = attribute missing.
    const reasons = rules.flatMap((r) => [`limit:${r.limit} on ${r.name}`, `no ${r.name} attribute`]);
    return {
      filter: 'limit',
      stage: 'job',
      reasons,
      limits,
      check(h) {
        for (let i = 0; i < rules.length; i++) {
          const rule = rules[i]!;
          const v = table.value(rule.attribute, h);
          if (v < 0) return 2 * i + 2;
          // Per host, the job's tasks on it are counted from the host's slots: the ledger's count would
          // first build a count array over every host id (10k entries at 10k hosts) for each job that
          // asks, and most limit:1 jobs are placed by FreeIndex walks that never need it (0.46 s of a
          // 4 h 10k-host google-2011 profile). The same number: one live host carries each id.
          const count =
            rule.attribute === hostAttribute
              ? jobSlotsOn(inventory.slotsOn(h), job)
              : inventory.liveCount(job, rule.attribute, v);
          if (count >= rule.limit) return 2 * i + 1;
        }
        return 0;
      },
      checkAll(n, out, offset) {
        // The same verdicts as check, with the job's ledger and count arrays looked up once.
        const ledger = inventory.jobLedger(job);
        const columns = rules.map((r) => table.column(r.attribute));
        const counts = rules.map((r) => ledger?.track(r.attribute));
        for (let h = 0; h < n; h++) {
          if (out[h] !== 0) continue;
          for (let i = 0; i < rules.length; i++) {
            const v = columns[i]![h]!;
            if (v < 0) {
              out[h] = offset + 2 * i + 2;
              break;
            }
            const c = counts[i];
            if (c !== undefined && v < c.length && c[v]! >= rules[i]!.limit) {
              out[h] = offset + 2 * i + 1;
              break;
            }
          }
        }
      },
    };
  },
};

/** Slots of `job` among a host's slots. */
function jobSlotsOn(slots: readonly Slot[], job: string): number {
  let n = 0;
  for (let i = 0; i < slots.length; i++) if (slots[i]!.job === job) n++;
  return n;
}
