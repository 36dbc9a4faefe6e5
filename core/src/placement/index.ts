export { PlacementEngine, type PlacementEngineOptions } from './engine/placement-engine.js';
export {
  type Candidate,
  formatRejections,
  type PlacementFailure,
  type PlacementRequest,
  type PlacementResult,
  type PlacementSuccess,
  type PlacementTrace,
  type Placer,
  type Rejection,
  TRACE_CANDIDATES,
} from './engine/placement-types.js';
export { rankKey } from './engine/ranking.js';
export { ReferencePlacer } from './engine/reference-placer.js';
export { readWork, resetWork, WORK, type WorkCounters } from './engine/work-counters.js';
export { CompiledChain, DEFAULT_FILTERS } from './filters/chain.js';
export type {
  CompiledFilter,
  FilterStage,
  LimitWatch,
  PlacementDemand,
  PlacementFilter,
} from './filters/filter.js';
export { HOST_ATTRIBUTE } from './inventory/attribute-table.js';
export { HostInventory, RESOURCE_EPSILON } from './inventory/host-inventory.js';
export * from './inventory/maintenance.js';
export { roleOf, Slot, type TaskPlacement } from './inventory/slot.js';
export { type PlacementPolicy, type PolicyOptions, SCORE_MAX } from './policies/policy.js';
export {
  createPolicy,
  DEFAULT_POLICY,
  POLICIES,
  POLICY_NAMES,
  type PolicyInfo,
} from './policies/registry.js';
