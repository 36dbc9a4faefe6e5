import { describe, expect, it } from 'vitest';
import { canPreempt, victimRank } from './rules.js';

const t = (role: string, tier: 'preferred' | 'preemptible' | 'revocable', priority = 0) => ({
  role,
  tier,
  priority,
});

describe('preemption rules', () => {
  it('lets production preempt preemptible and revocable tasks of any role', () => {
    expect(canPreempt(t('www', 'preferred'), t('batch', 'preemptible', 100))).toBe(true);
    expect(canPreempt(t('www', 'preferred'), t('batch', 'revocable', 100))).toBe(true);
  });

  it('within one preemptibility allows only lower priority of the same role', () => {
    expect(canPreempt(t('www', 'preferred', 5), t('www', 'preferred', 4))).toBe(true);
    expect(canPreempt(t('www', 'preferred', 5), t('www', 'preferred', 5))).toBe(false);
    expect(canPreempt(t('www', 'preferred', 5), t('ads', 'preferred', 0))).toBe(false);
    expect(canPreempt(t('batch', 'preemptible', 5), t('batch', 'revocable', 1))).toBe(true);
    expect(canPreempt(t('batch', 'revocable', 5), t('batch', 'preemptible', 1))).toBe(true);
    expect(canPreempt(t('batch', 'preemptible', 5), t('etl', 'preemptible', 1))).toBe(false);
  });

  it('never lets preemptible work preempt production', () => {
    expect(canPreempt(t('www', 'preemptible', 1000), t('www', 'preferred', -5))).toBe(false);
  });

  it('ranks every allowed victim strictly below its preemptor', () => {
    const tiers = ['preferred', 'preemptible', 'revocable'] as const;
    for (const a of tiers)
      for (const b of tiers)
        for (const pa of [-3, 0, 7])
          for (const pb of [-3, 0, 7]) {
            const p = t('r', a, pa);
            const v = t('r', b, pb);
            if (canPreempt(p, v)) expect(victimRank(v)).toBeLessThan(victimRank(p));
          }
    expect(victimRank(t('r', 'revocable', 3))).toBeLessThan(victimRank(t('r', 'preemptible', 3)));
  });
});
