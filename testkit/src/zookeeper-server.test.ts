import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPackage } from './system-packages.js';
import { startZooKeeper, type ZooKeeperServer } from './zookeeper-server.js';

function ruok(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.on('connect', () => socket.write('ruok'));
    socket.on('data', (d) => {
      answer += d.toString();
    });
    socket.on('error', () => resolve('refused'));
    socket.on('close', () => resolve(answer));
  });
}

describe.skipIf(!systemPackage('zookeeper', 'testkit ZooKeeper server'))('startZooKeeper', () => {
  let zk: ZooKeeperServer;
  beforeAll(async () => {
    zk = await startZooKeeper();
  });
  afterAll(async () => {
    await zk?.stop();
  });

  it('serves on 127.0.0.1 and comes back on the same port after SIGKILL', async () => {
    expect(zk.connect).toBe(`127.0.0.1:${zk.port}`);
    expect(await ruok(zk.port)).toBe('imok');
    await zk.kill();
    expect(await ruok(zk.port)).toBe('refused');
    await zk.start();
    expect(await ruok(zk.port)).toBe('imok');
  });
});
