import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { micro } from './micro.js';
import { runSuite } from './run-suite.js';
import type { BenchSuite } from './suite.js';
import { timed } from './timed.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
  dirs.push(dir);
  return dir;
}

const sumSuite: BenchSuite = {
  name: 'sum',
  description: 'sums an array',
  async run({ quick }) {
    const values = new Float64Array(quick ? 10 : 1000).fill(1);
    const { value, figures } = await timed(() => values.reduce((a, b) => a + b, 0));
    const cases = await micro(
      { sum: { fn: () => values.reduce((a, b) => a + b, 0), opsPerCall: values.length } },
      {
        timeMs: 20,
        iterations: 5,
        warmupMs: 5,
      },
    );
    return { total: value, run: figures, ...cases };
  },
};

describe('runSuite', () => {
  it('writes the stamped record and prints the table', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const dir = tempDir();
    await runSuite(sumSuite, { quick: false, resultsDir: dir });
    expect(readdirSync(dir)).toEqual(['sum.json']);
    const record = JSON.parse(readFileSync(join(dir, 'sum.json'), 'utf8'));
    expect(record.suite).toBe('sum');
    expect(typeof record.machine.cpuModel).toBe('string');
    expect(record.machine.cores).toBeGreaterThan(0);
    expect(new Date(record.date).toISOString()).toBe(record.date);
    expect(record.results.total).toBe(1000);
    expect(record.results.run.wallMs).toBeGreaterThanOrEqual(0);
    expect(record.results.run.cpuMs).toBeGreaterThanOrEqual(0);
    expect(record.results.run.peakRssMb).toBeGreaterThan(0);
    expect(record.results.sum.opsPerSec).toBeGreaterThan(0);
    expect(record.results.sum.samples).toBeGreaterThanOrEqual(5);
    const printed = out.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toContain('## sum: sums an array');
    expect(printed).toMatch(/figure\s+value/);
  });

  it('marks quick runs and writes nothing when no results folder is given', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await runSuite(sumSuite, { quick: true, resultsDir: undefined });
    const printed = out.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toContain('QUICK (sizes reduced)');
    expect(printed).not.toContain('wrote ');
  });
});
