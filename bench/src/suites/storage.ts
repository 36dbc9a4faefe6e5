import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { leader, storage as store, zk as zkc } from '@borealis/prod';
import { startZooKeeper, type ZooKeeperServer } from '@borealis/testkit';
import type { BenchSuite, Figures } from '../index.js';
import { timed } from '../index.js';

/**
 * The production scheduler's storage and leader election (prod/src/storage, prod/src/leader).
 * - commit: group commits per second and p50/p99 latency, one committer (each commit waits for the
 *   last) and 64 concurrent committers (batched into shared writes); file backend with fsync on,
 *   and a local ZooKeeper (Debian's, one server on this machine, its own fsync on).
 * - snapshot: write + recover time and bytes per task for a synthetic image of 100,000 and
 *   1,000,000 tasks (15 fields each, configs shared by the job's 100 instances), file backend;
 *   100,000 tasks in ZooKeeper.
 * - takeover: a leader process SIGKILLed, until the standby is elected (session timeout beside it).
 */

interface JobConfig {
  readonly [key: string]: unknown;
}

function jobConfig(j: number): JobConfig {
  return {
    role: `role${j % 50}`,
    environment: j % 3 === 0 ? 'prod' : 'devel',
    name: `service-${j}`,
    resources: { cpu: 0.5 + (j % 4) * 0.5, ramMb: 512 * (1 + (j % 8)), diskMb: 2048 },
    container: { docker: { image: `registry.example.com/team${j % 50}/service-${j}:${j % 17}` } },
    processes: [
      { name: 'fetch', cmdline: `curl -sf https://artifacts.example.com/service-${j}.tgz | tar xz` },
      { name: 'serve', cmdline: `./bin/service-${j} --port {{ports.http}} --admin {{ports.admin}}` },
    ],
    ports: ['http', 'admin'],
    healthCheck: { http: { port: 'admin', path: '/health' }, intervalSecs: 10, timeoutSecs: 5 },
    constraints: { host: 'limit:1', zone: j % 2 === 0 ? 'a' : 'b' },
    priority: j % 3,
    tier: 'preferred',
  };
}

/** A task record as the core might keep it: ~15 fields, its job's config shared by identity. */
function task(i: number, configs: readonly JobConfig[]): Figures {
  const job = Math.floor(i / 100);
  const config = configs[job % configs.length]!;
  const t = 1_700_000_000_000 + i * 37;
  return {
    id: `${String(config.role)}-${String(config.environment)}-service-${job}-${i % 100}-${(i * 2654435761) % 4294967296}`,
    jobKey: `${String(config.role)}/${String(config.environment)}/service-${job}`,
    instance: i % 100,
    state: 'RUNNING',
    agentId: `agent-${(i * 7919) % 10_000}-S${i % 3}`,
    host: `h${String((i * 7919) % 10_000).padStart(5, '0')}.dc1.example.com`,
    ports: { http: 31_000 + (i % 1000), admin: 32_000 + (i % 1000) },
    createdAtMs: t,
    updatedAtMs: t + 4_000,
    failureCount: i % 11 === 0 ? 1 : 0,
    ancestorId: i % 11 === 0 ? `prev-${i}` : null,
    healthy: true,
    events: [
      { state: 'PENDING', atMs: t },
      { state: 'ASSIGNED', atMs: t + 1_000 },
      { state: 'STARTING', atMs: t + 2_000 },
      { state: 'RUNNING', atMs: t + 4_000 },
    ],
    offerId: `offer-${i}`,
    config: config as Figures,
  };
}

function image(tasks: number): unknown {
  const configs = Array.from({ length: Math.ceil(tasks / 100) }, (_, j) => jobConfig(j));
  return {
    nextTaskSeq: tasks,
    tasks: Array.from({ length: tasks }, (_, i) => task(i, configs)),
    jobs: Object.fromEntries(configs.map((c, j) => [`job-${j}`, { config: c, instances: 100 }])),
  };
}

/** One loop step's changes: a few task transitions, sometimes a new task with its config. */
function group(n: number, configs: readonly JobConfig[]): unknown[] {
  const records: unknown[] = [];
  for (let k = 0; k < 4; k++)
    records.push({ type: 'task-state', id: `t-${n}-${k}`, state: 'RUNNING', atMs: n });
  if (n % 10 === 0)
    records.push({ type: 'task-saved', task: task(n, configs), config: configs[n % configs.length] });
  return records;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const r2 = (x: number) => Math.round(x * 100) / 100;

async function commitFigures(storage: store.Storage, commits: number, concurrency: number): Promise<Figures> {
  const configs = Array.from({ length: 20 }, (_, j) => jobConfig(j));
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    for (let n = next++; n < commits; n = next++) {
      const records = group(n, configs);
      const t = performance.now();
      await storage.commit(records);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    groups: commits,
    groupsPerSec: Math.round(commits / seconds),
    p50Ms: r2(percentile(latencies, 50)),
    p99Ms: r2(percentile(latencies, 99)),
  };
}

function dirBytes(dir: string, match: RegExp): number {
  return readdirSync(dir)
    .filter((e) => match.test(e))
    .reduce((n, e) => n + statSync(join(dir, e)).size, 0);
}

async function fileSnapshot(tasks: number, root: string, log: (m: string) => void): Promise<Figures> {
  const dir = join(root, `snap-${tasks}`);
  log(`building a ${tasks}-task image`);
  let img: unknown = image(tasks);
  const s = new store.FileStorage(dir);
  await s.recover();
  log(`writing the ${tasks}-task snapshot (file)`);
  const write = await timed(() => s.writeSnapshot(img));
  await s.close();
  img = undefined;
  const bytes = dirBytes(dir, /^snapshot-/);
  log(`recovering the ${tasks}-task snapshot (file)`);
  const again = new store.FileStorage(dir);
  const recover = await timed(async () => {
    const r = await again.recover();
    return (r.snapshot as { tasks: unknown[] }).tasks.length;
  });
  await again.close();
  if (recover.value !== tasks) throw new Error(`recovered ${recover.value} tasks, wrote ${tasks}`);
  return {
    tasks,
    writeMs: write.figures.wallMs,
    writeCpuMs: write.figures.cpuMs,
    recoverMs: recover.figures.wallMs,
    recoverCpuMs: recover.figures.cpuMs,
    bytes,
    bytesPerTask: r2(bytes / tasks),
    peakRssMb: recover.figures.peakRssMb,
  };
}

async function zkSnapshot(zk: ZooKeeperServer, tasks: number, log: (m: string) => void): Promise<Figures> {
  const client = await zkc.connectZk(zk.connect, { sessionTimeoutMs: 30_000 });
  try {
    const root = `/bench/snap-${tasks}/storage`;
    const epoch = await store.bumpEpoch(client, root, 'bench');
    const s = new store.ZkStorage(client, root, { epoch });
    await s.recover();
    log(`building a ${tasks}-task image`);
    const img = image(tasks);
    log(`writing the ${tasks}-task snapshot (zookeeper)`);
    const write = await timed(() => s.writeSnapshot(img));
    await s.close();
    const pieces = await zkc.getChildren(client, `${root}/snapshots`);
    let bytes = 0;
    for (const p of pieces) bytes += (await zkc.getData(client, `${root}/snapshots/${p}`)).data.length;
    log(`recovering the ${tasks}-task snapshot (zookeeper)`);
    const epoch2 = await store.bumpEpoch(client, root, 'bench');
    const again = new store.ZkStorage(client, root, { epoch: epoch2 });
    const recover = await timed(async () => (await again.recover()).snapshot);
    if ((recover.value as { tasks: unknown[] }).tasks.length !== tasks)
      throw new Error('zookeeper snapshot lost tasks');
    return {
      tasks,
      writeMs: write.figures.wallMs,
      recoverMs: recover.figures.wallMs,
      znodes: pieces.length,
      bytes,
      bytesPerTask: r2(bytes / tasks),
    };
  } finally {
    client.close();
  }
}

const CHILD = fileURLToPath(
  new URL('../../../prod/src/leader/test-support/leader-child.ts', import.meta.url),
);

async function takeover(zk: ZooKeeperServer, sessionTimeoutMs: number, round: number): Promise<number> {
  const base = `/bench/takeover-${round}`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CHILD,
      zk.connect,
      `${base}/leader`,
      `${base}/storage`,
      'http://old:1',
      String(sessionTimeoutMs),
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`leader child exited with ${code}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('\nack ') || out.startsWith('ack ')) resolve();
    });
  });
  child.removeAllListeners('exit');
  const client = await zkc.connectZk(zk.connect, { sessionTimeoutMs });
  let elected!: () => void;
  const done = new Promise<void>((resolve) => {
    elected = resolve;
  });
  const election = new leader.LeaderElection({
    client,
    path: `${base}/leader`,
    url: 'http://new:1',
    storageRoot: `${base}/storage`,
    onElected: () => elected(),
    pause: () => undefined,
    abdicate: () => undefined,
  });
  await election.start();
  const exited = new Promise((r) => child.once('exit', r));
  const killedAt = performance.now();
  child.kill('SIGKILL');
  await done;
  const ms = performance.now() - killedAt;
  await exited;
  await election.close();
  client.close();
  return ms;
}

export const storage: BenchSuite = {
  name: 'storage',
  description:
    'group commits/s and p50/p99 (file+fsync, local ZooKeeper), snapshot write/recover at 100k and 1M tasks, leader takeover',
  async run({ quick, log }) {
    const root = mkdtempSync(join(tmpdir(), 'borealis-bench-storage-'));
    const zk = await startZooKeeper({ tickMs: 200, minSessionTimeoutMs: 400 });
    try {
      const commits = quick ? 200 : 3000;
      log(`file: ${commits} commits, fsync on`);
      const fileStore = new store.FileStorage(join(root, 'commits'));
      await fileStore.recover();
      const fileSerial = await commitFigures(fileStore, commits, 1);
      const fileBatched = await commitFigures(fileStore, commits * 4, 64);
      await fileStore.close();

      log(`zookeeper: ${commits} commits`);
      const client = await zkc.connectZk(zk.connect, { sessionTimeoutMs: 30_000 });
      const epoch = await store.bumpEpoch(client, '/bench/commits/storage', 'bench');
      const zkStore = new store.ZkStorage(client, '/bench/commits/storage', { epoch });
      await zkStore.recover();
      const zkSerial = await commitFigures(zkStore, commits, 1);
      const zkBatched = await commitFigures(zkStore, commits * 4, 64);
      await zkStore.close();
      client.close();

      const sizes = quick ? [10_000] : [100_000, 1_000_000];
      const snapshots: Record<string, Figures> = {};
      for (const tasks of sizes) snapshots[`file${tasks}`] = await fileSnapshot(tasks, root, log);
      snapshots[`zookeeper${sizes[0]}`] = await zkSnapshot(zk, sizes[0]!, log);

      const sessionTimeoutMs = 2000;
      const rounds = quick ? 1 : 3;
      const takeovers: number[] = [];
      for (let round = 0; round < rounds; round++) {
        log(`takeover ${round + 1}/${rounds} (session timeout ${sessionTimeoutMs} ms)`);
        takeovers.push(await takeover(zk, sessionTimeoutMs, round));
      }
      takeovers.sort((a, b) => a - b);
      const median = takeovers[Math.floor(takeovers.length / 2)]!;
      return {
        commitFileSerial: fileSerial,
        commitFileBatched: fileBatched,
        commitZkSerial: zkSerial,
        commitZkBatched: zkBatched,
        ...snapshots,
        takeover: {
          sessionTimeoutMs,
          zkTickMs: 200,
          killToElectedMs: Math.round(median),
          afterSessionTimeoutMs: Math.round(median - sessionTimeoutMs),
          rounds,
        },
      };
    } finally {
      await zk.stop();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
