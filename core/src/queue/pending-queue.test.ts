import { describe, expect, it } from 'vitest';
import type { TaskConfig } from '../model/task-config.js';
import type { Tier } from '../model/tier.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { PendingQueue } from './pending-queue.js';
import { queueOrder } from './queue-order.js';
import { formatReasons } from './reasons.js';
import type { TaskGroup } from './task-group.js';

const config = (tier: Tier = 'preferred', priority = 0): TaskConfig => ({
  processes: [],
  orderings: [],
  resources: { cpu: 1, ramMb: 1024, diskMb: 0, gpus: 0 },
  ports: [],
  constraints: [],
  tier,
  priority,
  maxTaskFailures: 1,
  metadata: {},
});

const noShares = { dominantShare: () => 0 };

function drain(queue: PendingQueue, name: 'fifo' | 'priority' | 'drf', ctx = noShares): string[] {
  const round = queue.startRound(queueOrder(name), ctx);
  const seen: string[] = [];
  for (let g = round.next(); g; g = round.next()) {
    seen.push(g.job);
    round.finish(g, false);
  }
  return seen;
}

describe('PendingQueue', () => {
  it('starts a new group when the last one a task joined has emptied', () => {
    const q = new PendingQueue(DEFAULT_BACKOFF);
    const c = config();
    const first = q.add('t0', 0, 'r/e/j', 'r', c, 0);
    q.remove('t0');
    const second = q.add('t1', 1, 'r/e/j', 'r', c, 10);
    expect(second).not.toBe(first);
    expect(second.since).toBe(10);
    expect([...q.all()]).toEqual([second]);
    // Alternating jobs each find their own group again.
    const other = q.add('u0', 0, 'r/e/k', 'r', c, 10);
    expect(q.add('t2', 2, 'r/e/j', 'r', c, 11)).toBe(second);
    expect(q.add('u1', 1, 'r/e/k', 'r', c, 11)).toBe(other);
  });

  it('groups tasks of one job by config object identity', () => {
    const q = new PendingQueue(DEFAULT_BACKOFF);
    const c1 = config();
    const c2 = config();
    const a = q.add('t0', 0, 'r/e/j', 'r', c1, 0);
    expect(q.add('t1', 1, 'r/e/j', 'r', c1, 5)).toBe(a);
    expect(q.add('t2', 2, 'r/e/j', 'r', c2, 5)).not.toBe(a);
    expect(q.add('t3', 0, 'r/e/k', 'r', c1, 5)).not.toBe(a);
    expect(a.instances()).toEqual([0, 1]);
    expect(q.size).toBe(4);
    q.remove('t0');
    q.remove('t1');
    expect(q.groupOf('t1')).toBeUndefined();
    expect(q.forJob('r/e/j')).toHaveLength(1);
  });

  it('backs a fruitless group off 1 s, 2 s, 4 s and wakes it when due', () => {
    const q = new PendingQueue(DEFAULT_BACKOFF);
    const g = q.add('t0', 0, 'r/e/j', 'r', config(), 0);
    q.attempted(g, 0, 0, { 'insufficient cpu': 3 });
    expect(q.hasReady()).toBe(false);
    expect(q.nextReadyAt()).toBe(1000);
    q.release(999);
    expect(q.hasReady()).toBe(false);
    q.release(1000);
    expect(q.hasReady()).toBe(true);
    q.attempted(g, 1000, 0, {});
    expect(q.nextReadyAt()).toBe(3000);
    q.release(3000);
    q.attempted(g, 3000, 0, {}, 4500);
    expect(q.nextReadyAt()).toBe(4500);
  });

  it('forgets the wake-up of a group that emptied', () => {
    const q = new PendingQueue(DEFAULT_BACKOFF);
    const g = q.add('t0', 0, 'r/e/j', 'r', config(), 0);
    q.attempted(g, 0, 0, {});
    q.remove('t0');
    expect(q.nextReadyAt()).toBeUndefined();
  });

  it('orders fifo by age and priority by tier, priority, age', () => {
    const q = new PendingQueue(DEFAULT_BACKOFF);
    q.add('a', 0, 'a/e/batch', 'a', config('preemptible', 9), 0);
    q.add('b', 0, 'b/e/low', 'b', config('preferred', 0), 1);
    q.add('c', 0, 'c/e/high', 'c', config('preferred', 5), 2);
    q.add('d', 0, 'd/e/rev', 'd', config('revocable', 100), 3);
    expect(drain(q, 'fifo')).toEqual(['a/e/batch', 'b/e/low', 'c/e/high', 'd/e/rev']);
    expect(drain(q, 'priority')).toEqual(['c/e/high', 'b/e/low', 'a/e/batch', 'd/e/rev']);
  });

  it('drf gives the next turn to the role with the smallest dominant share', () => {
    const q = new PendingQueue(DEFAULT_BACKOFF);
    const shares = new Map([
      ['big', 0.5],
      ['small', 0.1],
    ]);
    q.add('b1', 0, 'big/e/a', 'big', config(), 0);
    q.add('s1', 0, 'small/e/a', 'small', config(), 1);
    q.add('s2', 0, 'small/e/b', 'small', config(), 2);
    const round = q.startRound(queueOrder('drf'), { dominantShare: (r) => shares.get(r)! });
    const seen: string[] = [];
    const turn = (placedShare: number, more: boolean): TaskGroup => {
      const g = round.next()!;
      seen.push(g.job);
      shares.set(g.role, shares.get(g.role)! + placedShare);
      round.finish(g, more);
      return g;
    };
    turn(0.3, true); // small/e/a: 0.1 → 0.4, still below big
    turn(0.3, true); // small/e/a again: 0.4 → 0.7, now above big
    turn(0.1, false); // big/e/a
    turn(0, false); // small/e/a done
    turn(0, false); // small/e/b
    expect(round.next()).toBeUndefined();
    expect(seen).toEqual(['small/e/a', 'small/e/a', 'big/e/a', 'small/e/a', 'small/e/b']);
  });

  it('formats reasons most hosts first', () => {
    expect(formatReasons({ 'limit:1 on host': 95, 'insufficient ramMb': 812, zero: 0 })).toBe(
      'insufficient ramMb on 812 hosts, limit:1 on host on 95 hosts',
    );
    expect(formatReasons({ down: 1 })).toBe('down on 1 host');
  });
});
