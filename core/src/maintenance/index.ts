export * from './sla.js';
export * from './sla-drain-policy.js';
