import { MAINTENANCE_DRAINED, MAINTENANCE_DRAINING } from '../inventory/maintenance.js';
import type { PlacementFilter } from './filter.js';

// Imported bindings are read through getters when modules are transpiled (tsx), which V8 does not
// always inline; hot loops use these module-local copies.
const DRAINING = MAINTENANCE_DRAINING;
const DRAINED = MAINTENANCE_DRAINED;

/** DRAINING and DRAINED hosts take no new tasks. SCHEDULED hosts pass; the ranking puts them last. */
export const maintenanceFilter: PlacementFilter = {
  name: 'maintenance',
  description: 'the host is not DRAINING or DRAINED (SCHEDULED hosts pass but are ranked last)',
  compile(_demand, inventory) {
    return {
      filter: 'maintenance',
      stage: 'host',
      reasons: ['host draining', 'host drained'],
      check(h) {
        const m = inventory.maintenance[h]!;
        if (m === DRAINING) return 1;
        if (m === DRAINED) return 2;
        return 0;
      },
      checkAll(n, out, offset) {
        const maintenance = inventory.maintenance;
        for (let h = 0; h < n; h++) {
          if (out[h] !== 0) continue;
          const m = maintenance[h]!;
          if (m === DRAINING) out[h] = offset + 1;
          else if (m === DRAINED) out[h] = offset + 2;
        }
      },
    };
  },
};
