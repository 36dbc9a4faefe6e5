export * from './config/index.js';
export * from './cron/index.js';
export * from './driver/index.js';
export * from './health/index.js';
export * from './lifecycle/index.js';
export * from './maintenance/index.js';
export * from './model/index.js';
export * from './placement/index.js';
export * from './preemption/index.js';
export * from './queue/index.js';
export * from './quota/index.js';
export type * from './scheduler/api.js';
export { createScheduler } from './scheduler/create.js';
export { type DurableHost, DurableState } from './scheduler/durable-state.js';
export {
  type CoreSnapshot,
  decodeSnapshot,
  encodeSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type StoredJobV1,
  type TaskColumnsV1,
} from './scheduler/snapshot-codec.js';
export * from './store/index.js';
export * from './update/index.js';
