export * from './builders.js';
export * from './harness.js';
export * from './manual-clock.js';
