export * from './model/index.js';
export type * from './scheduler/api.js';
export * from './cron/index.js';
