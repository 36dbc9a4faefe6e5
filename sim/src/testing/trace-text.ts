import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Every folder the helpers below made for the current test file. They are removed once the file's
 * tests are done (the hook is registered when a test file imports this module; vitest evaluates it
 * afresh for each file): without it a day of test runs left ~1,800 folders in /tmp.
 */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function madeDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Test helper: writes a small trace (header + records) to a temp file and returns its path. */
export function writeTrace(records: readonly object[], name = 'test'): string {
  const dir = madeDir('borealis-sim-');
  const path = join(dir, `${name}.jsonl`);
  const lines = [{ format: 'borealis-trace', version: 1, name }, ...records].map((r) => JSON.stringify(r));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Test helper: an empty folder (a run's output, a trace written by hand), removed after the file's tests. */
export function tempDir(): string {
  return madeDir('borealis-run-');
}

/** A host_add record with defaults. */
export function host(t: number, id: string, extra: Record<string, unknown> = {}): object {
  return {
    t,
    type: 'host_add',
    host: id,
    cpu: 4,
    ramMb: 4096,
    diskMb: 10000,
    gpus: 0,
    ports: [31000, 31010],
    attributes: { rack: 'r1' },
    ...extra,
  };
}

/** A job_submit record with defaults (1 cpu, 1024 MB). */
export function job(t: number, key: string, extra: Record<string, unknown> = {}): object {
  return {
    t,
    type: 'job_submit',
    job: key,
    kind: 'adhoc',
    instances: 1,
    tier: 'preemptible',
    priority: 0,
    task: { cpu: 1, ramMb: 1024, diskMb: 0 },
    ...extra,
  };
}
