import type { JobKey } from '../model/job-key.js';
import type { TaskConfig } from '../model/task-config.js';
import type { Clock } from '../scheduler/api.js';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public time = 0) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export function taskConfig(maxTaskFailures = 1): TaskConfig {
  return {
    processes: [{ name: 'main', cmdline: 'run', final: false, daemon: false, maxFailures: 1 }],
    orderings: [],
    resources: { cpu: 1, ramMb: 128, diskMb: 128, gpus: 0 },
    ports: [],
    constraints: [],
    tier: 'preferred',
    priority: 0,
    maxTaskFailures,
    metadata: {},
  };
}

export const key = (name: string): JobKey => ({ role: 'www', environment: 'prod', name });
export { mulberry32 as seededRandom } from '../model/mulberry32.js';
