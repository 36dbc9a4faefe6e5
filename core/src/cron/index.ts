export * from './cron-runtime.js';
export * from './crontab.js';
export * from './next-fire.js';
