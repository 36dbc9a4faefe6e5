export * from './backoff.js';
export * from './binary-heap.js';
export * from './pending-queue.js';
export * from './queue-order.js';
export * from './queue-round.js';
export * from './reasons.js';
export * from './task-group.js';
