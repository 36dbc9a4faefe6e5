import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/borealis.mjs', import.meta.url));

async function borealis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('borealis CLI', () => {
  it('prints its version', async () => {
    const r = await borealis('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('prints help listing the subcommands', async () => {
    const r = await borealis('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: borealis');
  });

  it('rejects an unknown command with a message and a non-zero exit, no stack trace', async () => {
    const r = await borealis('frobnicate');
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown flag', async () => {
    const r = await borealis('--no-such-flag');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown option');
  });
});
