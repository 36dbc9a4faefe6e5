import { readFileSync } from 'node:fs';
import { UserError } from '@borealis/core';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { TempDir } from '../import/test-support.js';
import { traceCommand } from './trace-command.js';

const tmp = new TempDir();
afterAll(() => tmp.remove());
afterEach(() => vi.restoreAllMocks());

/** Runs `borealis trace …` in-process; returns what it printed, or the error it threw. */
async function trace(...args: string[]): Promise<{ out: string; err: string; error?: unknown }> {
  const program = new Command('borealis').exitOverride();
  traceCommand(program);
  program.commands.forEach(function harden(c: Command): void {
    c.exitOverride();
    c.commands.forEach(harden);
  });
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    await program.parseAsync(['trace', ...args], { from: 'user' });
    return { out, err };
  } catch (error) {
    return { out, err, error };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('borealis trace', () => {
  it('generate → validate → stats', async () => {
    const file = tmp.out('g.jsonl.gz');
    const g = await trace(
      'generate',
      '--preset',
      'web-services',
      '--hosts',
      '20',
      '--days',
      '0.5',
      '--seed',
      '4',
      '-o',
      file,
    );
    expect(g.error).toBeUndefined();
    expect(g.out).toMatch(/20 hosts, \d+ jobs, \d+ tasks/);
    const v = await trace('validate', file);
    expect(v.error).toBeUndefined();
    expect(v.out).toMatch(/ok, \d+ records/);
    const s = await trace('stats', file, '--json');
    const stats = JSON.parse(s.out) as { hosts: { added: number }; jobs: { byKind: { service: number } } };
    expect(stats.hosts.added).toBe(20);
    expect(stats.jobs.byKind.service).toBeGreaterThan(0);
    const text = await trace('stats', file);
    expect(text.out).toContain('requested vs capacity');
  });

  it('validate lists problems up to the limit, then a count, and fails', async () => {
    const bad = Array.from({ length: 5 }, (_, i) => `{"t":${i},"type":"host_up","host":"x${i}"}`);
    const file = tmp.file('bad.jsonl', ['{"format":"borealis-trace","version":1}', ...bad].join('\n'));
    const r = await trace('validate', file, '--limit', '2');
    expect(r.error).toBeInstanceOf(UserError);
    expect((r.error as Error).message).toContain('5 problem(s)');
    expect(r.err).toContain('line 2: host: unknown host "x0"');
    expect(r.err).toContain('line 3: host: unknown host "x1"');
    expect(r.err).not.toContain('"x2"');
    expect(r.err).toContain('… and 3 more problems');
  });

  it('rejects an unknown preset and bad numbers as user errors', async () => {
    const out = tmp.out('x.jsonl');
    const p = await trace('generate', '--preset', 'nope', '--hosts', '2', '--days', '1', '-o', out);
    expect((p.error as Error).message).toMatch(/unknown preset "nope"/);
    const h = await trace('generate', '--preset', 'hpc-batch', '--hosts', '-3', '--days', '1', '-o', out);
    expect(h.error).toBeDefined();
  });

  it('generate --load / --service-share / --max-duration reach the generator and the header', async () => {
    const out = tmp.out('loaded.jsonl');
    const common = ['generate', '--preset', 'google-2011', '--hosts', '20', '--days', '0.25', '-o', out];
    const plain = await trace(...common);
    expect(plain.error).toBeUndefined();
    const jobsPlain = Number(/(\d+) jobs/.exec(plain.out)![1]);
    const r = await trace(...common, '--load', '4', '--service-share', '0.6', '--max-duration', '90m');
    expect(r.error).toBeUndefined();
    expect(Number(/(\d+) jobs/.exec(r.out)![1])).toBeGreaterThan(2 * jobsPlain);
    const header = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!) as { source: string; name: string };
    expect(header.source).toContain('--load 4 --service-share 0.6 --max-duration 90m');
    expect(header.name).toBe('google-2011-20h-0.25d-s1-x4');
    const longest = Math.max(
      ...readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => JSON.parse(l) as { durationMs?: number | number[] })
        .flatMap((r) => (r.durationMs === undefined ? [] : [r.durationMs].flat())),
    );
    expect(longest).toBeLessThanOrEqual(90 * 60_000);
  });

  it('generate names the flag when --load, --service-share or --max-duration is bad', async () => {
    const out = tmp.out('bad.jsonl');
    const common = ['generate', '--preset', 'hpc-batch', '--hosts', '2', '--days', '1', '-o', out];
    for (const [flag, value] of [
      ['--load', '0'],
      ['--load', '-2'],
      ['--load', 'lots'],
      ['--service-share', '1'],
      ['--service-share', 'half'],
      ['--max-duration', '0'],
      ['--max-duration', 'soon'],
    ] as const) {
      const r = await trace(...common, flag, value);
      expect(r.error, `${flag} ${value}`).toBeInstanceOf(UserError);
      expect((r.error as Error).message).toContain(flag);
      expect((r.error as Error).message).toContain(`"${value}"`);
    }
  });

  it('import prints rows, records and skipped counts by reason', async () => {
    const swf = tmp.file(
      'x.swf',
      '; MaxNodes: 2\n1 0 -1 10 1 -1 -1 1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n2 5 -1 -1 1 -1 -1 1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n',
    );
    const out = tmp.out('swf.jsonl');
    const r = await trace('import', 'swf', swf, '-o', out);
    expect(r.error).toBeUndefined();
    expect(r.out).toContain('rows read: 2');
    expect(r.out).toContain('records written: 3');
    expect(r.out).toMatch(/^skipped: 1$/m);
    expect(r.out).toContain('  unknown run time: 1');
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain('borealis-trace');
  });

  it('import exits non-zero with the reason when it skips most rows or writes nothing', async () => {
    const swf = tmp.file(
      'mostly-bad.swf',
      '; MaxNodes: 2\n1 0 -1 10 1 -1 -1 1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n2 5 -1 -1 1\n3 5 -1 -1 1 -1 -1 1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n',
    );
    const r = await trace('import', 'swf', swf, '-o', tmp.out('mostly-bad.jsonl'));
    expect(r.error).toBeInstanceOf(UserError);
    expect((r.error as UserError).exitCode).toBe(1);
    expect((r.error as Error).message).toMatch(/import failed: 2 of 3 rows were skipped \(/);
    expect((r.error as Error).message).toContain('malformed line (expected 18 numeric fields): 1');
    expect(r.out).toContain('rows read: 3');

    const empty = await trace(
      'import',
      'swf',
      tmp.file('empty.swf', '; MaxNodes: 2\n'),
      '-o',
      tmp.out('e.jsonl'),
    );
    expect((empty.error as Error).message).toContain('import failed: the input has no rows');
  });

  it('import alibaba-2017 needs machines: --server-events or --hosts (a usage error)', async () => {
    const tasks = tmp.file('bt17.csv', '11000,11600,1,10,4,Terminated,50,0.01\n');
    const r = await trace('import', 'alibaba-2017', '--batch-tasks', tasks, '-o', tmp.out('a17.jsonl'));
    expect((r.error as UserError).exitCode).toBe(2);
    expect((r.error as Error).message).toContain('--server-events FILE or --hosts N');
    const ok = await trace(
      'import',
      'alibaba-2017',
      '--batch-tasks',
      tasks,
      '--hosts',
      '2',
      '-o',
      tmp.out('a17.jsonl'),
    );
    expect(ok.error).toBeUndefined();
    expect(ok.out).toContain('records written: 3');
  });
});
