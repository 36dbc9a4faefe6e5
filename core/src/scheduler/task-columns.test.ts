import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Slot } from '../placement/inventory/slot.js';
import { TaskColumns } from './task-columns.js';

/** A distinct inventory slot per (slot, host) pair, standing in for what `allocate` returns. */
const placedSlot = (slot: number, h: number): Slot =>
  new Slot(`t${slot}`, 'r/e/j', 'r', 'preferred', 0, { cpu: 1, ramMb: 1, diskMb: 0, gpus: 0 }, {}, h);

type Op =
  | { kind: 'host'; slot: number; h: number }
  | { kind: 'clearHost'; slot: number }
  | { kind: 'quota'; slot: number; held: boolean }
  | { kind: 'decide'; slot: number; score: number }
  | { kind: 'clearDecision'; slot: number };

const slot = fc.integer({ min: 0, max: 3000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('host' as const), slot, h: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ kind: fc.constant('clearHost' as const), slot }),
  fc.record({ kind: fc.constant('quota' as const), slot, held: fc.boolean() }),
  fc.record({ kind: fc.constant('decide' as const), slot, score: fc.double({ noNaN: true }) }),
  fc.record({ kind: fc.constant('clearDecision' as const), slot }),
);

describe('TaskColumns', () => {
  it('agrees with maps keyed by slot after any sequence of changes, across growth', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const columns = new TaskColumns();
        const host = new Map<number, number>();
        const placed = new Map<number, Slot>();
        const quota = new Set<number>();
        const decision = new Map<
          number,
          { policy: string; host: string; score: number; decidedAt: number }
        >();
        for (const o of ops) {
          if (o.kind === 'host') {
            const held = placedSlot(o.slot, o.h);
            columns.setHost(o.slot, o.h, held);
            host.set(o.slot, o.h);
            placed.set(o.slot, held);
          } else if (o.kind === 'clearHost') {
            expect(columns.clearHost(o.slot)).toBe(placed.get(o.slot));
            host.delete(o.slot);
            placed.delete(o.slot);
          } else if (o.kind === 'quota') {
            expect(columns.setQuota(o.slot, o.held)).toBe(quota.has(o.slot));
            if (o.held) quota.add(o.slot);
            else quota.delete(o.slot);
          } else if (o.kind === 'decide') {
            columns.setDecision(o.slot, `p${o.slot}`, `h${o.slot}`, o.score, o.slot * 2);
            decision.set(o.slot, {
              policy: `p${o.slot}`,
              host: `h${o.slot}`,
              score: o.score,
              decidedAt: o.slot * 2,
            });
          } else {
            columns.clearDecision(o.slot);
            decision.delete(o.slot);
          }
        }
        for (let s = 0; s <= 3001; s++) {
          expect(columns.hostOf(s)).toBe(host.get(s) ?? -1);
          expect(columns.holdsQuota(s)).toBe(quota.has(s));
          expect(columns.decision(s)).toEqual(decision.get(s));
        }
      }),
      { numRuns: 60 },
    );
  });
});
