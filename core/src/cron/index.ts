export * from './crontab.js';
export * from './next-fire.js';
