import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';

const bin = fileURLToPath(new URL('../../../cli/bin/borealis.mjs', import.meta.url));

async function borealis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// One job over Aurora's default limit of 4000 instances, one under it; tiny tasks on a big host.
const tiny = { task: { cpu: 0.001, ramMb: 1, diskMb: 0 }, durationMs: 60_000 };
const trace = writeTrace([
  host(0, 'big', { cpu: 64, ramMb: 65536 }),
  job(1000, 'batch/prod/huge', { instances: 4500, ...tiny }),
  job(2000, 'batch/prod/small', { instances: 3, ...tiny }),
]);

describe('jobs over the instance limit', () => {
  it('sim run prints why jobs were rejected and the flag that admits them', async () => {
    const out = join(tempDir(), 'run');
    const r = await borealis('sim', 'run', '--trace', trace, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/jobs\s+1 submitted, 1 rejected/);
    expect(r.stdout).toMatch(/rejected because\s+job <job>: instances must be 1 … 4000, got 4500 \(1 job\)/);
    expect(r.stdout).toContain('over the instance limit: --max-instances 4500 admits them');
  });

  it('--max-instances raises the limit and is recorded in summary.json', async () => {
    const out = join(tempDir(), 'run');
    const r = await borealis('sim', 'run', '--trace', trace, '--out', out, '--max-instances', '4500');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('rejected because');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.jobs).toMatchObject({ submitted: 2, rejected: 0 });
    expect(summary.tasks.submitted).toBe(4503);
    expect(summary.options.maxInstances).toBe(4500);
  });

  it('trace validate flags them without failing the format check', async () => {
    const r = await borealis('trace', 'validate', trace);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /line 3: warning: job "batch\/prod\/huge" has 4500 instances, over the limit of 4000/,
    );
    expect(r.stderr).toContain('sim run rejects them unless run with --max-instances 4500');
    expect(r.stdout).toContain('(1 job(s) over the instance limit, see above)');
    const raised = await borealis('trace', 'validate', trace, '--max-instances', '5000');
    expect(raised.stderr).toBe('');
  });
});
