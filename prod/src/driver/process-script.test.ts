import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Process } from '@borealis/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { levels, processScript, quote } from './process-script.js';

function proc(name: string, cmdline: string, extra: Partial<Process> = {}): Process {
  return { name, cmdline, final: false, daemon: false, maxFailures: 1, ...extra };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-script-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs a script as Mesos's command executor would (`sh -c`), in `dir`; resolves with its exit code. */
function run(script: string): Promise<number> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', script], { cwd: dir }, (error) => {
      resolve(error ? Number((error as { code?: number }).code ?? 1) : 0);
    });
  });
}

async function log(): Promise<string[]> {
  const text = await readFile(join(dir, 'log'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

const same = (s: string) => s;

describe('processScript', () => {
  it('is the command line itself for one plain process', () => {
    expect(processScript([proc('web', 'python3 -m http.server {{ports.http}}')], [], same)).toBe(
      'python3 -m http.server {{ports.http}}',
    );
  });

  it('runs ordered processes one after the other and the rest alongside', async () => {
    const script = processScript(
      [
        proc('fetch', 'sleep 0.2; echo fetch >> log'),
        proc('unpack', 'echo unpack >> log'),
        proc('serve', 'echo serve >> log'),
        proc('side', 'echo side >> log'),
      ],
      [['fetch', 'unpack', 'serve']],
      same,
    );
    expect(await run(script)).toBe(0);
    const lines = await log();
    expect(lines.indexOf('fetch')).toBeLessThan(lines.indexOf('unpack'));
    expect(lines.indexOf('unpack')).toBeLessThan(lines.indexOf('serve'));
    // 'side' has no ordering: it runs with the first level, before fetch's sleep ends.
    expect(lines[0]).toBe('side');
  });

  it('retries a failing process up to maxFailures, then fails the task and skips later levels', async () => {
    const script = processScript(
      [proc('flaky', 'echo try >> log; exit 1', { maxFailures: 3 }), proc('after', 'echo after >> log')],
      [['flaky', 'after']],
      same,
    );
    expect(await run(script)).toBe(1);
    expect(await log()).toEqual(['try', 'try', 'try']);
  });

  it('retries until success', async () => {
    const script = processScript(
      [
        proc('flaky', 'echo try >> log; [ "$(wc -l < log)" -ge 2 ]', { maxFailures: 5 }),
        proc('after', 'echo after >> log'),
      ],
      [['flaky', 'after']],
      same,
    );
    expect(await run(script)).toBe(0);
    expect(await log()).toEqual(['try', 'try', 'after']);
  });

  it('runs final processes after the others, also when one failed, and stops daemons', async () => {
    const script = processScript(
      [
        proc('main', 'echo main >> log; exit 2'),
        proc('cleanup', 'echo cleanup >> log', { final: true }),
        proc('agent', 'while :; do sleep 0.05; done', { daemon: true }),
      ],
      [],
      same,
    );
    expect(await run(script)).toBe(1);
    expect(await log()).toEqual(['main', 'cleanup']);
  });

  it('on SIGTERM stops the running processes, runs the finals and exits 143', async () => {
    const script = processScript(
      [
        proc('main', 'echo $$ > main.pid; while :; do sleep 0.05; done'),
        proc('cleanup', 'echo cleanup >> log', { final: true }),
      ],
      [],
      same,
    );
    const child = spawn('sh', ['-c', script], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let pid = '';
    for (let i = 0; i < 100 && !pid; i++) {
      await new Promise((r) => setTimeout(r, 20));
      pid = (await readFile(join(dir, 'main.pid'), 'utf8').catch(() => '')).trim();
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(await log()).toEqual(['cleanup']);
    // The process the script was running is gone too.
    expect(() => process.kill(Number(pid), 0)).toThrow();
  });

  it('renders each command line through the template', async () => {
    const script = processScript(
      [proc('a', 'echo {{x}} >> log'), proc('b', "echo 'it''s' >> log")],
      [['a', 'b']],
      (s) => s.replace('{{x}}', '42'),
    );
    expect(await run(script)).toBe(0);
    expect(await log()).toEqual(['42', 'its']);
  });
});

describe('levels', () => {
  it('puts a process one level after everything ordered before it', () => {
    const ps = [proc('a', ''), proc('b', ''), proc('c', ''), proc('d', '')];
    const out = levels(ps, [
      ['a', 'b', 'd'],
      ['c', 'd'],
    ]).map((l) => l.map((p) => p.name));
    expect(out).toEqual([['a', 'c'], ['b'], ['d']]);
  });

  it('rejects a cycle', () => {
    expect(() =>
      levels(
        [proc('a', ''), proc('b', '')],
        [
          ['a', 'b'],
          ['b', 'a'],
        ],
      ),
    ).toThrow(/cycle/);
  });
});

describe('quote', () => {
  it('survives sh', async () => {
    const text = `it's "quoted" $HOME \`x\``;
    expect(await run(`printf %s ${quote(text)} > log`)).toBe(0);
    expect(await readFile(join(dir, 'log'), 'utf8')).toBe(text);
  });
});
