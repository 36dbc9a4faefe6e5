import { describe, expect, it } from 'vitest';
import { policyBands } from './policy-bands.js';

const run = (policy: string, seed: number, values: number[], t = values.map((_, i) => i * 10)) => ({
  policy,
  label: `${policy}-s${seed}`,
  color: policy === 'a' ? 'red' : 'blue',
  t: Float64Array.from(t),
  values: Float64Array.from(values),
});

describe('policyBands', () => {
  it('gives each policy one mean line with a min–max band across its seeds', () => {
    const [a, b] = policyBands([run('a', 1, [1, 4, 2]), run('a', 2, [3, 2]), run('b', 1, [5, 5, 5])], String);
    expect(a!.key).toBe('a');
    expect([...a!.values]).toEqual([2, 3, 2]);
    expect([...a!.band!.lo]).toEqual([1, 2, 2]);
    expect([...a!.band!.hi]).toEqual([3, 4, 2]);
    expect(a!.label).toBe('a (2 seeds: mean, band min–max)');
    // One run: its own line, no band.
    expect(b).toMatchObject({ key: 'b-s1', color: 'blue' });
    expect(b!.band).toBeUndefined();
  });

  it('matches samples by time and leaves gaps where no seed has one', () => {
    const [a] = policyBands(
      [run('a', 1, [1, Number.NaN, 3]), run('a', 2, [5, Number.NaN, 7], [0, 10, 25])],
      String,
    );
    expect([...a!.values]).toEqual([3, Number.NaN, 3]);
  });
});
