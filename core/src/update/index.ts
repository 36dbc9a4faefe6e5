export * from './config-identity.js';
export * from './instance-diff.js';
export * from './update-driver.js';
export * from './update-machine.js';
export * from './update-quota.js';
export * from './update-status.js';
