import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../output/summary.js';
import { evaluateSlo, parseSlo } from './slo.js';

describe('parseSlo', () => {
  it('parses terms joined by , or &&, with durations for delay metrics', () => {
    const r = parseSlo('delay.p99<=60s && pending.end==0, preempted < 100');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((o) => [o.metric, o.op, o.value])).toEqual([
      ['delay.p99', '<=', 60_000],
      ['pending.end', '==', 0],
      ['preempted', '<', 100],
    ]);
  });

  it('names each bad term', () => {
    const r = parseSlo('delay.p99<=soon,latency<5,pending.end~0');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('"delay.p99<=soon"'),
      expect.stringContaining('unknown metric "latency"'),
      expect.stringContaining('"pending.end~0"'),
    ]);
    expect(parseSlo('').ok).toBe(false);
    expect(parseSlo('preempted<=1,,').ok).toBe(false);
  });

  it('evaluates against a summary', () => {
    const r = parseSlo('delay.p99<=60s,pending.end==0');
    if (!r.ok) throw new Error('parse');
    const summary = {
      schedulingDelayMs: { p50: 1, p90: 1, p99: 61_000, max: 1, mean: 1 },
      tasks: { pendingAtEnd: 0 },
    } as unknown as RunSummary;
    expect(evaluateSlo(r.value, summary).map((x) => x.met)).toEqual([false, true]);
  });
});
