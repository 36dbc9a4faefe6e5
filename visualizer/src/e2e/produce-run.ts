import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { writeFixtureRun } from '../testing/fixture-run.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/**
 * A run folder for the browser tests: a real simulator run of the bundled sample trace. While the
 * `sim` command does not exist yet in this checkout (it is being built alongside), and only then,
 * the seeded fixture writer stands in; any other simulator failure fails the test.
 */
export async function produceRun(dir: string): Promise<{ dir: string; source: 'simulator' | 'fixture' }> {
  try {
    await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'cli', 'bin', 'borealis.mjs'),
        'sim',
        'run',
        '--trace',
        join(ROOT, 'traces', 'samples', 'sample.jsonl'),
        '--out',
        dir,
      ],
      { cwd: ROOT, maxBuffer: 16 << 20 },
    );
    return { dir, source: 'simulator' };
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '');
    if (!/unknown command 'sim'/.test(stderr)) throw err;
    await writeFixtureRun(dir, { hosts: 120, durationMs: 6 * 3_600_000, sampleIntervalMs: 30_000, seed: 3 });
    return { dir, source: 'fixture' };
  }
}
