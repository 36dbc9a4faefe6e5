import { describe, expect, it } from 'vitest';
import { DelayCollector } from './delay-collector.js';

describe('DelayCollector', () => {
  it('measures PENDING→ASSIGNED per task, across throttling and reschedules', () => {
    const c = new DelayCollector();
    c.onEvent('a', 'PENDING', 0);
    c.onEvent('b', 'THROTTLED', 5);
    c.onEvent('b', 'PENDING', 7);
    c.onEvent('a', 'ASSIGNED', 30);
    c.onEvent('b', 'ASSIGNED', 45);
    c.onEvent('a', 'RUNNING', 31);
    c.onEvent('a', 'PENDING', 100); // rescheduled
    c.onEvent('a', 'ASSIGNED', 101);
    c.onEvent('c', 'ASSIGNED', 3); // no PENDING seen: not measured
    expect([...c.delays()]).toEqual([30, 40, 1]);
  });

  it('drops a wait that ended without assignment', () => {
    const c = new DelayCollector();
    c.onEvent('a', 'PENDING', 0);
    c.onEvent('a', 'KILLED', 10);
    c.onEvent('a', 'ASSIGNED', 20);
    expect(c.delays().length).toBe(0);
  });
});
