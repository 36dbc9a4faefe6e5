import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/borealis.mjs', import.meta.url));
const sample = fileURLToPath(new URL('../../traces/samples/sample.jsonl', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'borealis-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function borealis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** One line on stderr, starting with "borealis:", and no stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr).toMatch(/^borealis: [^\n]+\n$/);
}

describe('usage errors exit 2 with one line', () => {
  it.each([
    ['a bad duration', ['sim', 'run', '--trace', sample, '--until', 'later']],
    ['a bad number', ['sim', 'run', '--trace', sample, '--seed', 'x']],
    ['an unknown policy', ['sim', 'run', '--trace', sample, '--policy', 'nope']],
    ['an unknown queue order', ['sim', 'run', '--trace', sample, '--queue-order', 'lifo']],
    ['a bad --max-instances', ['sim', 'run', '--trace', sample, '--max-instances', '0']],
    ['a bad --slo', ['sim', 'plan', '--trace', sample, '--slo', 'delay.p99<=soon']],
    [
      'a bad --host-shape',
      ['sim', 'plan', '--trace', sample, '--slo', 'pending.end==0', '--host-shape', 'cpu=0'],
    ],
    ['a bad --fail', ['sim', 'run', '--trace', sample, '--fail', 'rack=r03']],
    [
      'a --fail no host matches',
      ['sim', 'run', '--trace', sample, '--fail', 'rack=nowhere@1h', '--out', join(dir, 'no-match')],
    ],
    [
      'a bad --objective',
      ['sim', 'compare', '--trace', sample, '--policies', 'hybrid', '--objective', 'speed'],
    ],
    ['an unknown preset', ['trace', 'generate', '--preset', 'x', '--hosts', '1', '--days', '1', '-o', 'x']],
    ['a bad trace flag', ['trace', 'validate', sample, '--limit', '-1']],
    ['a missing required flag', ['sim', 'run']],
  ])('%s', async (_what, args) => {
    const r = await borealis(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('file-system errors and closed pipes', () => {
  it('a path through a file is one borealis: line naming the path', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = await borealis('trace', 'stats', join(file, 'x.jsonl'));
    expect(r.code).toBe(1);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(join(file, 'x.jsonl'));
  });

  it('--out under a file is a usage error naming the file', async () => {
    const file = join(dir, 'b-file');
    writeFileSync(file, '');
    const r = await borealis('sim', 'run', '--trace', sample, '--out', join(file, 'run'));
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(`${file} is a file, not a folder`);
  });

  it('output to a reader that went away (EPIPE) is one line, not a stack trace', async () => {
    const child = spawn(process.execPath, [bin, 'trace', 'stats', sample, '--bucket-minutes', '1', '--json']);
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(1);
    expect(stderr).toBe('borealis: output closed early: the reader of the output went away (EPIPE)\n');
  });
});
