import { RESOURCE_EPSILON } from '../inventory/host-inventory.js';
import type { PlacementFilter } from './filter.js';

/** Free cpu, ram, disk and gpus (fractional gpus allowed) cover the task's demand. */
export const resourcesFilter: PlacementFilter = {
  name: 'resources',
  description: 'enough free cpu, ram, disk and gpus (gpus may be fractional)',
  compile(demand, inventory) {
    const { cpu, ramMb, diskMb, gpus } = demand.resources;
    const cpuNeed = cpu - RESOURCE_EPSILON;
    const ramNeed = ramMb - RESOURCE_EPSILON;
    const diskNeed = diskMb - RESOURCE_EPSILON;
    const gpuNeed = gpus - RESOURCE_EPSILON;
    return {
      filter: 'resources',
      stage: 'host',
      reasons: ['insufficient cpu', 'insufficient ramMb', 'insufficient diskMb', 'insufficient gpus'],
      check(h) {
        if (inventory.freeCpu[h]! < cpuNeed) return 1;
        if (inventory.freeRamMb[h]! < ramNeed) return 2;
        if (inventory.freeDiskMb[h]! < diskNeed) return 3;
        if (inventory.freeGpus[h]! < gpuNeed) return 4;
        return 0;
      },
      checkAll(n, out, offset) {
        const freeCpu = inventory.freeCpu;
        const freeRamMb = inventory.freeRamMb;
        const freeDiskMb = inventory.freeDiskMb;
        const freeGpus = inventory.freeGpus;
        for (let h = 0; h < n; h++) {
          if (out[h] !== 0) continue;
          if (freeCpu[h]! < cpuNeed) out[h] = offset + 1;
          else if (freeRamMb[h]! < ramNeed) out[h] = offset + 2;
          else if (freeDiskMb[h]! < diskNeed) out[h] = offset + 3;
          else if (freeGpus[h]! < gpuNeed) out[h] = offset + 4;
        }
      },
    };
  },
};
