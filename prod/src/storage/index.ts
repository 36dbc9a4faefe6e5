export type { StoreContent } from './backup-format.js';
export { configHash } from './config-dedup.js';
export { FileStorage, type FileStorageOptions } from './file-storage.js';
export { countingFsOps, type FsCounts, type FsOps, nodeFsOps } from './fs-ops.js';
export { type OpenStorageOptions, openStorage, parseStorageSpec, type StorageSpec } from './open-storage.js';
export * from './types.js';
export { bumpEpoch, epochPath } from './zk-epoch.js';
export { ZkStorage, type ZkStorageOptions } from './zk-storage.js';
