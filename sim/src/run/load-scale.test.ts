import type { JobSubmitRecord } from '@borealis/traces';
import { describe, expect, it } from 'vitest';
import { LoadScaler } from './load-scale.js';

const submit = (t: number, kind: 'service' | 'adhoc'): JobSubmitRecord =>
  ({ t, type: 'job_submit', job: 'a/b/c', kind, instances: 1 }) as unknown as JobSubmitRecord;

describe('LoadScaler', () => {
  it('scales arrivals but not the services standing at t=0, unless asked', () => {
    const scaler = new LoadScaler(2, 1000, () => 0.5);
    expect(scaler.scales(submit(0, 'service'))).toBe(false);
    expect(scaler.scales(submit(0, 'adhoc'))).toBe(true);
    expect(scaler.scales(submit(1, 'service'))).toBe(true);
    expect(new LoadScaler(2, 1000, () => 0.5, true).scales(submit(0, 'service'))).toBe(true);
    expect(new LoadScaler(1, 1000, () => 0.5).scales(submit(5, 'adhoc'))).toBe(false);
  });

  it('adds floor(X) - 1 copies, one more with probability frac(X), each within the jitter', () => {
    const copies = new LoadScaler(2.5, 1000, () => 0.4).copies(submit(100, 'adhoc'));
    expect(copies.map((c) => [c.job, c.t])).toEqual([
      ['a/b/c-x1', 500],
      ['a/b/c-x2', 500],
    ]);
  });
});
