import { describe, expect, it } from 'vitest';
import { sampleJobs } from './job-sample.js';

describe('sampleJobs', () => {
  it('keeps every job when under budget', () => {
    expect(
      sampleJobs(
        new Map([
          ['a', 5],
          ['b', 5],
        ]),
        10,
      ),
    ).toEqual(new Set(['a', 'b']));
  });

  it('stays within budget with whole jobs and is deterministic', () => {
    const counts = new Map<string, number>(
      Array.from({ length: 500 }, (_, i) => [`role/prod/job${i}`, 10 + (i % 7)] as const),
    );
    const a = sampleJobs(counts, 1000);
    const used = [...a].reduce((n, j) => n + counts.get(j)!, 0);
    expect(used).toBeLessThanOrEqual(1000);
    expect(used).toBeGreaterThan(900);
    expect(sampleJobs(counts, 1000)).toEqual(a);
    // Spread over the run: not simply the first jobs.
    const idx = [...a].map((j) => Number(j.slice('role/prod/job'.length)));
    expect(Math.max(...idx)).toBeGreaterThan(400);
  });
});
