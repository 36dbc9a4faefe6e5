import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/trace-text.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'cli/bin/borealis.mjs');
const sample = join(root, 'traces/samples/sample.jsonl');

/**
 * The README's capacity-planning example, run as a user would: it must give an answer, and a
 * `sim run` at the answer's host count must meet the objective it promised (and one host fewer
 * must not, or the answer is not the smallest).
 */
describe("the README's sim plan example on the bundled sample", () => {
  const slo = 'delay.p99<=60s,pending.end==0';
  const shape = 'cpu=32,ramMb=131072';

  it('answers with a host count whose run meets the objective', { timeout: 120_000 }, async () => {
    const plan = await run(process.execPath, [
      bin,
      'sim',
      'plan',
      '--trace',
      sample,
      '--slo',
      slo,
      '--host-shape',
      shape,
    ]);
    const m = /answer: (\d+) hosts of cpu=32,ramMb=131072.* in the mix of the trace's 200 hosts/.exec(
      plan.stdout,
    );
    expect(m, plan.stdout).not.toBeNull();
    const hosts = Number(m![1]);
    const check = async (n: number) => {
      const out = tempDir();
      await run(process.execPath, [
        bin,
        'sim',
        'run',
        '--trace',
        sample,
        '--hosts',
        String(n),
        '--host-shape',
        shape,
        '--out',
        out,
        '--no-event-log',
      ]);
      return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    };
    const at = await check(hosts);
    expect(at.tasks.pendingAtEnd).toBe(0);
    expect(at.schedulingDelayMs.p99).toBeLessThanOrEqual(60_000);
    const below = await check(hosts - 1);
    expect(below.tasks.pendingAtEnd > 0 || below.schedulingDelayMs.p99 > 60_000).toBe(true);
  });
});
