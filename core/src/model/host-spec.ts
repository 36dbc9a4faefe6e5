import type { PortRange, Resources } from './resources.js';

/** A host as the core sees it: its capacity, its port ranges and its attributes. */
export interface HostSpec {
  readonly id: string;
  readonly resources: Resources;
  readonly ports: readonly PortRange[];
  /** e.g. { rack: 'r01', zone: 'a', gpuModel: 'V100', dedicated: 'www/web' }. `host` is implied by id. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Aurora's host maintenance modes. DRAINING hosts have their tasks killed (reason `drain`); DRAINED hosts are empty. */
export type MaintenanceMode = 'NONE' | 'SCHEDULED' | 'DRAINING' | 'DRAINED';
