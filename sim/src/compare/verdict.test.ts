import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../output/summary.js';
import { judge, parseObjective, seedInsensitive } from './verdict.js';

const run = (policy: string, p99: number, pending = 0, cpu = 0.5) => ({
  policy,
  summary: {
    schedulingDelayMs: { p99 },
    tasks: { pendingAtEnd: pending },
    utilization: { cpu: { mean: cpu } },
  } as unknown as RunSummary,
});

describe('parseObjective', () => {
  it('defaults to lower-is-better, higher for utilization, and takes :min or :max', () => {
    expect(parseObjective('--objective', 'delay.p99')).toEqual({ metric: 'delay.p99', better: 'min' });
    expect(parseObjective('--objective', 'utilization.cpu')).toEqual({
      metric: 'utilization.cpu',
      better: 'max',
    });
    expect(parseObjective('--objective', 'preemptions:max').better).toBe('max');
  });

  it('names the flag and the known metrics for a bad objective', () => {
    expect(() => parseObjective('--objective', 'latency')).toThrow(/--objective: "latency".*delay\.p99/);
    expect(() => parseObjective('--objective', 'delay.p99:best')).toThrow(/--objective/);
  });
});

describe('judge', () => {
  const min = parseObjective('--objective', 'delay.p99');

  it('names the policy better on every seed', () => {
    const v = judge(min, ['a', 'b'], [run('a', 10), run('a', 12), run('b', 20), run('b', 30)]);
    expect(v.winner).toBe('a');
    expect(v.text).toMatch(/^winner for lowest delay\.p99: a/);
  });

  it('names no winner when the seeds overlap, or on a tie', () => {
    const overlap = judge(min, ['a', 'b'], [run('a', 10), run('a', 25), run('b', 20), run('b', 30)]);
    expect(overlap.winner).toBeUndefined();
    expect(overlap.text).toMatch(/no clear winner.*overlap/);
    expect(judge(min, ['a', 'b'], [run('a', 10), run('b', 10)]).text).toMatch(/tie/);
  });

  it('flags a winner that leaves more tasks pending than another policy', () => {
    const v = judge(min, ['a', 'b'], [run('a', 10, 40), run('b', 20, 3)]);
    expect(v.winner).toBe('a');
    expect(v.text).toContain('leaves 40 tasks pending at the end where b leaves 3');
  });

  it('ranks highest first for a maximized metric', () => {
    const v = judge(
      parseObjective('--objective', 'utilization.cpu'),
      ['a', 'b'],
      [run('a', 0, 0, 0.4), run('b', 0, 0, 0.9)],
    );
    expect(v.winner).toBe('b');
  });
});

describe('seedInsensitive', () => {
  it('lists policies whose seeds all gave identical metrics', () => {
    const runs = [run('a', 10), run('a', 10), run('b', 10), run('b', 11), run('c', 5)];
    expect(seedInsensitive(['a', 'b', 'c'], runs, ['delay.p99', 'pending.end'])).toEqual(['a']);
  });
});
