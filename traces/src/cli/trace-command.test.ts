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
});
