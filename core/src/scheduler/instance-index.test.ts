import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InstanceIndex } from './instance-index.js';

/** The plain model: job → instance → ids in the order they were added. */
class Naive {
  readonly jobs = new Map<string, Map<number, string[]>>();
  add(job: string, instance: number, id: string): void {
    const instances = this.jobs.get(job) ?? new Map<number, string[]>();
    this.jobs.set(job, instances);
    const ids = instances.get(instance) ?? [];
    instances.set(instance, ids);
    if (!ids.includes(id)) ids.push(id);
  }
  remove(job: string, instance: number, id: string): void {
    const ids = this.jobs.get(job)?.get(instance);
    if (!ids?.includes(id)) return;
    ids.splice(ids.indexOf(id), 1);
    if (ids.length === 0) this.jobs.get(job)!.delete(instance);
    if (this.jobs.get(job)!.size === 0) this.jobs.delete(job);
  }
}

const op = fc.record({
  add: fc.boolean(),
  job: fc.constantFrom('a/e/x', 'a/e/y', 'b/e/x'),
  instance: fc.integer({ min: 0, max: 12 }),
  id: fc.constantFrom('t0', 't1', 't2', 't3'),
});

describe('InstanceIndex', () => {
  it('agrees with a naive map of maps after any adds and removes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const index = new InstanceIndex();
        const naive = new Naive();
        for (const o of ops) {
          const id = `${o.job}-${o.instance}-${o.id}`;
          if (o.add) {
            index.add(o.job, o.instance, id);
            naive.add(o.job, o.instance, id);
          } else {
            index.remove(o.job, o.instance, id);
            naive.remove(o.job, o.instance, id);
          }
        }
        for (const job of ['a/e/x', 'a/e/y', 'b/e/x']) {
          const instances = naive.jobs.get(job);
          expect(index.hasLive(job)).toBe(instances !== undefined);
          expect(index.instancesOf(job)).toEqual([...(instances?.keys() ?? [])].sort((a, b) => a - b));
          for (let i = 0; i <= 13; i++) expect(index.tasksOf(job, i)).toEqual(instances?.get(i) ?? []);
        }
      }),
      { numRuns: 300 },
    );
  });
});
