import type { MaintenanceMode } from '../../scheduler/api.js';

/** Maintenance modes as the small integers stored per host, in Aurora's order. */
export const MAINTENANCE_MODES = [
  'NONE',
  'SCHEDULED',
  'DRAINING',
  'DRAINED',
] as const satisfies readonly MaintenanceMode[];

export const MAINTENANCE_NONE = 0;
export const MAINTENANCE_SCHEDULED = 1;
export const MAINTENANCE_DRAINING = 2;
export const MAINTENANCE_DRAINED = 3;

export function maintenanceCode(mode: MaintenanceMode): number {
  return MAINTENANCE_MODES.indexOf(mode);
}
