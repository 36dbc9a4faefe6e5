import type { Scheduler, SchedulerOptions } from './api.js';
import { CoreScheduler } from './core-scheduler.js';

/** The scheduling core, ready for a driver (simulator or production). See SchedulerOptions for defaults. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  return new CoreScheduler(options);
}
