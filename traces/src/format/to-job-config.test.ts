import { describe, expect, it } from 'vitest';
import { checkRecord } from './check-record.js';
import type { JobSubmitRecord, JobUpdateRecord } from './record.js';
import { toJobConfig } from './to-job-config.js';

function checked<T>(o: Record<string, unknown>): T {
  expect(checkRecord(o)).toEqual([]);
  return o as T;
}

describe('toJobConfig', () => {
  it('maps a service submit onto the core model', () => {
    const r = checked<JobSubmitRecord>({
      t: 0,
      type: 'job_submit',
      job: 'www/prod/web',
      kind: 'service',
      instances: 3,
      priority: 5,
      task: { cpu: 1.5, ramMb: 1024, diskMb: 10, gpus: 0.25, ports: ['http'], failAfterMs: 5000 },
      constraints: { host: 'limit:1', zone: 'a,b' },
    });
    const j = toJobConfig(r);
    expect(j.key).toEqual({ role: 'www', environment: 'prod', name: 'web' });
    expect(j.kind).toBe('service');
    expect(j.instances).toBe(3);
    expect(j.task.resources).toEqual({ cpu: 1.5, ramMb: 1024, diskMb: 10, gpus: 0.25 });
    expect(j.task.tier).toBe('preferred');
    expect(j.task.priority).toBe(5);
    expect(j.task.ports).toEqual(['http']);
    expect(j.task.sim).toEqual({ failAfterMs: 5000 });
    expect(j.task.constraints).toEqual([
      { attribute: 'host', kind: 'limit', limit: 1 },
      { attribute: 'zone', kind: 'value', values: ['a', 'b'], negated: false },
    ]);
    // normalizeJob gives every non-cron job Aurora's default update settings.
    expect(j.update?.strategy).toEqual({ kind: 'queue', groupSize: 1 });
    expect(j.cron).toBeUndefined();
  });

  it('maps cron schedules, health checks and update settings', () => {
    const cron = checked<JobSubmitRecord>({
      t: 0,
      type: 'job_submit',
      job: 'ops/prod/backup',
      kind: 'cron',
      cron: '*/15 * * * *',
      instances: 1,
      tier: 'preemptible',
      task: { cpu: 1, ramMb: 1, diskMb: 1 },
      durationMs: 60000,
    });
    expect(toJobConfig(cron).cron).toEqual({ schedule: '*/15 * * * *', collisionPolicy: 'KILL_EXISTING' });
    const upd = checked<JobUpdateRecord>({
      t: 0,
      type: 'job_update',
      job: 'www/prod/web',
      kind: 'service',
      instances: 2,
      task: { cpu: 1, ramMb: 1, diskMb: 1, ports: ['http'], unhealthy: true, healthCheck: {} },
      settings: {
        strategy: 'batch',
        batchSize: 2,
        watchSecs: 30,
        maxTotalFailures: 1,
        rollbackOnFailure: true,
      },
    });
    const j = toJobConfig(upd);
    expect(j.update).toEqual({
      strategy: { kind: 'batch', groupSize: 2, autoPause: false },
      watchSecs: 30,
      maxPerInstanceFailures: 0,
      maxTotalFailures: 1,
      rollbackOnFailure: true,
    });
    expect(j.task.healthCheck).toMatchObject({ type: 'http', port: 'http', initialIntervalSecs: 15 });
    expect(j.task.sim).toEqual({ unhealthy: true });
  });
});
