import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStorage } from './file-storage.js';
import { HEADER_BYTES } from './frame.js';
import { countingFsOps, type FsOps, nodeFsOps } from './fs-ops.js';
import { StorageCorruptError, StorageUnavailableError } from './types.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'borealis-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function opened(dir: string, fs = countingFsOps()) {
  const store = new FileStorage(dir, { fs: fs.ops });
  const recovered = await store.recover();
  return { store, recovered, counts: fs.counts };
}

/** No fsyncs: for tests that open hundreds of stores and do not look at durability. */
const quick = (): ReturnType<typeof countingFsOps> =>
  countingFsOps({
    ...nodeFsOps,
    fsync: async () => undefined,
    fsyncDir: async () => undefined,
  } satisfies FsOps);

const config = { image: 'web:1', cpu: 1, cmd: ['serve', '--port', '{{ports.http}}'] };
const task = (id: number) => ({ type: 'task-saved', id: `t${id}`, state: 'RUNNING', config });

function copyDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from))
    if (entry !== 'LOCK') copyFileSync(join(from, entry), join(to, entry));
}

function segments(dir: string): string[] {
  return readdirSync(dir).filter((e) => e.startsWith('log-'));
}

describe('FileStorage', () => {
  it('recovers committed groups in order, with configs put back, and advances the generation', async () => {
    const dir = tempDir();
    const first = await opened(dir);
    expect(first.recovered.groups).toEqual([]);
    expect(first.recovered.meta.generation).toBe(1);
    await first.store.commit([task(1), task(2)]);
    await first.store.commit([{ type: 'job-saved', job: 'a/b/c' }]);
    await first.store.setMeta('frameworkId', 'fw-1');
    await first.store.close();
    const second = await opened(dir);
    expect(second.recovered.groups).toEqual([
      { seq: 0, records: [task(1), task(2)] },
      { seq: 1, records: [{ type: 'job-saved', job: 'a/b/c' }] },
    ]);
    expect(second.recovered.meta).toEqual({ generation: 2, values: { frameworkId: 'fw-1' } });
    expect(second.recovered.nextSeq).toBe(2);
    await second.store.close();
  });

  it('stores a shared config once per log file', async () => {
    const dir = tempDir();
    const { store } = await opened(dir);
    for (let i = 0; i < 5; i++) await store.commit([task(i)]);
    await store.close();
    const text = readFileSync(join(dir, segments(dir)[0]!), 'latin1');
    expect(text.split('"web:1"').length - 1).toBe(1);
  });

  it('costs one fsync per group commit, and batches commits that arrive during a write', async () => {
    const dir = tempDir();
    const { store, counts } = await opened(dir);
    const before = { ...counts };
    for (let i = 0; i < 10; i++) await store.commit([task(i)]);
    expect(counts.fsync - before.fsync).toBe(10);
    expect(counts.fsyncDir - before.fsyncDir).toBe(0);
    const mid = { ...counts };
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.commit([task(100 + i)])));
    const writes = counts.appends - mid.appends;
    expect(counts.fsync - mid.fsync).toBe(writes);
    expect(writes).toBeLessThanOrEqual(2);
    await store.close();
    const again = await opened(dir);
    expect(again.recovered.groups.map((g) => g.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    await again.store.close();
  });

  it('writes a snapshot to a new file, fsyncs it and the directory after the rename, and truncates the log', async () => {
    const dir = tempDir();
    const { store, counts } = await opened(dir);
    for (let i = 0; i < 3; i++) await store.commit([task(i)]);
    const before = { ...counts };
    const image = { tasks: [task(0), task(1), task(2)], nextId: 3, jobs: { 'a/b/c': { config } } };
    await store.writeSnapshot(image);
    expect(counts.fsync - before.fsync).toBe(1); // the snapshot file
    expect(counts.fsyncDir - before.fsyncDir).toBe(2); // the new log file, then the rename
    await store.commit([task(3)]);
    expect(segments(dir)).toEqual(['log-000000000003.seg']);
    await store.close();
    const again = await opened(dir);
    expect(again.recovered.snapshot).toEqual(image);
    expect(again.recovered.groups).toEqual([{ seq: 3, records: [task(3)] }]);
    await again.store.close();
  });

  it('recovers the groups before a last record torn at every byte offset, and reports the cut', async () => {
    const dir = tempDir();
    const { store } = await opened(dir);
    await store.commit([task(1)]);
    await store.commit([task(2), task(3)]);
    await store.commit([task(4)]);
    await store.close();
    const name = segments(dir)[0]!;
    const full = readFileSync(join(dir, name));
    // Find the last record's offset by walking the frames.
    let offset = 0;
    let last = 0;
    while (offset < full.length) {
      last = offset;
      offset += HEADER_BYTES + full.readUInt32LE(offset);
    }
    for (let cut = last; cut < full.length; cut++) {
      const copy = join(tempDir(), 'store');
      copyDir(dir, copy);
      writeFileSync(join(copy, name), full.subarray(0, cut));
      const { store: s, recovered } = await opened(copy, quick());
      expect(recovered.groups.map((g) => g.seq)).toEqual([0, 1]);
      if (cut === last) expect(recovered.torn).toBeUndefined();
      else expect(recovered.torn).toEqual({ file: join(copy, name), offset: last, bytes: cut - last });
      // The cut is repaired: the next life appends after it and recovers cleanly.
      await s.commit([task(9)]);
      await s.close();
      if ((cut - last) % 16 !== 1) {
        rmSync(copy, { recursive: true, force: true });
        continue;
      }
      const after = await opened(copy, quick());
      expect(after.recovered.torn).toBeUndefined();
      expect(after.recovered.groups.map((g) => g.seq)).toEqual([0, 1, 2]);
      await after.store.close();
      rmSync(copy, { recursive: true, force: true });
    }
    // A last record whose pages did not all reach the disk (garbage at the end) is torn too.
    const garbled = Buffer.from(full);
    garbled[garbled.length - 2] = (garbled[garbled.length - 2] ?? 0) ^ 0xff;
    writeFileSync(join(dir, name), garbled);
    const { store: s, recovered } = await opened(dir);
    expect(recovered.groups.map((g) => g.seq)).toEqual([0, 1]);
    expect(recovered.torn?.offset).toBe(last);
    await s.close();
  });

  it('stops recovery at a corrupted middle record, naming the file and byte offset', async () => {
    const dir = tempDir();
    const { store } = await opened(dir);
    for (let i = 0; i < 3; i++) await store.commit([task(i)]);
    await store.close();
    const name = segments(dir)[0]!;
    const bytes = readFileSync(join(dir, name));
    const second = HEADER_BYTES + bytes.readUInt32LE(0);
    for (const at of [second + 2, second + HEADER_BYTES + 5]) {
      const copy = Buffer.from(bytes);
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      writeFileSync(join(dir, name), copy);
      const attempt = new FileStorage(dir);
      const error = await attempt.recover().catch((e: unknown) => e);
      await attempt.close();
      expect(error).toBeInstanceOf(StorageCorruptError);
      expect((error as StorageCorruptError).file).toBe(join(dir, name));
      expect((error as StorageCorruptError).offset).toBe(second);
      expect((error as Error).message).toContain(`${name} at byte ${second}`);
    }
  });

  it('refuses a second opener naming the lock holder, and takes over a lock whose process is gone', async () => {
    const dir = tempDir();
    const { store } = await opened(dir);
    expect(() => new FileStorage(dir)).toThrow(new RegExp(`locked by process ${process.pid}`));
    await store.close();
    // A lock left by a process that no longer exists (pid far above pid_max).
    writeFileSync(
      join(dir, 'LOCK'),
      JSON.stringify({ pid: 99_999_999, start: '1', host: (await import('node:os')).hostname() }),
    );
    const next = await opened(dir);
    await next.store.close();
  });

  it('backs up to a file and restores it into another store', async () => {
    const dir = tempDir();
    const { store } = await opened(dir);
    await store.commit([task(1)]);
    await store.writeSnapshot({ tasks: [task(1)], nextId: 2 });
    await store.commit([task(2)]);
    await store.setMeta('frameworkId', 'fw-9');
    const file = join(tempDir(), 'backup.gz');
    const summary = await store.backup(file);
    expect(summary).toMatchObject({ groups: 1, snapshot: true });
    await store.close();

    const other = tempDir();
    const target = await opened(other);
    await target.store.commit([{ type: 'something-else' }]);
    await target.store.restoreFrom(file);
    await expect(target.store.commit([{}])).rejects.toBeInstanceOf(StorageUnavailableError);
    await target.store.close();
    const restored = await opened(other);
    expect(restored.recovered.snapshot).toEqual({ tasks: [task(1)], nextId: 2 });
    expect(restored.recovered.groups).toEqual([{ seq: 1, records: [task(2)] }]);
    expect(restored.recovered.meta.values).toEqual({ frameworkId: 'fw-9' });
    expect(restored.recovered.meta.generation).toBe(3);
    await restored.store.close();
  });

  it('refuses to recover a directory whose restore was interrupted, instead of starting empty', async () => {
    const dir = tempDir();
    const { store } = await opened(dir);
    await store.commit([task(1)]);
    const file = join(tempDir(), 'backup.gz');
    await store.backup(file);
    let calls = 0;
    const fs = countingFsOps();
    const crashing = new FileStorage(join(tempDir(), 'target'), {
      fs: {
        ...fs.ops,
        openAppend: async (path) => {
          // The restore's snapshot-less log file: the process "dies" before writing it.
          if (path.endsWith('.seg') && ++calls > 1) throw new Error('killed');
          return fs.ops.openAppend(path);
        },
      },
    });
    await crashing.recover();
    await expect(crashing.restoreFrom(file)).rejects.toThrow('killed');
    await crashing.close();
    const again = new FileStorage(crashing.dir);
    await expect(again.recover()).rejects.toThrow(/restore from .*backup\.gz was interrupted/);
    await again.restoreFrom(file);
    await again.close();
    const { recovered, store: done } = await opened(crashing.dir);
    expect(recovered.groups).toEqual([{ seq: 0, records: [task(1)] }]);
    expect(recovered.meta.generation).toBe(3); // 1 (first recover), 2 (restore), 3 (this recover)
    await done.close();
    await store.close();
  });

  it('refuses writes after a failed write', async () => {
    const dir = tempDir();
    const fs = countingFsOps();
    let fail = false;
    const ops = {
      ...fs.ops,
      fsync: async (f: Parameters<typeof fs.ops.fsync>[0]) => {
        if (fail) throw new Error('EIO');
        return fs.ops.fsync(f);
      },
    };
    const store = new FileStorage(dir, { fs: ops });
    await store.recover();
    fail = true;
    await expect(store.commit([task(1)])).rejects.toThrow('EIO');
    fail = false;
    await expect(store.commit([task(2)])).rejects.toBeInstanceOf(StorageUnavailableError);
    await store.close();
  });
});
