export { evaluateSlo, parseSlo } from './analysis/slo.js';
export { simCommands } from './cli/sim-command.js';
export { type Comparison, compare } from './compare/compare.js';
export { EventQueue } from './engine/event-queue.js';
export type { Percentiles, RunSummary, TaskCounts } from './output/summary.js';
export { type RunHooks, runSimulation } from './run/run-sim.js';
export { DEFAULTS, type SimOptions } from './run/sim-options.js';
export { type SchedulerFactory, type SimProgress, Simulation } from './run/simulation.js';
