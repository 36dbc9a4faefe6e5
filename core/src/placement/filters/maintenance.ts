import { MAINTENANCE_DRAINED, MAINTENANCE_DRAINING } from '../inventory/maintenance.js';
import type { PlacementFilter } from './filter.js';

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
        if (m === MAINTENANCE_DRAINING) return 1;
        if (m === MAINTENANCE_DRAINED) return 2;
        return 0;
      },
    };
  },
};
