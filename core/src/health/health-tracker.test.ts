import { describe, expect, it } from 'vitest';
import { HealthTracker } from './health-tracker.js';

describe('HealthTracker', () => {
  const live = new Map<string, number>();
  const tracker = () => {
    live.clear();
    return new HealthTracker((id) => live.get(id) ?? -1);
  };

  it('counts a task without a check healthy from when it runs, one with a check once it passes', () => {
    const h = tracker();
    live.set('a', 0);
    live.set('b', 5000); // beyond the initial columns: they grow
    h.running(0, false, 10);
    h.running(0, false, 20); // still RUNNING: keeps the first time
    h.running(5000, true, 10);
    expect(h.healthySince('a')).toBe(10);
    expect(h.healthySince('b')).toBeUndefined();
    expect(h.passed('b', 30)).toBe(true);
    expect(h.passed('b', 40)).toBe(false);
    expect(h.healthySince('b')).toBe(30);
    h.notRunning(0);
    expect(h.healthySince('a')).toBeUndefined();
  });

  it('keeps a failed check until the task is gone, and a reused slot starts clean', () => {
    const h = tracker();
    live.set('a', 3);
    h.running(3, false, 1);
    h.failed('a');
    expect(h.healthySince('a')).toBeUndefined();
    expect(h.failedHealthCheck('a')).toBe(true);
    h.notRunning(3);
    expect(h.failedHealthCheck('a')).toBe(true);
    h.gone(3);
    live.delete('a');
    expect(h.failedHealthCheck('a')).toBe(false);
    live.set('c', 3);
    expect(h.failedHealthCheck('c')).toBe(false);
    expect(h.healthySince('c')).toBeUndefined();
  });

  it('answers for unknown tasks as for tasks it never saw', () => {
    const h = tracker();
    expect(h.healthySince('x')).toBeUndefined();
    expect(h.failedHealthCheck('x')).toBe(false);
    expect(h.passed('x', 1)).toBe(false);
  });
});
