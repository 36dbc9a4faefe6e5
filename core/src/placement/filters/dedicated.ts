import { DEDICATED_ATTRIBUTE } from '../../model/constraint.js';
import type { PlacementFilter } from './filter.js';

/**
 * Aurora's dedicated hosts. A host whose `dedicated` attribute is set (`role/name` or `*\/name`)
 * takes only tasks whose `dedicated` constraint names that value, and a task with a `dedicated`
 * constraint goes only to such hosts. A value's role must be the job's role or `*`: a job cannot
 * claim hosts dedicated to another role.
 */
export const dedicatedFilter: PlacementFilter = {
  name: 'dedicated',
  description: 'dedicated hosts take only the jobs they are dedicated to; dedicated jobs go only there',
  compile(demand, inventory) {
    const table = inventory.attributes;
    const attribute = table.intern(DEDICATED_ATTRIBUTE);
    const wanted = demand.constraints.find((c) => c.attribute === DEDICATED_ATTRIBUTE && c.kind === 'value');
    if (wanted?.kind !== 'value') {
      return {
        filter: 'dedicated',
        stage: 'static',
        reasons: ['dedicated host'],
        // Method syntax: tsx keeps function names, and an arrow in a property costs a __name call
        // (defineProperty) per class compiled, ~214k a day in google-2011.
        check(h) {
          return table.value(attribute, h) >= 0 ? 1 : 0;
        },
        checkAll(n, out, offset) {
          const column = table.column(attribute);
          for (let h = 0; h < n; h++) if (out[h] === 0 && column[h]! >= 0) out[h] = offset + 1;
        },
      };
    }
    const allowed = wanted.values
      .filter((v) => {
        const role = v.slice(0, v.indexOf('/'));
        return role === '*' || role === demand.role;
      })
      .map((v) => table.internValue(attribute, v));
    return {
      filter: 'dedicated',
      stage: 'static',
      reasons: [`not dedicated to ${wanted.values.join(',')}`],
      within: [{ attribute, values: allowed }],
      check(h) {
        const v = table.value(attribute, h);
        return v >= 0 && allowed.includes(v) ? 0 : 1;
      },
      checkAll(n, out, offset) {
        const column = table.column(attribute);
        for (let h = 0; h < n; h++) {
          if (out[h] !== 0) continue;
          const v = column[h]!;
          if (!(v >= 0 && allowed.includes(v))) out[h] = offset + 1;
        }
      },
    };
  },
};
