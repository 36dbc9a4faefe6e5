import type { CronCollisionPolicy } from '../model/job.js';
import type { Tier } from '../model/tier.js';

/**
 * Aurora's defaults for everything a job file may leave out (from Aurora's client-side
 * schema: HealthCheckConfig, UpdateConfig, Job, Process, Announcer).
 */
export const AURORA_DEFAULTS = {
  tier: 'preferred' as Tier,
  priority: 0,
  /** Ad-hoc instances get one attempt; -1 would mean unlimited retries. */
  maxTaskFailures: 1,
  processMaxFailures: 1,
  healthCheck: {
    port: 'health',
    endpoint: '/health',
    expectedResponse: 'ok',
    expectedResponseCode: 200,
    initialIntervalSecs: 15,
    intervalSecs: 10,
    timeoutSecs: 1,
    /** 0: the first failed check after the initial interval marks the task unhealthy. */
    maxConsecutiveFailures: 0,
    minConsecutiveSuccesses: 1,
  },
  update: {
    batchSize: 1,
    watchSecs: 45,
    maxPerInstanceFailures: 0,
    maxTotalFailures: 0,
    rollbackOnFailure: true,
  },
  cronCollisionPolicy: 'KILL_EXISTING' as CronCollisionPolicy,
  announcePrimaryPort: 'http',
} as const;
