import { describe, expect, it } from 'vitest';
import { CommitQueue, type PendingGroup } from './commit-queue.js';
import { StorageUnavailableError } from './types.js';

describe('CommitQueue', () => {
  it('sends the commits that arrive during a write together in the next write, each resolving then', async () => {
    const writes: unknown[][] = [];
    let release!: () => void;
    const queue = new CommitQueue(async (groups: readonly PendingGroup[]) => {
      writes.push(groups.map((g) => g.records[0]));
      if (writes.length === 1) await new Promise<void>((r) => (release = r));
    }, 'test');
    const done: number[] = [];
    const first = queue.commit([1]).then(() => done.push(1));
    const rest = [2, 3, 4].map((n) => queue.commit([n]).then(() => done.push(n)));
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]);
    expect(done).toEqual([]);
    release();
    await Promise.all([first, ...rest]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
    expect(done).toEqual([1, 2, 3, 4]);
  });

  it('runs a task between writes, in order, and refuses everything after a failed task', async () => {
    const order: string[] = [];
    const queue = new CommitQueue(async (groups) => {
      order.push(`write ${groups.length}`);
    }, 'test');
    const a = queue.commit(['a']);
    const t = queue.task(async () => {
      order.push('task');
      throw new Error('EIO');
    });
    const b = queue.commit(['b']);
    await a;
    await expect(t).rejects.toThrow('EIO');
    await expect(b).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(order).toEqual(['write 1', 'task']);
  });
});
