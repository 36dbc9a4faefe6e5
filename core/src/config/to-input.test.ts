import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobConfig } from '../model/job.js';
import { normalizeJob } from './normalize.js';
import type { JobInput } from './schema.js';
import { jobConfigToInput } from './to-input.js';

const ident = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/);
const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

/** Valid job inputs, with optional fields present or absent at random. */
const jobInputs: fc.Arbitrary<JobInput> = fc
  .record({
    role: ident,
    environment: fc.constantFrom('prod', 'staging', 'devel'),
    name: ident,
    cluster: optional(ident),
    kind: fc.constantFrom('service', 'adhoc', 'cron' as const),
    instances: fc.integer({ min: 1, max: 50 }),
    ports: fc.uniqueArray(fc.constantFrom('http', 'health', 'admin', 'thrift'), { maxLength: 4 }),
    processNames: fc.uniqueArray(ident, { maxLength: 3 }),
    cpu: fc.double({ min: 0.01, max: 64, noNaN: true }),
    ramMb: fc.integer({ min: 0, max: 1 << 20 }),
    gpus: optional(fc.integer({ min: 0, max: 8 })),
    tier: optional(fc.constantFrom('preferred', 'preemptible', 'revocable' as const)),
    priority: optional(fc.integer({ min: -10, max: 100 })),
    maxTaskFailures: optional(fc.integer({ min: -1, max: 10 })),
    constraints: optional(
      fc.dictionary(fc.constantFrom('host', 'rack', 'zone'), fc.constantFrom('limit:1', 'a', '!a,b', 'x,y')),
    ),
    update: optional(
      fc.oneof(
        fc.record({ batchSize: fc.integer({ min: 1, max: 5 }) }),
        fc.record({
          strategy: fc.oneof(
            fc.record({ kind: fc.constant('batch' as const), groupSize: fc.integer({ min: 1, max: 4 }) }),
            fc.record({
              kind: fc.constant('variableBatch' as const),
              groupSizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
              autoPause: fc.boolean(),
            }),
          ),
          watchSecs: fc.integer({ min: 0, max: 600 }),
          rollbackOnFailure: fc.boolean(),
        }),
      ),
    ),
    schedule: fc.constantFrom('*/5 * * * *', '0 3 * * mon-fri', '@daily', '15 2 1 jan,jul *'),
    collisionPolicy: optional(fc.constantFrom('KILL_EXISTING', 'CANCEL_NEW' as const)),
    shellCheck: fc.boolean(),
    metadata: optional(
      fc.dictionary(
        ident,
        fc.string({ maxLength: 6 }).filter((s) => !s.includes('{{')),
      ),
    ),
    contact: optional(fc.emailAddress()),
    sla: optional(
      fc.record({
        kind: fc.constant('count' as const),
        count: fc.integer({ min: 1, max: 5 }),
        durationSecs: fc.nat(3600),
      }),
    ),
    image: optional(fc.constantFrom('debian:12', 'registry/app:{{environment}}')),
  })
  .map((r): JobInput => {
    const port = r.ports[0];
    return {
      role: r.role,
      environment: r.environment,
      name: r.name,
      ...(r.cluster !== undefined && { cluster: r.cluster }),
      kind: r.kind,
      instances: r.instances,
      task: {
        processes: r.processNames.map((n) => ({
          name: n,
          cmdline: `run ${n} --shard {{instance}} ${port ? `--port {{ports.${port}}}` : ''} --job {{role}}`,
        })),
        ...(r.processNames.length > 1 && { orderings: [r.processNames] }),
        resources: { cpu: r.cpu, ramMb: r.ramMb, diskMb: 0, ...(r.gpus !== undefined && { gpus: r.gpus }) },
        ports: r.ports,
      },
      ...(r.tier && { tier: r.tier }),
      ...(r.priority !== undefined && { priority: r.priority }),
      ...(r.maxTaskFailures !== undefined && { maxTaskFailures: r.maxTaskFailures }),
      ...(r.constraints && { constraints: r.constraints }),
      ...(r.update && { update: r.update }),
      ...(r.kind === 'cron' && {
        cron: { schedule: r.schedule, ...(r.collisionPolicy && { collisionPolicy: r.collisionPolicy }) },
      }),
      ...(port && {
        healthCheck: r.shellCheck
          ? { type: 'shell' as const, command: 'curl localhost:{{ports.' + port + '}}' }
          : { type: 'http' as const, port, intervalSecs: 5 },
        announce: { primaryPort: port },
      }),
      ...(r.metadata && { metadata: r.metadata }),
      ...(r.contact && { contact: r.contact }),
      ...(r.sla && { sla: r.sla }),
      ...(r.image && { container: { image: r.image } }),
    };
  });

function normalized(raw: unknown): JobConfig {
  const r = normalizeJob(raw);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.value;
}

describe('jobConfigToInput', () => {
  it('round-trips: normalize → input JSON → normalize gives an identical JobConfig', () => {
    fc.assert(
      fc.property(jobInputs, (raw) => {
        const first = normalized(raw);
        const json = JSON.parse(JSON.stringify(jobConfigToInput(first)));
        const second = normalized(json);
        expect(second).toStrictEqual(first);
        // and the printed form is a fixed point
        expect(jobConfigToInput(second)).toStrictEqual(json);
      }),
      { numRuns: 200 },
    );
  });

  it('spells out every default', () => {
    const input = jobConfigToInput(
      normalized({
        role: 'a',
        environment: 'b',
        name: 'c',
        kind: 'adhoc',
        task: { resources: { cpu: 1, ramMb: 1, diskMb: 1 } },
      }),
    );
    expect(input).toMatchObject({
      instances: 1,
      tier: 'preferred',
      priority: 0,
      maxTaskFailures: 1,
      constraints: {},
      metadata: {},
      update: { strategy: { kind: 'queue', groupSize: 1 }, watchSecs: 45 },
      task: { processes: [], orderings: [], ports: [], resources: { gpus: 0 } },
    });
  });
});
