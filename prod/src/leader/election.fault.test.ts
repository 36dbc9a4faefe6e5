import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { startZooKeeper, systemPackage, type ZooKeeperServer } from '@borealis/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ZkStorage } from '../storage/zk-storage.js';
import { connectZk, type ZkClient } from '../zk/client.js';
import { LeaderElection } from './election.js';

const CHILD = join(import.meta.dirname, 'test-support', 'leader-child.ts');

interface Replica {
  readonly url: string;
  readonly client: ZkClient;
  readonly election: LeaderElection;
  readonly events: string[];
  elected: Promise<number>;
}

/** Waits until `test` holds, re-checking on a short interval (bounded; no timing assertion). */
async function until(test: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!systemPackage('zookeeper', 'leader election'))('LeaderElection', () => {
  let zk: ZooKeeperServer;
  let n = 0;
  const replicas: Replica[] = [];
  const children: ChildProcessByStdio<null, Readable, null>[] = [];
  beforeAll(async () => {
    zk = await startZooKeeper({ tickMs: 100, minSessionTimeoutMs: 200 });
  });
  afterAll(async () => {
    await zk?.stop();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    for (const r of replicas.splice(0)) {
      await r.election.close().catch(() => undefined);
      r.client.close();
    }
  });

  const cluster = () => `/borealis/c${++n}`;

  async function replica(
    base: string,
    url: string,
    sessionTimeoutMs = 1500,
    connect = zk.connect,
  ): Promise<Replica> {
    const client = await connectZk(connect, { sessionTimeoutMs });
    const events: string[] = [];
    let elected!: (epoch: number) => void;
    const r: Replica = {
      url,
      client,
      events,
      elected: new Promise((resolve) => {
        elected = resolve;
      }),
      election: new LeaderElection({
        client,
        path: `${base}/leader`,
        url,
        storageRoot: `${base}/storage`,
        onElected: (epoch) => {
          events.push(`elected ${epoch}`);
          elected(epoch);
        },
        pause: () => events.push('pause'),
        resume: () => events.push('resume'),
        abdicate: (reason) => events.push(`abdicate ${reason}`),
      }),
    };
    replicas.push(r);
    await r.election.start();
    return r;
  }

  function child(base: string, url: string, sessionMs: number) {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, zk.connect, `${base}/leader`, `${base}/storage`, url, String(sessionMs)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(proc);
    const lines: string[] = [];
    let rest = '';
    proc.stdout.on('data', (d: Buffer) => {
      const parts = (rest + d.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    });
    const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    return { proc, lines, exit };
  }

  it('elects exactly one of three; the others name it; closing its session hands over with a new epoch that fences the old one', async () => {
    const base = cluster();
    const a = await replica(base, 'http://a:1');
    const b = await replica(base, 'http://b:1');
    const c = await replica(base, 'http://c:1');
    expect([a, b, c].filter((r) => r.election.isLeader).map((r) => r.url)).toEqual(['http://a:1']);
    expect(await c.election.leader()).toBe('http://a:1');
    const firstEpoch = await a.elected;
    const oldStore = new ZkStorage(a.client, `${base}/storage`, { epoch: firstEpoch });
    await oldStore.recover();
    await oldStore.commit([{ by: 'a' }]);

    a.client.close(); // the session ends: its ephemeral member goes
    const secondEpoch = await b.elected;
    expect(secondEpoch).toBeGreaterThan(firstEpoch);
    expect(c.election.isLeader).toBe(false);
    expect(await c.election.leader()).toBe('http://b:1');

    const other = await connectZk(zk.connect);
    try {
      const fencedStore = new ZkStorage(other, `${base}/storage`, { epoch: firstEpoch });
      await expect(fencedStore.recover()).rejects.toThrow(/epoch moved on/);
      const newStore = new ZkStorage(b.client, `${base}/storage`, { epoch: secondEpoch });
      const recovered = await newStore.recover();
      expect(recovered.groups.flatMap((g) => g.records)).toEqual([{ by: 'a' }]);
    } finally {
      other.close();
    }
  });

  it('takes over when the leader process is SIGKILLed', async () => {
    const base = cluster();
    const leader = child(base, 'http://child:1', 600);
    await until(() => leader.lines.some((l) => l.startsWith('ack ')), 'the child to lead and commit');
    const childEpoch = Number(leader.lines.find((l) => l.startsWith('leader '))!.split(' ')[1]);
    const standby = await replica(base, 'http://standby:1');
    expect(standby.election.isLeader).toBe(false);
    expect(await standby.election.leader()).toBe('http://child:1');
    leader.proc.kill('SIGKILL');
    const epoch = await standby.elected;
    expect(epoch).toBeGreaterThan(childEpoch);
    expect(await standby.election.leader()).toBe('http://standby:1');
  });

  it('a leader frozen past its session timeout never writes again once thawed, and abdicates', async () => {
    const base = cluster();
    const leader = child(base, 'http://frozen:1', 600);
    await until(() => leader.lines.filter((l) => l.startsWith('ack ')).length >= 3, 'the child to commit');
    const standby = await replica(base, 'http://standby:1');
    leader.proc.kill('SIGSTOP');
    const epoch = await standby.elected;
    // What the new leader sees at takeover is everything the old one ever wrote...
    const store = new ZkStorage(standby.client, `${base}/storage`, { epoch });
    const atTakeover = (await store.recover()).groups.flatMap((g) => g.records);
    await store.commit([{ key: 'new-leader' }]);
    leader.proc.kill('SIGCONT');
    expect(await leader.exit).toBe(3);
    expect(leader.lines.some((l) => l.startsWith('abdicate '))).toBe(true);
    await store.close();
    // ...and after the thaw, nothing more of the old leader's arrived (read by the new leader).
    const check = new ZkStorage(standby.client, `${base}/storage`, { epoch });
    const after = (await check.recover()).groups.flatMap((g) => g.records);
    expect(after).toEqual([...atTakeover, { key: 'new-leader' }]);
    expect(leader.lines.filter((l) => l === 'refused').length).toBeLessThanOrEqual(1);
  });

  it('pauses on a ZooKeeper restart and resumes when the session comes back in time', async () => {
    const base = cluster();
    // A JVM that is still starting may accept the reconnection and not answer it: the client's
    // reconnect watchdog (zk/client.ts) retries, so the session comes back well within 20 s.
    const a = await replica(base, 'http://a:1', 20_000);
    await a.elected;
    await zk.kill();
    await until(() => a.events.includes('pause'), 'the leader to pause');
    await zk.start();
    await until(() => a.events.includes('resume'), 'the leader to resume');
    expect(a.election.isLeader).toBe(true);
    expect(a.events.some((e) => e.startsWith('abdicate'))).toBe(false);
  });

  it('abdicates when ZooKeeper stays away past the session timeout, without waiting for EXPIRED', async () => {
    const base = cluster();
    const a = await replica(base, 'http://a:1', 800);
    await a.elected;
    await zk.kill();
    try {
      await until(() => a.events.some((e) => e.startsWith('abdicate')), 'the leader to abdicate');
      expect(a.events[1]).toBe('pause');
      expect(a.events[2]).toMatch(/not back within the session timeout/);
    } finally {
      await zk.start();
    }
  });
});
