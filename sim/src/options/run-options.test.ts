import { describe, expect, it } from 'vitest';
import { writeTrace } from '../testing/trace-text.js';
import { parseRunFlags } from './run-options.js';

describe('parseRunFlags', () => {
  const trace = writeTrace([]);

  it('fills defaults and parses every flag', () => {
    const o = parseRunFlags({
      trace,
      seed: '7',
      hosts: '10',
      hostShape: 'cpu=8,ramMb=1024',
      until: '2d',
      sampleInterval: '5m',
      loadScale: '1.5',
      launchLatency: '1s,2s',
      offers: '1s,4s,10s',
      queueOrder: 'drf',
      preemptionDelay: '0',
    });
    expect(o).toMatchObject({
      seed: 7,
      hosts: 10,
      hostShape: { cpu: 8, ramMb: 1024 },
      untilMs: 172_800_000,
      sampleIntervalMs: 300_000,
      loadScale: 1.5,
      launchLatencyMs: [1000, 2000],
      offers: { allocationIntervalMs: 1000, offerHoldMs: 4000, refuseMs: 10_000 },
      queueOrder: 'drf',
      preemptionDelayMs: 0,
      preemption: true,
      audit: false,
      eventLog: true,
    });
  });

  it('names the flag in every error', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /--trace/],
      [{ trace: '/no/such/file.jsonl' }, /--trace/],
      [{ trace, seed: 'x' }, /--seed/],
      [{ trace, hosts: '0' }, /--hosts/],
      [{ trace, hostShape: 'cpu=1' }, /--host-shape/],
      [{ trace, until: 'tomorrow' }, /--until/],
      [{ trace, sampleInterval: '0' }, /--sample-interval/],
      [{ trace, loadScale: '-2' }, /--load-scale/],
      [{ trace, queueOrder: 'random' }, /--queue-order/],
      [{ trace, offers: '1s' }, /--offers/],
      [{ trace, launchLatency: 'fast' }, /--launch-latency/],
      [{ trace, policy: 'tightest' }, /--policy: unknown placement policy "tightest"/],
    ];
    for (const [flags, message] of cases)
      expect(() => parseRunFlags(flags), JSON.stringify(flags)).toThrow(message);
  });
});
