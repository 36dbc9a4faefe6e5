import { describe, expect, it } from 'vitest';
import {
  adhoc,
  cronJob,
  healthCheck,
  job,
  order,
  process,
  resources,
  service,
  task,
  updateStrategy,
} from './builders.js';
import { normalizeJob } from './normalize.js';

describe('builders', () => {
  it('build plain job inputs that normalize like any other format', () => {
    const web = process('web', 'serve --port {{ports.http}}');
    const warm = process('warm', 'warm-cache', { maxFailures: 3 });
    const spec = service({
      role: 'www',
      environment: 'prod',
      name: 'web',
      instances: 3,
      task: task({
        processes: [warm, web],
        orderings: [order(warm, web)],
        resources: resources(1, 512, 1024),
        ports: ['http', 'health'],
      }),
      healthCheck: healthCheck.http({ intervalSecs: 5 }),
      update: { strategy: updateStrategy.variableBatch([1, 2], { autoPause: true }), maxTotalFailures: 1 },
    });
    expect(spec.kind).toBe('service');
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // plain data, nothing hidden
    const r = normalizeJob(spec);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.task.orderings).toEqual([['warm', 'web']]);
    expect(r.value.task.processes[0]?.maxFailures).toBe(3);
    expect(r.value.task.healthCheck).toMatchObject({ type: 'http', port: 'health', intervalSecs: 5 });
    expect(r.value.update?.strategy).toEqual({ kind: 'variableBatch', groupSizes: [1, 2], autoPause: true });
  });

  it('set the kind for cron and ad-hoc jobs', () => {
    const common = { role: 'r', environment: 'e', name: 'n', task: { resources: resources(0.5, 64, 0) } };
    expect(cronJob({ ...common, cron: { schedule: '@hourly' } }).kind).toBe('cron');
    expect(adhoc(common).kind).toBe('adhoc');
    expect(job({ ...common, kind: 'adhoc' }).kind).toBe('adhoc');
    expect(healthCheck.shell('true')).toEqual({ type: 'shell', command: 'true' });
    expect(updateStrategy.queue(2)).toEqual({ kind: 'queue', groupSize: 2 });
    expect(updateStrategy.batch(3)).toEqual({ kind: 'batch', groupSize: 3 });
  });
});
