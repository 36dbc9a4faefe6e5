export * from './preemption-index.js';
export * from './rules.js';
export * from './victim-search.js';
