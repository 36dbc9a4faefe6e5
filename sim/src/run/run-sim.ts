import { createScheduler } from '@borealis/core';
import { openTrace } from '@borealis/traces';
import type { RunSummary } from '../output/summary.js';
import { checkFailures } from './failure-injection.js';
import { scaleHosts } from './host-override.js';
import type { SimOptions } from './sim-options.js';
import { type SchedulerFactory, type SimProgress, Simulation } from './simulation.js';
import { initialHosts } from './trace-hosts.js';

export interface RunHooks {
  readonly onProgress?: (p: SimProgress) => void;
  /** How an open-ended run came to stop, when that is worth telling (restart loops, the horizon). */
  readonly onNotice?: (message: string) => void;
  /** Defaults to the real core; bench swaps in other factories for baselines. */
  readonly createScheduler?: SchedulerFactory;
}

/** One whole run: open the trace, drive the real core, write the run folder, return the summary. */
export async function runSimulation(options: SimOptions, hooks: RunHooks = {}): Promise<RunSummary> {
  // --hosts scales the trace's own starting population (read first, before the run streams it).
  const failures = options.failures ?? [];
  const hostTemplates =
    options.hosts !== undefined || failures.length > 0 ? await initialHosts(options.trace) : [];
  if (failures.length > 0) {
    const hosts =
      options.hosts !== undefined
        ? scaleHosts(options.hosts, hostTemplates, options.hostShape).specs
        : hostTemplates;
    checkFailures(failures, hosts);
  }
  const trace = await openTrace(options.trace);
  return new Simulation({
    options,
    trace,
    hostTemplates: options.hosts !== undefined ? hostTemplates : [],
    createScheduler: hooks.createScheduler ?? createScheduler,
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.onNotice ? { onNotice: hooks.onNotice } : {}),
  }).run();
}
