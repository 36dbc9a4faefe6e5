import { DEDICATED_ATTRIBUTE } from '../../model/constraint.js';
import { formatConstraint } from '../../model/parse-constraint.js';
import type { PlacementFilter } from './filter.js';

/**
 * Value constraints on host attributes (`host` is the host id): `zone=a` needs one of the listed
 * values, `zone=!a` none of them. A host without the attribute fails a positive constraint and
 * passes a negated one, as in Aurora.
 */
export const valueConstraintFilter: PlacementFilter = {
  name: 'constraint',
  description: 'value, list and negated constraints on host attributes (host, rack, zone, ...)',
  compile(demand, inventory) {
    if (demand.constraints.length === 0) return undefined; // most tasks: skip building empty rules
    const table = inventory.attributes;
    const rules = demand.constraints
      .filter((c) => c.kind === 'value' && c.attribute !== DEDICATED_ATTRIBUTE)
      .map((c) => {
        if (c.kind !== 'value') throw new Error('unreachable');
        const attribute = table.intern(c.attribute);
        return {
          attribute,
          negated: c.negated,
          values: Int32Array.from(c.values, (v) => table.internValue(attribute, v)),
          reason: `constraint ${c.attribute}=${formatConstraint(c)}`,
        };
      });
    if (rules.length === 0) return undefined;
    return {
      filter: 'constraint',
      stage: 'static',
      reasons: rules.map((r) => r.reason),
      // A listed (not negated) rule passes only the hosts carrying one of its values.
      within: rules
        .filter((r) => !r.negated)
        .map((r) => ({ attribute: r.attribute, values: Array.from(r.values) })),
      check(h) {
        for (let i = 0; i < rules.length; i++) {
          const rule = rules[i]!;
          const v = table.value(rule.attribute, h);
          const listed = v >= 0 && has(rule.values, v);
          if (listed === rule.negated) return i + 1;
        }
        return 0;
      },
      checkAll(n, out, offset) {
        const columns = rules.map((r) => table.column(r.attribute));
        for (let h = 0; h < n; h++) {
          if (out[h] !== 0) continue;
          for (let i = 0; i < rules.length; i++) {
            const rule = rules[i]!;
            const v = columns[i]![h]!;
            const listed = v >= 0 && has(rule.values, v);
            if (listed === rule.negated) {
              out[h] = offset + i + 1;
              break;
            }
          }
        }
      },
    };
  },
};

/** Whether `values` holds v: constraint lists are short, and a loop V8 inlines beats a builtin call per host. */
function has(values: Int32Array, v: number): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] === v) return true;
  return false;
}
