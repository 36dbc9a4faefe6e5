import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';

const bin = fileURLToPath(new URL('../../../cli/bin/borealis.mjs', import.meta.url));
const borealis = async (...args: string[]) => promisify(execFile)(process.execPath, [bin, ...args]);

const trace = writeTrace([
  host(0, 'a'),
  host(0, 'b'),
  job(0, 'batch/devel/four', { instances: 4, durationMs: 60_000, task: { cpu: 2, ramMb: 1024, diskMb: 0 } }),
]);

describe('--json on sim run, compare and plan', () => {
  it('sim run --json prints summary.json (and nothing else) on stdout', async () => {
    const out = join(tempDir(), 'run');
    const { stdout } = await borealis('sim', 'run', '--trace', trace, '--out', out, '--json');
    const printed = JSON.parse(stdout);
    const written = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect({ ...printed, wallMs: 0 }).toEqual({ ...written, wallMs: 0 });
    expect(printed.tasks.finished).toBe(4);
  });

  it('sim compare --json prints the comparison', async () => {
    const out = join(tempDir(), 'cmp');
    const { stdout } = await borealis(
      ...['sim', 'compare', '--trace', trace, '--policies', 'first-fit,worst-fit', '--seeds', '1'],
      ...['--out', out, '--jobs', '1', '--json'],
    );
    const c = JSON.parse(stdout);
    expect(c.policies).toEqual(['first-fit', 'worst-fit']);
    expect(c.runs.map((r: { dir: string }) => r.dir)).toEqual(['first-fit-s1', 'worst-fit-s1']);
  });

  it('sim compare --json --objective puts the verdict in the comparison and keeps stdout JSON', async () => {
    const out = join(tempDir(), 'cmp-objective');
    const { stdout } = await borealis(
      ...['sim', 'compare', '--trace', trace, '--policies', 'first-fit,worst-fit', '--seeds', '1'],
      ...['--out', out, '--jobs', '1', '--objective', 'delay.p99', '--json'],
    );
    const c = JSON.parse(stdout);
    expect(c.verdict.objective).toEqual({ metric: 'delay.p99', better: 'min' });
    expect(JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')).verdict).toEqual(c.verdict);
  });

  it('sim plan --json prints the answer and every trial', async () => {
    const { stdout } = await borealis('sim', 'plan', '--trace', trace, '--slo', 'pending.end==0', '--json');
    const p = JSON.parse(stdout);
    expect(p.answer).toBeGreaterThanOrEqual(1);
    expect(p.trials.some((t: { hosts: number; met: boolean }) => t.hosts === p.answer && t.met)).toBe(true);
    expect(p.trials[0].objectives[0]).toMatchObject({ objective: 'pending.end==0' });
    expect(p.hostShape).toBeNull(); // the trace's own kinds
    expect(p.explanation).toEqual([]);
  });

  it('sim plan --json without an answer exits 1 and carries the explanation', async () => {
    const nowhere = writeTrace([
      host(0, 'a'),
      job(0, 'batch/devel/z', { kind: 'service', instances: 2, constraints: { zone: 'z' } }),
    ]);
    const r = await borealis('sim', 'plan', '--trace', nowhere, '--slo', 'pending.end==0', '--json').then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => err,
    );
    expect(r.code).toBe(1);
    const p = JSON.parse(r.stdout);
    expect(p.answer).toBeNull();
    expect(p.explanation).toContainEqual(expect.stringMatching(/^fails: pending\.end==0 \(2 at \d+ hosts\)/));
    expect(p.trials.at(-1).pendingAtEnd).toBe(2);
  });
});
