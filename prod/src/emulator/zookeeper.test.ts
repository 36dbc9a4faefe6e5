import { startZooKeeper, systemPackage, type ZooKeeperServer } from '@borealis/testkit';
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { post, subscribe, waitFor } from './test-support.js';
import { masterInfoJson, parseZkUrl, sequenceOf } from './zookeeper.js';

describe('ZooKeeper helpers', () => {
  it('reads zk URLs and json.info_ sequence numbers', () => {
    expect(parseZkUrl('zk://127.0.0.1:2181,127.0.0.1:2182/mesos')).toEqual({
      connect: '127.0.0.1:2181,127.0.0.1:2182',
      path: '/mesos',
    });
    expect(typeof parseZkUrl('http://x')).toBe('string');
    expect(sequenceOf('json.info_0000000002')).toBe(2);
    expect(sequenceOf('log_replicas')).toBeNull();
    expect(sequenceOf('info_0000000001')).toBeNull();
  });
});

const SUBSCRIBE = JSON.stringify({
  type: 'SUBSCRIBE',
  subscribe: { framework_info: { user: 'u', name: 'n' } },
});

describe.skipIf(!systemPackage('zookeeper', 'emulator leader election'))(
  'emulators in a real ZooKeeper',
  () => {
    let zk: ZooKeeperServer;
    const emulators: Emulator[] = [];
    beforeAll(async () => {
      zk = await startZooKeeper();
    });
    afterAll(async () => {
      for (const e of emulators) await e.stop();
      await zk?.stop();
    });

    it('registers json.info_ znodes; the lowest leads, a standby redirects, and takes over when the leader stops', async () => {
      const url = `zk://${zk.connect}/mesos`;
      const a = await startEmulator({ agents: 1, zk: url, zkSessionTimeoutMs: 2000 });
      emulators.push(a);
      const b = await startEmulator({ agents: 1, zk: url, zkSessionTimeoutMs: 2000 });
      emulators.push(b);
      await waitFor(() => a.isLeader() && !b.isLeader() && b.master !== null);

      const children = await zkChildren(zk.connect, '/mesos');
      expect(children.filter((c) => c.startsWith('json.info_'))).toHaveLength(2);
      const data = await zkData(zk.connect, `/mesos/${children.sort()[0]}`);
      expect(data).toBe(masterInfoJson(a.master.info));
      expect(JSON.parse(data)).toMatchObject({
        address: { ip: '127.0.0.1', port: a.port },
        pid: `master@127.0.0.1:${a.port}`,
      });

      const r = await post(b.url, '/api/v1/scheduler', SUBSCRIBE);
      expect(r.status).toBe(307);
      expect(r.headers.location).toBe(`//127.0.0.1:${a.port}/master/api/v1/scheduler`);
      const op = await post(b.url, '/api/v1', JSON.stringify({ type: 'GET_STATE' }));
      expect(op.headers.location).toBe(`//127.0.0.1:${a.port}/master/api/v1`);

      expect(b.agentIds()).toEqual(a.agentIds());
      await a.stop();
      await waitFor(() => b.isLeader(), 10_000);
      const s = await subscribe(b.url);
      expect(s.status).toBe(200);
      s.close();
    });

    it('answers 503 No leader elected when no json.info_ member is left', async () => {
      const url = `zk://${zk.connect}/lonely`;
      const c = await startEmulator({ agents: 1, zk: url, zkSessionTimeoutMs: 2000 });
      emulators.push(c);
      await waitFor(() => c.isLeader());
      // Somebody removes the registration (as a session expiry would): no member, no leader.
      for (const child of await zkChildren(zk.connect, '/lonely'))
        await zkDelete(zk.connect, `/lonely/${child}`);
      await waitFor(() => !c.isLeader());
      const r = await post(c.url, '/api/v1/scheduler', SUBSCRIBE);
      expect(r.status).toBe(503);
      expect(r.body).toBe('No leader elected');
    });
  },
);

function withClient<T>(
  connect: string,
  use: (c: zookeeper.Client, done: (v: T) => void) => void,
): Promise<T> {
  return new Promise((resolve) => {
    const client = zookeeper.createClient(connect);
    client.once('connected', () =>
      use(client, (v) => {
        client.close();
        resolve(v);
      }),
    );
    client.connect();
  });
}

function zkChildren(connect: string, path: string): Promise<string[]> {
  return withClient(connect, (c, done) => c.getChildren(path, (_e, children) => done(children ?? [])));
}

function zkData(connect: string, path: string): Promise<string> {
  return withClient(connect, (c, done) => c.getData(path, (_e, data) => done(data?.toString('utf8') ?? '')));
}

function zkDelete(connect: string, path: string): Promise<void> {
  return withClient(connect, (c, done) => c.remove(path, () => done(undefined)));
}
