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

/** A deterministic [0,1) source (mulberry32) so store tests need no seeded-random package. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
