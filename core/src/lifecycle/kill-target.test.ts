import { describe, expect, it } from 'vitest';
import { killTarget } from './kill-target.js';
import { transition } from './transition.js';

describe('killTarget', () => {
  it('maps each kill reason to the state that carries its intent', () => {
    expect(killTarget('user')).toBe('KILLING');
    expect(killTarget('update')).toBe('KILLING');
    expect(killTarget('cron-collision')).toBe('KILLING');
    expect(killTarget('preempted')).toBe('PREEMPTING');
    expect(killTarget('drain')).toBe('DRAINING');
    expect(killTarget('restart')).toBe('RESTARTING');
    expect(killTarget('unhealthy')).toBe('RESTARTING');
    expect(killTarget('host-removed')).toBe('LOST');
  });

  it('gives states from which a user kill never returns and a preemption does', () => {
    const ctx = { kind: 'service' as const, failureCount: 0, maxTaskFailures: 1, now: 0 };
    const end = (reason: Parameters<typeof killTarget>[0]) =>
      transition(killTarget(reason), 'KILLED', ctx).effects.some((e) => e.kind === 'reschedule');
    expect(end('user')).toBe(false);
    expect(end('preempted')).toBe(true);
    expect(end('drain')).toBe(true);
  });
});
