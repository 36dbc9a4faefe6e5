import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { PayloadPool } from './payload-pool.js';

function drain(q: EventQueue): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  while (q.pop()) out.push([q.popped.time, q.popped.kind, q.popped.a, q.popped.b]);
  return out;
}

describe('EventQueue', () => {
  it('pops in time order, equal times in the order they were pushed', () => {
    const q = new EventQueue(16);
    q.push(50, 1, 1);
    q.push(10, 2, 2);
    q.push(50, 3, 3);
    q.push(10, 4, 4, -7);
    q.push(0, 5, 5);
    expect(q.peekTime()).toBe(0);
    expect(drain(q)).toEqual([
      [0, 5, 5, 0],
      [10, 2, 2, 0],
      [10, 4, 4, -7],
      [50, 1, 1, 0],
      [50, 3, 3, 0],
    ]);
    expect(q.pop()).toBe(false);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it('orders any interleaving of pushes and pops by (time, push order), growing as needed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 400 }),
        (ops) => {
          const q = new EventQueue(16);
          // reference: a sorted list of [time, pushIndex]
          const ref: [number, number][] = [];
          let pushed = 0;
          for (const op of ops) {
            if (op >= 0) {
              q.push(op, 0, pushed);
              ref.push([op, pushed++]);
            } else if (ref.length > 0) {
              ref.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
              const [t, id] = ref.shift()!;
              expect(q.pop()).toBe(true);
              expect([q.popped.time, q.popped.a]).toEqual([t, id]);
            }
          }
          ref.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          expect(drain(q).map(([t, , a]) => [t, a])).toEqual(ref);
        },
      ),
    );
  });
});

describe('PayloadPool', () => {
  it('reuses released handles', () => {
    const pool = new PayloadPool<string>();
    const a = pool.put('a');
    const b = pool.put('b');
    expect(pool.take(a)).toBe('a');
    expect(pool.put('c')).toBe(a);
    expect(pool.take(b)).toBe('b');
    expect(pool.size).toBe(1);
    expect(() => pool.take(b)).toThrow();
  });
});
