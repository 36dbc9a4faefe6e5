import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'cli', 'bin', 'borealis.mjs');
const SAMPLE = join(ROOT, 'traces', 'samples', 'sample.jsonl');
const LIFECYCLE = join(ROOT, 'traces', 'samples', 'lifecycle.jsonl');

async function borealis(args: readonly string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: ROOT, maxBuffer: 16 << 20 });
}

/** A real simulator run of the bundled sample trace, through the CLI as a user runs it. */
export async function simulatorRun(dir: string): Promise<string> {
  await borealis(['sim', 'run', '--trace', SAMPLE, '--out', dir]);
  return dir;
}

/** A run of the lifecycle sample (updates, a rollback, cron, a drain) under --audit. */
export async function simulatorLifecycleRun(dir: string): Promise<string> {
  await borealis(['sim', 'run', '--trace', LIFECYCLE, '--audit', '--out', dir]);
  return dir;
}

/** The same run without events.jsonl (`--no-event-log`, what very large runs use). */
export async function simulatorRunWithoutEvents(dir: string): Promise<string> {
  await borealis(['sim', 'run', '--trace', SAMPLE, '--no-event-log', '--out', dir]);
  return dir;
}

/** A real `sim compare` of the sample trace: two policies × two seeds. */
export async function simulatorComparison(dir: string): Promise<string> {
  await borealis([
    'sim',
    'compare',
    '--trace',
    SAMPLE,
    '--policies',
    'first-fit,worst-fit',
    '--seeds',
    '1,2',
    '--out',
    dir,
  ]);
  return dir;
}
