import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compare } from '../compare/compare.js';
import { DEFAULTS } from '../run/sim-options.js';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../../cli/bin/borealis.mjs', import.meta.url));

async function borealis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Ten 4-cpu instances: exactly ten 4-cpu hosts are needed for nothing to stay pending.
const trace = writeTrace([
  host(0, 'a'),
  job(0, 'batch/devel/ten', { kind: 'service', instances: 10, task: { cpu: 4, ramMb: 1024, diskMb: 0 } }),
]);

describe('borealis sim (through the CLI binary)', () => {
  it('runs a trace, writes the run folder and prints the summary and report location', async () => {
    const out = tempDir();
    const r = await borealis(
      'sim',
      'run',
      '--trace',
      trace,
      '--out',
      out,
      '--hosts',
      '4',
      '--host-shape',
      'cpu=4,ramMb=8192',
      '--audit',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/violations\s+0/);
    expect(r.stdout).toMatch(/4 pending|at end\s+4 on hosts, 6 pending/);
    for (const f of ['summary.json', 'timeseries.csv', 'events.jsonl', 'preemptions.jsonl', 'hosts.json']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ hosts: 4, tasks: { runningAtEnd: 4, pendingAtEnd: 6 } });
    expect(summary.ignoredRecords).toEqual({ 'host_add: replaced by the --hosts override': 1 });
  });

  it('rejects bad flags with a message naming the flag and no stack trace', async () => {
    const r = await borealis('sim', 'run', '--trace', trace, '--until', 'later');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('borealis: --until');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('plans the smallest cluster meeting an objective and shows the runs tried', async () => {
    const r = await borealis(
      'sim',
      'plan',
      '--trace',
      trace,
      '--slo',
      'pending.end==0',
      '--host-shape',
      'cpu=4,ramMb=8192',
      '--start',
      '3',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('answer: 10 hosts of cpu=4,ramMb=8192');
    expect(r.stdout).toMatch(/^\s*9\s+no/m);
    expect(r.stdout).toMatch(/^\s*10\s+yes/m);
  });

  it("plans with hosts in the trace's mix, so constraints on its attributes stay satisfiable", async () => {
    // One zone-a and one zone-b host; eight 4-cpu instances need zone b: 16 hosts, half in b.
    const zoned = writeTrace([
      host(0, 'a', { attributes: { zone: 'a' } }),
      host(0, 'b', { attributes: { zone: 'b' } }),
      job(0, 'batch/devel/b', {
        kind: 'service',
        instances: 8,
        task: { cpu: 4, ramMb: 1024, diskMb: 0 },
        constraints: { zone: 'b' },
      }),
    ]);
    const r = await borealis('sim', 'plan', '--trace', zoned, '--slo', 'pending.end==0,delay.p99<=10s');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/answer: 16 hosts of the trace's kinds in the mix of the trace's 2 hosts/);
    expect(r.stdout).toMatch(/^\s*15\s+no/m);
  });

  it('says which objective fails and why when no size meets it, and exits non-zero', async () => {
    const nowhere = writeTrace([
      host(0, 'a', { attributes: { zone: 'a' } }),
      job(0, 'batch/devel/z', { kind: 'service', instances: 2, constraints: { zone: 'z' } }),
      job(0, 'batch/devel/ok', { kind: 'service', instances: 2 }),
    ]);
    const r = await borealis('sim', 'plan', '--trace', nowhere, '--slo', 'pending.end==0');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no answer');
    expect(r.stdout).toMatch(/fails: pending\.end==0 \(2 at \d+ hosts\)/);
    expect(r.stdout).toMatch(
      /why: 2 tasks still pending at \d+ hosts, turned away for: constraint zone=z \(2\)/,
    );
    expect(r.stdout).toContain('no host both satisfies zone=z and has room for those tasks');
  });

  it('names the bad term of an objective', async () => {
    const r = await borealis('sim', 'plan', '--trace', trace, '--slo', 'pending.end==0 && latency<5');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown metric "latency"');
  });
});

describe('sim compare', () => {
  it('runs policies × seeds on worker threads, one folder each, with comparison.json', async () => {
    const out = tempDir();
    const c = await compare({
      base: {
        trace,
        hosts: 6,
        hostShape: { cpu: 4, ramMb: 8192, diskMb: 10000, gpus: 0 },
        sampleIntervalMs: 60_000,
        loadScale: 1,
        loadJitterMs: DEFAULTS.loadJitterMs,
        audit: true,
        preemption: true,
        launchLatencyMs: [1000, 2000],
        killLatencyMs: 1000,
        eventLog: true,
      },
      policies: ['first-fit', 'worst-fit'],
      seeds: [1, 2],
      out,
      jobs: 2,
    });
    expect(c.runs.map((r) => r.dir)).toEqual([
      'first-fit-s1',
      'first-fit-s2',
      'worst-fit-s1',
      'worst-fit-s2',
    ]);
    for (const r of c.runs) expect(existsSync(join(out, r.dir, 'summary.json'))).toBe(true);
    const written = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'));
    expect(written.aggregate.map((a: { policy: string }) => a.policy)).toEqual(['first-fit', 'worst-fit']);
    expect(written.aggregate[0].metrics['pending.end']).toEqual({ mean: 4, stdev: 0, min: 4, max: 4 });
    // Nothing here is random: both seeds of each policy come out the same, and the comparison says so.
    expect(written.seedInsensitive).toEqual(['first-fit', 'worst-fit']);
  });
});
