import { gzipSync } from 'node:zlib';
import { type CoreSnapshot, createScheduler, type JobConfig, type TaskConfig } from '@borealis/core';
import type { Figures } from '../index.js';
import { timed } from '../index.js';

/**
 * Snapshot and recovery of a core holding a million RUNNING tasks (1,000 jobs × 1,000 instances with
 * one port each, placed by the core on 10,000 hosts): `snapshot()` + JSON text, its size per task
 * raw and gzipped, then JSON parse + `restore()` into a fresh core.
 * Goal (issue 12): ≤ 200 bytes per task gzipped, ≤ 5 s for snapshot + restore.
 */
export async function snapshotFigures(
  quick: boolean,
  log: (m: string) => void,
): Promise<Record<string, Figures>> {
  const hosts = quick ? 200 : 10_000;
  const jobs = quick ? 20 : 1000;
  const perJob = quick ? 100 : 1000;
  const clock = {
    time: 0,
    now() {
      return this.time;
    },
  };
  const live = createScheduler({ clock, preemption: { enabled: false } });
  for (let h = 0; h < hosts; h++) {
    live.addHost({
      id: `h${String(h).padStart(5, '0')}`,
      resources: { cpu: 32, ramMb: 131_072, diskMb: 1_048_576, gpus: 0 },
      ports: [[31_000, 32_000]],
      attributes: { rack: `r${Math.floor(h / 40)}`, zone: h % 2 === 0 ? 'a' : 'b' },
    });
  }
  log(`placing ${(jobs * perJob).toLocaleString('en-US')} tasks on ${hosts.toLocaleString('en-US')} hosts`);
  for (let j = 0; j < jobs; j++) live.submitJob(jobConfig(j, perJob));
  live.tick();
  clock.time = 5_000;
  for (const e of live.takeEffects()) {
    if (e.kind !== 'launch') continue;
    live.taskStatus(e.taskId, 'STARTING');
    live.taskStatus(e.taskId, 'RUNNING');
  }
  live.takeEffects();
  const tasks = live.taskCounts().RUNNING;

  log('snapshot: snapshot() and JSON text');
  const snap = await timed(() => JSON.stringify(live.snapshot()));
  const text = snap.value;
  const gzipped = gzipSync(text).length;
  log('restore: JSON parse and restore() into a fresh core');
  const restore = await timed(() => {
    const core = createScheduler({ clock, preemption: { enabled: false } });
    core.restore(JSON.parse(text) as CoreSnapshot);
    return core.taskCounts().RUNNING;
  });
  if (restore.value !== tasks) throw new Error(`restored ${restore.value} RUNNING tasks of ${tasks}`);
  return {
    snapshot: {
      tasks,
      bytes: text.length,
      bytesPerTask: round(text.length / tasks),
      gzipBytesPerTask: round(gzipped / tasks),
      ...snap.figures,
    },
    restore: { tasks, ...restore.figures },
    snapshotPlusRestore: { tasks, wallMs: round(snap.figures.wallMs + restore.figures.wallMs) },
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;

function jobConfig(j: number, instances: number): JobConfig {
  const task: TaskConfig = {
    processes: [{ name: 'main', cmdline: `./serve --job ${j}`, final: false, daemon: false, maxFailures: 1 }],
    orderings: [],
    resources: { cpu: 0.25, ramMb: 512, diskMb: 1024, gpus: 0 },
    ports: ['http'],
    constraints: [],
    tier: j % 3 === 0 ? 'preemptible' : 'preferred',
    priority: j % 5,
    maxTaskFailures: 1,
    metadata: {},
  };
  return {
    key: { role: `role${j % 50}`, environment: 'prod', name: `job${j}` },
    kind: 'service',
    instances,
    task,
  };
}
