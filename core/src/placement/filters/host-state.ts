import type { PlacementFilter } from './filter.js';

/** Rejects hosts that are down and, in offer mode, hosts whose resources are not on offer. */
export const hostStateFilter: PlacementFilter = {
  name: 'host-state',
  description: 'the host is up and, with Mesos offers, currently offered',
  compile(_demand, inventory) {
    return {
      filter: 'host-state',
      stage: 'host',
      reasons: ['host down', 'no offer'],
      check(h) {
        if (inventory.up[h] === 0) return 1;
        if (inventory.offerMode && inventory.offered[h] === 0) return 2;
        return 0;
      },
      checkAll(n, out, offset) {
        const up = inventory.up;
        const offered = inventory.offered;
        const offerMode = inventory.offerMode;
        for (let h = 0; h < n; h++) {
          if (out[h] !== 0) continue;
          if (up[h] === 0) out[h] = offset + 1;
          else if (offerMode && offered[h] === 0) out[h] = offset + 2;
        }
      },
    };
  },
};
