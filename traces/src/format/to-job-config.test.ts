import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTrace } from '../io/reader.js';
import { SAMPLES, SAMPLES_DIR } from '../samples/samples.js';
import { checkRecord } from './check-record.js';
import type { JobSubmitRecord, JobUpdateRecord } from './record.js';
import { normalizeTraceJob, toJobConfig } from './to-job-config.js';

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

describe('toJobConfig equals normalizeTraceJob (core normalizeJob)', () => {
  it('on every job of the bundled samples', async () => {
    let n = 0;
    for (const s of SAMPLES) {
      for await (const r of readTrace(join(SAMPLES_DIR, s.file))) {
        if (r.type !== 'job_submit' && r.type !== 'job_update') continue;
        expect(toJobConfig(r)).toEqual(normalizeTraceJob(r));
        n++;
      }
    }
    expect(n).toBeGreaterThan(1000);
  });

  it('on any record the reader accepts (property)', () => {
    // Mostly valid values with some invalid ones, so both accepted and rejected records occur.
    const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
      fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
    const port = mostly(fc.constantFrom('http', 'admin', 'x'), fc.constant('bad port'));
    const size = mostly(
      fc.oneof(fc.integer({ min: 1, max: 64 }), fc.double({ min: 0.01, max: 64, noNaN: true })),
      fc.constantFrom(0, -1),
    );
    const count = (min: number, max: number) =>
      mostly(fc.integer({ min, max }), fc.constantFrom(min - 1, 0.5));
    const task = fc.record(
      {
        cpu: size,
        ramMb: size,
        diskMb: size,
        gpus: size,
        ports: fc.uniqueArray(port, { maxLength: 3 }),
        failAfterMs: count(0, 100_000),
        unhealthy: fc.boolean(),
        healthCheck: fc.record(
          {
            type: mostly(fc.constantFrom('http', 'shell'), fc.constant('tcp')),
            port,
            intervalSecs: size,
            timeoutSecs: size,
            maxConsecutiveFailures: count(0, 3),
            minConsecutiveSuccesses: count(1, 3),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['cpu', 'ramMb', 'diskMb'] },
    );
    const record = fc.record(
      {
        t: fc.nat(1000),
        type: fc.constantFrom('job_submit', 'job_update'),
        job: mostly(fc.constantFrom('a/b/c', 'cl/a/b/c'), fc.constantFrom('a/b', 'a/b/c d')),
        kind: mostly(fc.constantFrom('service', 'adhoc', 'cron'), fc.constant('daemon')),
        instances: count(1, 6),
        tier: mostly(fc.constantFrom('preferred', 'preemptible', 'revocable'), fc.constant('gold')),
        priority: fc.integer({ min: -3, max: 12 }),
        maxTaskFailures: count(-1, 3),
        constraints: fc.dictionary(
          fc.constantFrom('host', 'zone', 'rack', 'dedicated'),
          mostly(fc.constantFrom('limit:1', 'a', 'a,b', '!a', 'www/web'), fc.constantFrom('limit:0', '')),
          { maxKeys: 2 },
        ),
        cron: mostly(
          fc.constantFrom('*/15 * * * *', '0 3 * * 1-5', '@daily'),
          fc.constantFrom('61 * * * *', 'x'),
        ),
        collisionPolicy: mostly(fc.constantFrom('KILL_EXISTING', 'CANCEL_NEW'), fc.constant('OTHER')),
        task,
        durationMs: fc.oneof(fc.nat(10_000), fc.array(fc.nat(10_000), { maxLength: 6 })),
        settings: fc.record(
          {
            strategy: mostly(fc.constantFrom('queue', 'batch', 'variableBatch'), fc.constant('x')),
            batchSize: count(1, 4),
            groupSizes: fc.array(count(1, 3), { minLength: 1, maxLength: 3 }),
            watchSecs: size,
            maxPerInstanceFailures: count(0, 3),
            maxTotalFailures: count(0, 3),
            rollbackOnFailure: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['t', 'type', 'job', 'instances', 'task'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(record, (raw) => {
        const o = structuredClone(raw) as Record<string, unknown>;
        if (checkRecord(o).length > 0) return;
        accepted++;
        const r = o as unknown as JobSubmitRecord | JobUpdateRecord;
        // job_update without kind takes the submitted job's kind in the reader; use service here.
        if (r.kind === undefined) (r as { kind: string }).kind = 'service';
        expect(toJobConfig(r)).toEqual(normalizeTraceJob(r));
      }),
      { numRuns: 4000, seed: 42 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
