import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemPackage } from '@borealis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStorage } from './file-storage.js';

const CHILD = join(import.meta.dirname, 'test-support', 'commit-child.ts');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'borealis-crash-'));
  dirs.push(dir);
  return dir;
}

const hasStrace = systemPackage('strace', 'storage fsync counting (strace)');

describe('file storage under a real crash', () => {
  it('loses no acknowledged commit when the committing process is SIGKILLed', async () => {
    const dir = join(tempDir(), 'store');
    const everAcked: string[] = [];
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'loop', dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const acked: string[] = [];
      let text = '';
      await new Promise<void>((resolve, reject) => {
        child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
        child.stdout.on('data', (data: Buffer) => {
          text += data.toString('utf8');
          const lines = text.split('\n');
          text = lines.pop() ?? '';
          for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
          if (acked.length >= 400 + round * 97) resolve();
        });
      });
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      // Recover as the next life would (the store stays for the next round: crash after crash).
      const store = new FileStorage(dir);
      const recovered = await store.recover();
      await store.close();
      const keys = new Set<string>((recovered.snapshot as { ns?: string[] } | undefined)?.ns ?? []);
      for (const group of recovered.groups)
        for (const r of group.records) keys.add((r as { key: string }).key);
      everAcked.push(...acked);
      for (const key of everAcked)
        expect(keys.has(key), `acknowledged group ${key} survives round ${round}`).toBe(true);
    }
  });

  it.skipIf(!hasStrace)(
    'makes one fsync per group commit, and fsyncs the directory after the snapshot rename (strace)',
    () => {
      const dir = join(tempDir(), 'store');
      const commits = 25;
      const run = spawnSync(
        'strace',
        [
          '-f',
          '-y',
          '-qq',
          '-e',
          'trace=fsync,fdatasync,rename,renameat,renameat2',
          process.execPath,
          '--import',
          'tsx',
          CHILD,
          'count',
          dir,
          String(commits),
        ],
        { encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(0);
      const calls = run.stderr.split('\n').filter((l) => /(fsync|fdatasync|rename\w*)\(/.test(l));
      const onLog = calls.filter((l) => /sync\(\d+<[^>]*\/log-\d+\.seg>/.test(l));
      expect(onLog.length).toBe(commits);
      const snapshotSync = calls.findIndex((l) => /sync\(\d+<[^>]*snapshot-\d+\.gz\.tmp>/.test(l));
      const rename = calls.findIndex((l) => /rename\w*\(.*snapshot-\d+\.gz\.tmp.*snapshot-\d+\.gz"/.test(l));
      const dirSync = calls.findIndex((l, i) => i > rename && new RegExp(`sync\\(\\d+<${dir}>`).test(l));
      expect(snapshotSync).toBeGreaterThanOrEqual(0);
      expect(rename).toBeGreaterThan(snapshotSync);
      expect(dirSync).toBeGreaterThan(rename);
      expect(calls.some((l) => /fdatasync/.test(l))).toBe(false);
    },
  );
});
