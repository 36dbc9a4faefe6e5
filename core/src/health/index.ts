export * from './health-timeline.js';
export * from './health-tracker.js';
