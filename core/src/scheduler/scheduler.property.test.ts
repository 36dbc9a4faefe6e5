import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tier } from '../model/tier.js';
import { canPreempt } from '../preemption/rules.js';
import { aHost, aJob } from '../testing/builders.js';
import { Harness } from '../testing/harness.js';

type Op =
  | {
      kind: 'submit';
      role: string;
      tier: Tier;
      priority: number;
      instances: number;
      cpu: number;
      limit: boolean;
    }
  | { kind: 'kill'; job: number }
  | { kind: 'down' | 'up' | 'drain'; host: number }
  | { kind: 'finish'; job: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'killsDone'; count: number };

// Submits and waits weigh more: most bugs worth finding need a busy cluster and time passing
// (preemption only starts after its delay), with kills still in flight.
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      role: fc.constantFrom('a', 'b'),
      tier: fc.constantFrom<Tier>('preferred', 'preemptible', 'revocable'),
      priority: fc.integer({ min: 0, max: 2 }),
      instances: fc.integer({ min: 1, max: 6 }),
      cpu: fc.constantFrom(0.5, 1, 2, 3),
      limit: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant('kill' as const), job: fc.nat(20) }),
  fc.record({ kind: fc.constantFrom('down' as const, 'up' as const, 'drain' as const), host: fc.nat(4) }),
  fc.record({ kind: fc.constant('finish' as const), job: fc.nat(20) }),
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 120_000 }) }),
  },
  fc.record({ kind: fc.constant('killsDone' as const), count: fc.integer({ min: 1, max: 4 }) }),
);

const QUOTA = { cpu: 12, ramMb: 1e9, diskMb: 1e9, gpus: 0 };

/**
 * Plays the ops; checks capacity and quota after each; returns the placement log. Kills take time:
 * a killed task (preemption victims included) holds its host until a `killsDone` op completes it,
 * while waits let the scheduler go on placing around it.
 */
function play(ops: readonly Op[]): string[] {
  const h = new Harness({ preemption: { delayMs: 10_000 }, holdKills: true });
  h.hosts(
    ...[0, 1, 2, 3, 4].map((i) =>
      aHost(`h${i}`)
        .cpu(4)
        .ramMb(8192)
        .rack(`r${i % 2}`),
    ),
  );
  h.scheduler.setQuota('a', QUOTA);
  const jobs: string[] = [];
  for (const o of ops) {
    if (o.kind === 'submit') {
      const key = `${o.role}/e/j${jobs.length}`;
      const b = aJob(key).instances(o.instances).cpu(o.cpu).ramMb(512).tier(o.tier).priority(o.priority);
      if (o.tier !== 'preferred') b.kind('adhoc');
      if (o.limit) b.constraint('host', 'limit:1');
      if (h.trySubmit(b).ok) jobs.push(key);
    } else if (o.kind === 'kill' || o.kind === 'finish') {
      const job = jobs[o.job % Math.max(1, jobs.length)];
      if (!job) continue;
      if (o.kind === 'kill') {
        if (h.tasks(job).length > 0) h.kill(job);
      } else {
        const t = h.running(job)[0];
        if (t) h.report(t.taskId, 'FINISHED');
      }
    } else if (o.kind === 'down') {
      h.scheduler.hostDown(`h${o.host}`);
      h.settle();
    } else if (o.kind === 'up') {
      h.scheduler.hostUp(`h${o.host}`);
      h.scheduler.setMaintenance([`h${o.host}`], 'NONE');
      h.settle();
    } else if (o.kind === 'drain') {
      h.scheduler.setMaintenance([`h${o.host}`], 'DRAINING');
      h.settle();
    } else if (o.kind === 'wait') {
      h.advance(o.ms);
    } else if (o.kind === 'killsDone') {
      h.completeKills(o.count);
    }
    h.assertNoOvercommit();
    h.assertTasksFit();
    const used = h.scheduler.quota('a').consumed;
    expect(used.cpu).toBeLessThanOrEqual(QUOTA.cpu + 1e-9);
    for (const p of h.preemptions) {
      const pre = {
        role: p.preemptor.job.split('/')[0]!,
        tier: p.preemptor.tier,
        priority: p.preemptor.priority,
      };
      for (const v of p.victims) {
        expect(canPreempt(pre, { role: v.job.split('/')[0]!, tier: v.tier, priority: v.priority })).toBe(
          true,
        );
      }
    }
  }
  return h.events.filter((e) => e.state === 'ASSIGNED').map((e) => `${e.time} ${e.taskId} ${e.host}`);
}

describe('scheduler properties', () => {
  it('never over-commits a host or a quota, preempts only by the rules, and is deterministic', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const first = play(ops);
        expect(play(ops)).toEqual(first);
      }),
      { numRuns: 400 },
    );
  });
});
