import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDirectory } from './dir-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'borealis-lock-'));
  dirs.push(dir);
  return dir;
}

describe('lockDirectory', () => {
  it('refuses while the holder lives, naming its pid, and is free again once it exits', async () => {
    const dir = tempDir();
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: holder.pid, host: hostname() }));
      expect(() => lockDirectory(dir)).toThrow(`locked by process ${holder.pid}`);
    } finally {
      const exited = new Promise((r) => holder.once('exit', r));
      holder.kill('SIGKILL');
      await exited;
    }
    const lock = lockDirectory(dir);
    expect(JSON.parse(readFileSync(join(dir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('treats a live pid with another start time as a stale lock (the pid was reused)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: process.pid, start: '1', host: hostname() }));
    const lock = lockDirectory(dir);
    expect(() => lockDirectory(dir)).toThrow(`locked by process ${process.pid}`);
    lock.release();
  });

  it('never judges a lock taken on another host stale', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: 99_999_999, host: 'elsewhere' }));
    expect(() => lockDirectory(dir)).toThrow('on elsewhere');
  });
});
