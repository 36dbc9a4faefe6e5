import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startZooKeeper, systemPackage, type ZooKeeperServer } from '@borealis/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateMode,
  connectZk,
  create,
  getChildren,
  getData,
  remove,
  removeTree,
  setData,
  type ZkClient,
} from '../zk/client.js';
import { configHash } from './config-dedup.js';
import { FileStorage } from './file-storage.js';
import { StorageCorruptError, StorageUnavailableError } from './types.js';
import { bumpEpoch } from './zk-epoch.js';
import { ZkStorage } from './zk-storage.js';

const config = { image: 'web:1', cpu: 1, ramMb: 512 };
const task = (id: number) => ({ type: 'task-saved', id: `t${id}`, config });

describe.skipIf(!systemPackage('zookeeper', 'ZooKeeper storage'))('ZkStorage', () => {
  let zk: ZooKeeperServer;
  const clients: ZkClient[] = [];
  let n = 0;
  let root = '';
  beforeAll(async () => {
    zk = await startZooKeeper({ tickMs: 200 });
  });
  afterAll(async () => {
    await zk?.stop();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  async function client(): Promise<ZkClient> {
    const c = await connectZk(zk.connect, { sessionTimeoutMs: 8000 });
    clients.push(c);
    return c;
  }
  async function leader(options: { pieceBytes?: number } = {}) {
    const c = await client();
    const epoch = await bumpEpoch(c, root, 'test');
    const store = new ZkStorage(c, root, { epoch, ...options });
    const recovered = await store.recover();
    return { client: c, store, recovered };
  }
  const fresh = () => {
    root = `/borealis/test${++n}/storage`;
  };

  it('recovers groups and meta, stores each config once under configs/', async () => {
    fresh();
    const a = await leader();
    expect(a.recovered.meta.generation).toBe(1);
    await Promise.all([
      a.store.commit([task(1), task(2)]),
      a.store.commit([task(3)]),
      a.store.commit([{ type: 'x' }]),
    ]);
    await a.store.setMeta('frameworkId', 'fw-1');
    expect(await getChildren(a.client, `${root}/configs`)).toEqual([configHash(config)]);
    await a.store.close();
    const b = await leader();
    expect(b.recovered.groups.flatMap((g) => g.records)).toEqual([task(1), task(2), task(3), { type: 'x' }]);
    expect(b.recovered.groups.map((g) => g.seq)).toEqual([0, 1, 2]);
    expect(b.recovered.meta).toEqual({ generation: 2, values: { frameworkId: 'fw-1' } });
  });

  it('writes a group larger than a ZooKeeper request as chunks, and ignores and removes chunks without a commit', async () => {
    fresh();
    const a = await leader();
    // ~3 MB after gzip: random bytes do not compress.
    const noise = Array.from({ length: 2000 }, (_, i) => ({
      id: i,
      blob: randomBytes(1200).toString('base64'),
    }));
    await a.store.commit(noise);
    expect((await getChildren(a.client, `${root}/chunks`)).length).toBeGreaterThan(0);
    // A write cut off before its commit record: chunks of the next seq, no log entry.
    await create(a.client, `${root}/chunks/000000000001-0`, Buffer.from('partial'), CreateMode.PERSISTENT);
    await a.store.close();
    const b = await leader();
    expect(b.recovered.groups).toEqual([{ seq: 0, records: noise }]);
    expect(await getChildren(b.client, `${root}/chunks`)).not.toContain('000000000001-0');
    await b.store.commit([task(1)]);
  });

  it('fences a deposed leader: its commit fails once a new leader has bumped the epoch', async () => {
    fresh();
    const old = await leader();
    await old.store.commit([task(1)]);
    const next = await leader();
    await expect(old.store.commit([task(2)])).rejects.toThrow(/epoch moved on/);
    await expect(old.store.setMeta('k', 1)).rejects.toBeInstanceOf(StorageUnavailableError);
    await next.store.commit([task(3)]);
    await next.store.close();
    const third = await leader();
    expect(third.recovered.groups.flatMap((g) => g.records)).toEqual([task(1), task(3)]);
  });

  it('writes a chunked snapshot, truncates the log and unused configs behind it', async () => {
    fresh();
    const a = await leader({ pieceBytes: 4096 });
    await a.store.commit([task(1)]);
    await a.store.commit([{ ...task(2), config: { other: true } }]);
    const image = { tasks: Array.from({ length: 2000 }, (_, i) => ({ ...task(i), n: i * 7 })), nextId: 2000 };
    await a.store.writeSnapshot(image);
    expect((await getChildren(a.client, `${root}/snapshots`)).length).toBeGreaterThan(1);
    expect(await getChildren(a.client, `${root}/log`)).toEqual([]);
    expect(await getChildren(a.client, `${root}/configs`)).toEqual([]);
    await a.store.commit([task(5)]);
    await a.store.close();
    const b = await leader();
    expect(b.recovered.snapshot).toEqual(image);
    expect(b.recovered.groups).toEqual([{ seq: 2, records: [task(5)] }]);
  });

  it('stops recovery at an unreadable commit record or a gap in the log, naming the znode', async () => {
    fresh();
    const a = await leader();
    await a.store.commit([task(1)]);
    await a.store.commit([task(2)]);
    await a.store.close();
    const recoverAgain = async () => {
      const c = await client();
      const s = new ZkStorage(c, root, { epoch: await bumpEpoch(c, root, 'test') });
      return s.recover().then(
        () => undefined,
        (e: unknown) => e,
      );
    };
    const second = `${root}/log/000000000001`;
    const good = await getData(a.client, second);
    await setData(a.client, second, Buffer.from([0, 1, 2, 3]));
    const unreadable = await recoverAgain();
    expect(unreadable).toBeInstanceOf(StorageCorruptError);
    expect((unreadable as StorageCorruptError).file).toBe(second);
    await setData(a.client, second, good.data);
    await remove(a.client, `${root}/log/000000000000`);
    const gap = await recoverAgain();
    expect(gap).toBeInstanceOf(StorageCorruptError);
    expect((gap as Error).message).toContain(
      `${second} at byte 0: log entry for group 1 where group 0 was expected`,
    );
  });

  it('restores a file store backup into ZooKeeper', async () => {
    fresh();
    const dir = mkdtempSync(join(tmpdir(), 'borealis-zkb-'));
    try {
      const file = new FileStorage(join(dir, 'store'));
      await file.recover();
      await file.commit([task(1)]);
      await file.writeSnapshot({ tasks: [task(1)] });
      await file.commit([task(2)]);
      await file.setMeta('frameworkId', 'fw-2');
      await file.backup(join(dir, 'backup.gz'));
      await file.close();
      const a = await leader();
      await a.store.commit([{ type: 'replaced' }]);
      await a.store.restoreFrom(join(dir, 'backup.gz'));
      const b = await leader();
      expect(b.recovered.snapshot).toEqual({ tasks: [task(1)] });
      expect(b.recovered.groups).toEqual([{ seq: 1, records: [task(2)] }]);
      expect(b.recovered.meta.values).toEqual({ frameworkId: 'fw-2' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loses nothing acknowledged when ZooKeeper restarts while idle and while committing', async () => {
    fresh();
    const a = await leader();
    await a.store.commit([task(1)]);
    await zk.kill();
    await zk.start();
    await a.store.commit([task(2)]); // idle restart: the session comes back, writes go on
    const acked: number[] = [];
    let stop = false;
    const loop = (async () => {
      for (let i = 100; !stop; i++) {
        try {
          await a.store.commit([{ i }]);
          acked.push(i);
        } catch {
          return; // an unknown outcome poisons the store; the daemon would restart
        }
      }
    })();
    while (acked.length < 20) await new Promise((r) => setTimeout(r, 10));
    await zk.kill();
    await zk.start();
    stop = true;
    await loop;
    const b = await leader();
    const seen = new Set(b.recovered.groups.flatMap((g) => g.records.map((r) => (r as { i?: number }).i)));
    for (const i of acked) expect(seen.has(i)).toBe(true);
    expect(b.recovered.groups[0]?.records).toEqual([task(1)]);
    await removeTree(b.client, root);
  });
});
