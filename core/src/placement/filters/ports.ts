import type { PlacementFilter } from './filter.js';

/** The host's port ranges still have a free port for each named port of the task. */
export const portsFilter: PlacementFilter = {
  name: 'ports',
  description: 'enough free ports in the host port ranges for every named port',
  compile(demand, inventory) {
    const need = demand.portCount;
    if (need === 0) return undefined;
    return {
      filter: 'ports',
      stage: 'host',
      reasons: ['insufficient ports'],
      check(h) {
        return inventory.ports.free(h) < need ? 1 : 0;
      },
      checkAll(n, out, offset) {
        const free = inventory.ports.freeColumn();
        for (let h = 0; h < n; h++) if (out[h] === 0 && free[h]! < need) out[h] = offset + 1;
      },
    };
  },
};
