import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UpdateSettings, UpdateStrategy } from '../model/job.js';
import {
  batchSize,
  type MachineInput,
  startMachine,
  stepMachine,
  type UpdateMachineState,
} from './update-machine.js';
import { isActiveUpdate, isTerminalUpdate, type PlanStep } from './update-status.js';

const strategy: fc.Arbitrary<UpdateStrategy> = fc.oneof(
  fc.record({ kind: fc.constant('queue' as const), groupSize: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    kind: fc.constant('batch' as const),
    groupSize: fc.integer({ min: 1, max: 4 }),
    autoPause: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('variableBatch' as const),
    groupSizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    autoPause: fc.boolean(),
  }),
);
const settings: fc.Arbitrary<UpdateSettings> = fc.record({
  strategy,
  watchSecs: fc.constant(0),
  maxPerInstanceFailures: fc.integer({ min: 0, max: 2 }),
  maxTotalFailures: fc.integer({ min: 0, max: 2 }),
  rollbackOnFailure: fc.boolean(),
});
const plan: fc.Arbitrary<PlanStep[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 12 }), { minLength: 0, maxLength: 10 })
  .chain((instances) =>
    fc.tuple(
      ...instances.map((i) => fc.constantFrom('add', 'update', 'remove').map((op) => ({ instance: i, op }))),
    ),
  ) as fc.Arbitrary<PlanStep[]>;
const input: fc.Arbitrary<MachineInput> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .integer({ min: 0, max: 12 })
      .map((instance) => ({ kind: 'instanceSucceeded' as const, instance })),
  },
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: 0, max: 12 })
      .map((instance) => ({ kind: 'instanceFailed' as const, instance })),
  },
  { weight: 1, arbitrary: fc.constantFrom<MachineInput>({ kind: 'pause' }, { kind: 'resume' }) },
  { weight: 1, arbitrary: fc.constantFrom<MachineInput>({ kind: 'abort' }, { kind: 'error', message: 'x' }) },
);

describe('update state machine (properties)', () => {
  it('terminal states are final, in-flight stays within the batch size, instances begin at most once per phase', () => {
    fc.assert(
      fc.property(plan, settings, fc.array(input, { maxLength: 60 }), (steps, s, inputs) => {
        let { state } = startMachine(steps, s);
        const begunThisPhase = new Set<number>();
        let phase = state.phase;
        for (const i of inputs) {
          const before = state;
          const r = stepMachine(state, i);
          if (isTerminalUpdate(before.status)) {
            expect(r.state).toBe(before);
            expect(r.actions).toHaveLength(0);
          }
          state = r.state;
          if (state.phase !== phase) {
            phase = state.phase;
            begunThisPhase.clear();
          }
          for (const a of r.actions) {
            if (a.kind !== 'begin') continue;
            expect(begunThisPhase.has(a.instance)).toBe(false);
            begunThisPhase.add(a.instance);
          }
          expect(state.inFlight.length).toBeLessThanOrEqual(maxBatch(state));
          if (isTerminalUpdate(state.status)) expect(state.inFlight).toHaveLength(0);
          if (state.phase === 'back')
            expect([
              'ROLLING_BACK',
              'ROLL_BACK_PAUSED',
              'ROLLED_BACK',
              'FAILED',
              'ABORTED',
              'ERROR',
            ]).toContain(state.status);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an update whose instances all succeed rolls forward, whatever the strategy and pauses', () => {
    fc.assert(
      fc.property(plan, settings, (steps, s) => {
        let { state } = startMachine(steps, s);
        for (let guard = 0; guard < 100 && !isTerminalUpdate(state.status); guard++) {
          const next = state.inFlight[0];
          state = stepMachine(
            state,
            next === undefined ? { kind: 'resume' } : { kind: 'instanceSucceeded', instance: next },
          ).state;
        }
        expect(state.status).toBe('ROLLED_FORWARD');
      }),
    );
  });

  it('never two active updates of one job: a driver keyed by job refuses to start while one is active', () => {
    // The driver starts an update only when the job's previous one is terminal; here many random
    // updates of one job run back to back and at most one of them is ever active.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(plan, settings, fc.array(input, { maxLength: 20 })), { maxLength: 6 }),
        (runs) => {
          const live: UpdateMachineState[] = [];
          for (const [steps, s, inputs] of runs) {
            if (live.some((u) => isActiveUpdate(u.status))) continue;
            let { state } = startMachine(steps, s);
            live.push(state);
            for (const i of inputs) {
              state = stepMachine(state, i).state;
              live[live.length - 1] = state;
            }
            expect(live.filter((u) => isActiveUpdate(u.status)).length).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});

function maxBatch(state: UpdateMachineState): number {
  let max = 0;
  for (let i = 0; i <= state.batches + 1; i++) max = Math.max(max, batchSize(state.settings.strategy, i));
  return max;
}
