import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aHost, aJob } from '../testing/builders.js';
import { Harness } from '../testing/harness.js';
import { isTerminalUpdate } from './update-status.js';

const key = { role: 'www', environment: 'prod', name: 'web' };

type Op =
  | { kind: 'update'; version: number; instances: number; failing: boolean; batch: number }
  | { kind: 'restart' }
  | { kind: 'pause' | 'resume' | 'abort' }
  | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('update' as const),
    version: fc.integer({ min: 1, max: 3 }),
    instances: fc.integer({ min: 1, max: 5 }),
    failing: fc.boolean(),
    batch: fc.integer({ min: 1, max: 3 }),
  }),
  fc.constant({ kind: 'restart' as const }),
  fc.constantFrom<Op>({ kind: 'pause' }, { kind: 'resume' }, { kind: 'abort' }),
  fc.integer({ min: 1, max: 120 }).map((s) => ({ kind: 'advance' as const, ms: s * 1000 })),
);

describe('updates through the scheduler (properties)', () => {
  it('never two active updates per job; no event for an update after its terminal status', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const h = new Harness().hosts(...Array.from({ length: 4 }, (_, i) => aHost(`h${i}`)));
        h.submit(aJob('www/prod/web').instances(3).cmdline('v0'));
        for (const o of ops) {
          if (o.kind === 'update') {
            const job = aJob('www/prod/web')
              .instances(o.instances)
              .cmdline(`v${o.version}`)
              .update({ batchSize: o.batch, watchSecs: 20, maxPerInstanceFailures: 1 });
            if (o.failing) job.failAfterMs(10_000);
            h.scheduler.startUpdate(job.build());
          } else if (o.kind === 'restart') h.scheduler.restartJob(key, { batchSize: 2, watchSecs: 10 });
          else if (o.kind === 'advance') h.advance(o.ms);
          else if (o.kind === 'pause') h.scheduler.pauseUpdate(key);
          else if (o.kind === 'resume') h.scheduler.resumeUpdate(key);
          else h.scheduler.abortUpdate(key);
          h.settle();
          h.assertNoOvercommit();
        }
        let active: string | undefined;
        const ended = new Set<string>();
        for (const e of h.updateEvents) {
          expect(ended.has(e.updateId)).toBe(false);
          if (active === undefined) active = e.updateId;
          expect(e.updateId).toBe(active);
          if (e.kind === 'status' && isTerminalUpdate(e.status)) {
            ended.add(e.updateId);
            active = undefined;
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
