export * from './config/index.js';
export * from './cron/index.js';
export * from './lifecycle/index.js';
export * from './model/index.js';
export * from './placement/index.js';
export type * from './scheduler/api.js';
export * from './store/index.js';
