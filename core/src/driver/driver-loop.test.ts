import { describe, expect, it } from 'vitest';
import type { Change, Effect, StepResult } from '../scheduler/api.js';
import { DriverLoop } from './driver-loop.js';

const kill = (taskId: string): Effect => ({ kind: 'kill', taskId, host: 'h1', reason: 'user' });
const deleted = (taskId: string): Change => ({ kind: 'task-deleted', taskId });

/** A core whose steps are given in advance. */
function scripted(steps: StepResult[]) {
  return { takeStep: (): StepResult => steps.shift() ?? { changes: [], effects: [] } };
}

describe('DriverLoop', () => {
  it('persists a step before it carries out its effects, then runs work waiting for durability', () => {
    const log: string[] = [];
    const loop = new DriverLoop({
      core: scripted([{ changes: [deleted('a')], effects: [kill('a')] }]),
      persist: (step, seq) => {
        log.push(`persist ${seq} ${step.changes.length}`);
      },
      carryOut: (effects) =>
        log.push(`effects ${effects.map((e) => (e.kind === 'reconcile' ? 'reconcile' : e.taskId)).join()}`),
    });
    loop.afterDurable(() => log.push('ack'));
    expect(loop.flushSync()).toBe(true);
    expect(log).toEqual(['persist 1 1', 'ack', 'effects a']);
    expect(loop.flushSync()).toBe(false);
  });

  it('waits for an asynchronous persist: no effect and no ack before the write is durable', async () => {
    const log: string[] = [];
    let release!: () => void;
    const loop = new DriverLoop({
      core: scripted([{ changes: [deleted('a')], effects: [kill('a')] }]),
      persist: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      carryOut: () => log.push('effects'),
    });
    loop.afterDurable(() => log.push('ack'));
    const done = loop.flush();
    await Promise.resolve();
    expect(log).toEqual([]);
    await expect(loop.flush()).rejects.toThrow(/already in progress/);
    release();
    expect(await done).toBe(true);
    expect(log).toEqual(['ack', 'effects']);
  });

  it('refuses an asynchronous persist hook in flushSync, and skips persisting steps without changes', () => {
    const persisted: number[] = [];
    const loop = new DriverLoop({
      core: scripted([
        { changes: [], effects: [kill('b')] },
        { changes: [deleted('c')], effects: [] },
      ]),
      persist: (_step, seq) => {
        persisted.push(seq);
        return Promise.resolve();
      },
      carryOut: () => {},
    });
    expect(loop.flushSync()).toBe(true);
    expect(persisted).toEqual([]);
    expect(() => loop.flushSync()).toThrow(/asynchronous/);
  });
});
