import type { BenchSuite } from '../harness/suite.js';
import { core } from './core.js';
import { mesosSuite } from './mesos.js';
import { placement } from './placement.js';
import { preemption } from './preemption.js';
import { prodSuite } from './prod.js';
import { sim, simBaseline } from './sim.js';
import { simDays, simMonth, simSaturated, simScaling, simTight } from './sim-workloads.js';
import { storage } from './storage.js';
import { traces } from './traces.js';
import { visualizer } from './visualizer.js';

/**
 * Every suite, in the order `npm run bench` runs them. Add yours: one import, one entry.
 */
export const suites: readonly BenchSuite[] = [
  core,
  placement,
  preemption,
  traces,
  visualizer,
  sim,
  simBaseline,
  mesosSuite,
  storage,
  prodSuite,
  simTight,
  simScaling,
  simDays,
  simSaturated,
  simMonth,
];
