import type { ChangeLog } from '../inventory/change-log.js';

/**
 * What the FreeIndex reads about hosts: per-host columns of capacity and of what is available now,
 * removal and maintenance flags, and a change log (host index per change, with a version per host)
 * to follow. HostInventory is one such source (available = free resources); the core's offer model
 * can be another (available = what the host's current offer holds, zero without one): the index
 * files hosts by these columns alone, so either source gives the same walk over its own numbers.
 * Every change to a column must bump `version[h]` and append h to `changes`.
 */
export interface FreeSource {
  /** Host index range (removed hosts included). */
  readonly size: number;
  readonly changes: ChangeLog;
  readonly version: Uint32Array;
  /** 1 once a host is removed: never indexed again. */
  readonly removed: Uint8Array;
  /** Maintenance mode per host (MAINTENANCE_SCHEDULED ranks last). */
  readonly maintenance: Uint8Array;
  readonly capCpu: Float64Array;
  readonly capRamMb: Float64Array;
  readonly capDiskMb: Float64Array;
  readonly capGpus: Float64Array;
  /** What a task could take on the host now. */
  readonly freeCpu: Float64Array;
  readonly freeRamMb: Float64Array;
  readonly freeDiskMb: Float64Array;
  readonly freeGpus: Float64Array;
}
