import { startZooKeeper, systemPackage, type ZooKeeperServer } from '@borealis/testkit';
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZooKeeperLeaderDetector } from './zk-leader-detector.js';

function zkCall<T>(f: (cb: (error: unknown, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => f((error, value) => (error ? reject(error) : resolve(value))));
}

async function session(connect: string): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(connect, { sessionTimeout: 2000, retries: 0 });
  const connected = new Promise<void>((r) => client.once('connected', () => r()));
  client.connect();
  await connected;
  return client;
}

/** What a Mesos master does at election: an ephemeral sequential json.info_ node with its MasterInfo. */
function register(client: zookeeper.Client, path: string, host: string, port: number): Promise<string> {
  const info = {
    address: { hostname: host, ip: '127.0.0.1', port },
    hostname: host,
    id: host,
    ip: 16777343,
    port,
  };
  return zkCall((cb) =>
    client.create(
      `${path}/json.info_`,
      Buffer.from(JSON.stringify(info)),
      zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
      cb,
    ),
  );
}

async function until(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  for (let i = 0; i < limitMs / 50; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!systemPackage('zookeeper', 'Mesos leader detection from ZooKeeper'))(
  'ZooKeeperLeaderDetector against a real ZooKeeper',
  () => {
    let zk: ZooKeeperServer;
    const sessions: zookeeper.Client[] = [];
    const detectors: ZooKeeperLeaderDetector[] = [];

    beforeAll(async () => {
      zk = await startZooKeeper({ tickMs: 200 });
    });

    afterAll(async () => {
      for (const d of detectors) d.close();
      for (const s of sessions) s.close();
      await zk?.stop();
    });

    it('follows the lowest json.info_ node as masters come and go, ignoring other children', async () => {
      const detector = new ZooKeeperLeaderDetector({
        connect: zk.connect,
        path: '/mesos',
        sessionTimeoutMs: 2000,
      });
      detectors.push(detector);
      const admin = await session(zk.connect);
      sessions.push(admin);
      const seen = () => detector.current()?.href;

      // No folder yet: no leader, and the detector waits for the folder to appear.
      await new Promise((r) => setTimeout(r, 200));
      expect(seen()).toBeUndefined();
      await zkCall((cb) => admin.mkdirp('/mesos/log_replicas', cb));
      await zkCall((cb) => admin.create('/mesos/info_0000000000', Buffer.from([1, 2, 3]), cb));

      const first = await session(zk.connect);
      const second = await session(zk.connect);
      sessions.push(first, second);
      await register(first, '/mesos', 'master-a', 5050);
      await register(second, '/mesos', 'master-b', 5051);
      await until(() => seen() === 'http://master-a:5050/', 'master-a to lead');

      const waited = await detector.next(new AbortController().signal);
      expect(waited.href).toBe('http://master-a:5050/');

      // The leader's session ends: its ephemeral node goes, the standby leads.
      first.close();
      await until(() => seen() === 'http://master-b:5051/', 'master-b to lead');

      // No members left: no leader; next() waits until one registers.
      second.close();
      await until(() => seen() === undefined, 'no leader');
      const pending = detector.next(new AbortController().signal);
      const third = await session(zk.connect);
      sessions.push(third);
      await register(third, '/mesos', 'master-c', 5052);
      expect((await pending).href).toBe('http://master-c:5052/');
    });

    it('keeps following the leader after ZooKeeper restarts (watches re-armed or a new session)', async () => {
      const path = '/restart';
      const admin = await session(zk.connect);
      sessions.push(admin);
      await zkCall((cb) => admin.mkdirp(path, cb));
      const detector = new ZooKeeperLeaderDetector({ connect: zk.connect, path, sessionTimeoutMs: 4000 });
      detectors.push(detector);
      await until(() => detector.current() === undefined, 'no leader');

      await zk.kill();
      await zk.start();
      const master = await session(zk.connect);
      sessions.push(master);
      await register(master, path, 'after-restart', 5060);
      // A loaded machine may take a while to reconnect, or to find the session expired and open another.
      await until(
        () => detector.current()?.href === 'http://after-restart:5060/',
        'the master registered after the restart',
        30_000,
      );
    });

    it('next() gives up when aborted', async () => {
      const detector = new ZooKeeperLeaderDetector({ connect: zk.connect, path: '/nothing-here' });
      detectors.push(detector);
      const abort = new AbortController();
      const pending = detector.next(abort.signal);
      abort.abort();
      await expect(pending).rejects.toThrow('aborted');
    });
  },
);
