import {
  type JobConfig,
  mulberry32,
  type TaskConfig,
  type TaskState,
  TaskStore,
  type TransitionContext,
  transition,
} from '@borealis/core';
import type { BenchSuite } from '../index.js';
import { micro, timed } from '../index.js';
import { snapshotFigures } from './core-snapshot.js';

/**
 * The core's task bookkeeping at scale: the pure lifecycle decision, then the task store at a
 * million tasks (1,000 jobs × 1,000 instances on 10,000 hosts): building it, moving every task to
 * RUNNING, a full reschedule lap per task, and the lookups the scheduler makes (by id, job, host,
 * state); then snapshot and recovery of a whole core at a million RUNNING tasks (core-snapshot.ts).
 */
export const core: BenchSuite = {
  name: 'core',
  description:
    'task lifecycle transitions and the task store at 1M tasks (1k jobs x 1k instances, 10k hosts); snapshot + restore of a core at 1M tasks',
  async run({ quick, log }) {
    const jobNames = (n: number) => Array.from({ length: n }, (_, j) => `bench/prod/job${j}`);
    const jobs = quick ? 20 : 1000;
    const perJob = quick ? 100 : 1000;
    const hosts = quick ? 200 : 10_000;
    const tasks = jobs * perJob;
    const timeMs = quick ? 100 : 1000;
    const jobKeys = jobNames(jobs);

    log('pure transitions');
    const lifecycle = await micro(
      { transition: { fn: () => runTransitionMix(), opsPerCall: MIX.length } },
      { timeMs },
    );

    const clock = {
      time: 0,
      now() {
        return this.time;
      },
    };
    const store = new TaskStore({ clock, random: mulberry32(42), initialCapacity: tasks });
    const config = taskConfig();
    log(`inserting ${tasks.toLocaleString('en-US')} tasks`);
    const insert = await timed(() => {
      for (let j = 0; j < jobs; j++) store.addJob(jobConfig(j, perJob, config));
    });
    log('moving every task to RUNNING');
    const ids = [...store.all()].map((t) => t.id);
    // Host names come from HostSpecs in real use: one string per host, shared by its tasks.
    const hostNames = Array.from({ length: hosts }, (_, h) => `h${h}`);
    clock.time = 1000;
    const toRunning = await timed(() => {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        store.transition(id, 'ASSIGNED', { host: hostNames[i % hosts]! });
        store.transition(id, 'STARTING');
        store.transition(id, 'RUNNING');
      }
    });
    clock.time = 3_600_000; // an hour later: nothing is flapping

    log('store operations');
    let cursor = 0;
    let sink = 0;
    const next = () => (cursor = (cursor * 1_103_515_245 + 12_345) % ids.length);
    const operations = await micro(
      {
        // One reschedule lap of a running task: 6 store transitions, which insert one task and delete one.
        rescheduleLap: {
          fn: () => {
            const i = next();
            const id = ids[i]!;
            const host = store.get(id)!.host;
            store.transition(id, 'RESTARTING');
            const replacement = store.transition(id, 'KILLED').replacement!;
            store.transition(id, 'DELETED');
            store.transition(replacement.id, 'ASSIGNED', { host: host! });
            store.transition(replacement.id, 'STARTING');
            store.transition(replacement.id, 'RUNNING');
            ids[i] = replacement.id;
          },
          opsPerCall: 6,
        },
        getById: { fn: () => (sink += store.get(ids[next()]!)!.instance) },
        ofJob: { fn: () => (sink += store.ofJob(jobKeys[next() % jobs]!).length) },
        countOfJob: { fn: () => (sink += store.countOfJob(jobKeys[next() % jobs]!)) },
        onHost: { fn: () => (sink += store.onHost(hostNames[next() % hosts]!).length) },
        countInState: { fn: () => (sink += store.count('RUNNING')) },
        sampleInState: { fn: () => (sink += store.sample('RUNNING')!.instance) },
      },
      { timeMs },
    );
    log('scanning a state');
    const scan = await timed(() => {
      let n = 0;
      store.forEachInState('RUNNING', () => n++);
      return n;
    });
    if (sink < 0) log('unreachable'); // keeps the lookups' results alive
    const durability = await snapshotFigures(quick, log);

    // Every value a record with opsPerSec, so the table prints one row per measurement.
    return {
      transition: lifecycle.transition!,
      insert: { operations: tasks, opsPerSec: perSecond(tasks, insert.figures.wallMs), ...insert.figures },
      toRunning: {
        operations: 3 * tasks,
        opsPerSec: perSecond(3 * tasks, toRunning.figures.wallMs),
        ...toRunning.figures,
      },
      ...operations,
      scanRunning: {
        operations: scan.value,
        opsPerSec: perSecond(scan.value, scan.figures.wallMs),
        ...scan.figures,
      },
      ...durability,
    };
  },
};

const perSecond = (n: number, ms: number): number => Math.round((n / Math.max(ms, 0.001)) * 1000);

const CTX: TransitionContext = {
  kind: 'service',
  failureCount: 0,
  maxTaskFailures: 3,
  now: 400_000,
  runningSince: 0,
};
/** A run's typical transitions, including the ends that reschedule and one that throttles. */
const MIX: readonly [TaskState, TaskState, TransitionContext][] = [
  ['INIT', 'PENDING', CTX],
  ['PENDING', 'ASSIGNED', CTX],
  ['ASSIGNED', 'STARTING', CTX],
  ['STARTING', 'RUNNING', CTX],
  ['RUNNING', 'FAILED', CTX],
  ['RUNNING', 'FAILED', { ...CTX, runningSince: 399_000 }],
  ['RUNNING', 'PREEMPTING', CTX],
  ['PREEMPTING', 'KILLED', CTX],
  ['KILLED', 'DELETED', CTX],
  ['FINISHED', 'RUNNING', CTX],
];

function runTransitionMix(): number {
  let effects = 0;
  for (const [from, to, ctx] of MIX) effects += transition(from, to, ctx).effects.length;
  return effects;
}

function taskConfig(): TaskConfig {
  return {
    processes: [{ name: 'main', cmdline: './serve', final: false, daemon: false, maxFailures: 1 }],
    orderings: [],
    resources: { cpu: 0.5, ramMb: 512, diskMb: 1024, gpus: 0 },
    ports: ['http'],
    constraints: [],
    tier: 'preferred',
    priority: 0,
    maxTaskFailures: 1,
    metadata: {},
  };
}

function jobConfig(j: number, instances: number, task: TaskConfig): JobConfig {
  return { key: { role: 'bench', environment: 'prod', name: `job${j}` }, kind: 'service', instances, task };
}
