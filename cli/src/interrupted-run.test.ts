import { execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/borealis.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'borealis-interrupt-'));
const trace = join(dir, 'long.jsonl.gz');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // Several seconds of simulation: long enough to be interrupted a second after it started writing.
  await promisify(execFile)(process.execPath, [
    bin,
    ...['trace', 'generate', '--preset', 'google-2011', '--hosts', '300', '--days', '3', '-o', trace],
  ]);
});

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 50));
}

/** Starts `sim run` into `out`, sends SIGINT one second after its staging folder appears. */
async function interruptedRun(out: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'sim', 'run', '--trace', trace, '--out', out]);
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  await waitFor(() => readdirSync(dir).some((n) => n.includes('.partial-')));
  await new Promise((r) => setTimeout(r, 1000));
  child.kill('SIGINT');
  return { code: await exited, stderr };
}

describe('an interrupted sim run', () => {
  it('prints "interrupted", exits 130 and leaves no folder that viz accepts as a run', async () => {
    const out = join(dir, 'run');
    const r = await interruptedRun(out);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('borealis: interrupted');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('.partial-'))).toEqual([]);
    const viz = await promisify(execFile)(process.execPath, [bin, 'viz', out, '--port', '0']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(viz.code).toBe(1);
    expect(viz.stderr).toContain('is not a run folder');
  });

  it('keeps an earlier run in the same folder whole', async () => {
    const out = join(dir, 'earlier');
    mkdirSync(out);
    writeFileSync(join(out, 'summary.json'), '{"earlier":true}\n');
    writeFileSync(join(out, 'events.jsonl'), '');
    const r = await interruptedRun(out);
    expect(r.code).toBe(130);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe('{"earlier":true}\n');
    expect(readdirSync(out).sort()).toEqual(['events.jsonl', 'summary.json']);
  });

  it('refuses to write into a folder that is not a run folder (usage error, exit 2)', async () => {
    const out = join(dir, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const r = await promisify(execFile)(process.execPath, [
      bin,
      'sim',
      'run',
      '--trace',
      trace,
      '--out',
      out,
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a run or comparison folder');
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });
});
