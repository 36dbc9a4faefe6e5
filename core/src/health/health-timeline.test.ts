import { describe, expect, it } from 'vitest';
import { healthyAfterMs, simulatedHealth, unhealthyAfterMs } from './health-timeline.js';

const check = {
  initialIntervalSecs: 15,
  intervalSecs: 10,
  timeoutSecs: 1,
  maxConsecutiveFailures: 2,
  minConsecutiveSuccesses: 3,
};

describe('health timeline', () => {
  it('healthy after the initial interval and the required successes; failed after too many failures', () => {
    expect(healthyAfterMs(undefined)).toBe(0);
    expect(healthyAfterMs(check)).toBe(35_000);
    expect(unhealthyAfterMs(check)).toBe(35_000);
    expect(unhealthyAfterMs({ ...check, maxConsecutiveFailures: 0 })).toBe(15_000);
  });

  it('plays the simulated behaviours', () => {
    expect(simulatedHealth(check, undefined)).toEqual({ kind: 'healthy', atMs: 35_000 });
    expect(simulatedHealth(check, { unhealthy: true })).toEqual({ kind: 'unhealthy', atMs: 35_000 });
    expect(simulatedHealth(check, { failAfterMs: 60_000 })).toEqual({
      kind: 'fails',
      atMs: 60_000,
      healthyAtMs: 35_000,
    });
    expect(simulatedHealth(check, { failAfterMs: 10_000 })).toEqual({ kind: 'fails', atMs: 10_000 });
    expect(simulatedHealth(undefined, { unhealthy: true })).toEqual({ kind: 'healthy', atMs: 0 });
    expect(simulatedHealth(check, { unhealthy: true, failAfterMs: 5_000 })).toEqual({
      kind: 'fails',
      atMs: 5_000,
    });
  });
});
