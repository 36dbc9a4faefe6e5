import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DriverLoop } from '../driver/driver-loop.js';
import type { MesosTaskState } from '../lifecycle/mesos-states.js';
import { aHost, aJob } from '../testing/builders.js';
import { ManualClock, seededRandom } from '../testing/manual-clock.js';
import type { Scheduler } from './api.js';
import type { Change } from './changes.js';
import { createScheduler } from './create.js';
import { DurableState } from './durable-state.js';
import { type CoreSnapshot, compareIds, decodeSnapshot } from './snapshot-codec.js';

/** Inputs a driver feeds the core; `pick` chooses among the tasks launched so far (or an unknown one). */
type Input =
  | {
      kind: 'submit';
      job: number;
      instances: number;
      cpu: number;
      tier: 'preferred' | 'preemptible';
      ports: boolean;
    }
  | { kind: 'kill'; job: number; instance?: number }
  | { kind: 'status'; pick: number; state: MesosTaskState }
  | { kind: 'health'; pick: number; healthy: boolean }
  | { kind: 'host'; host: number; event: 'down' | 'up' | 'drain' | 'activate' }
  | { kind: 'quota'; cpu: number }
  | { kind: 'advance'; ms: number };

const input: fc.Arbitrary<Input> = fc.oneof(
  fc.record({
    kind: fc.constant('submit' as const),
    job: fc.integer({ min: 0, max: 5 }),
    instances: fc.integer({ min: 1, max: 4 }),
    cpu: fc.constantFrom(0.5, 1, 2),
    tier: fc.constantFrom('preferred' as const, 'preemptible' as const),
    ports: fc.boolean(),
  }),
  fc.record(
    {
      kind: fc.constant('kill' as const),
      job: fc.integer({ min: 0, max: 5 }),
      instance: fc.integer({ min: 0, max: 3 }),
    },
    { requiredKeys: ['kind', 'job'] },
  ),
  fc.record({
    kind: fc.constant('status' as const),
    pick: fc.nat(),
    state: fc.constantFrom<MesosTaskState>(
      'STARTING',
      'RUNNING',
      'RUNNING',
      'FINISHED',
      'FAILED',
      'KILLED',
      'LOST',
      'UNREACHABLE',
      'ERROR',
      'GONE',
    ),
  }),
  fc.record({ kind: fc.constant('health' as const), pick: fc.nat(), healthy: fc.boolean() }),
  fc.record({
    kind: fc.constant('host' as const),
    host: fc.integer({ min: 0, max: 2 }),
    event: fc.constantFrom('down' as const, 'up' as const, 'drain' as const, 'activate' as const),
  }),
  fc.record({ kind: fc.constant('quota' as const), cpu: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(500, 1000, 60_000, 400_000) }),
);

const JOBS = ['a/prod/web', 'a/prod/api', 'b/prod/batch', 'b/devel/etl', 'c/prod/db', 'c/test/x'];

/**
 * A driver around one core: the shared loop, a change log (its persist hook) and the tasks it was
 * told to launch. Hosts are large enough for every job, so no placement ever waits on retry backoff
 * (which recovery does not keep), and drains stop tasks at once (a drain in progress starts over).
 */
class Node {
  readonly clock: ManualClock;
  readonly core: Scheduler;
  readonly loop: DriverLoop;
  readonly log: Change[] = [];
  readonly out: unknown[] = [];
  /**
   * Launched tasks by `job#instance#n` (the instance's n-th launch): the same key names the same
   * task in a live and a restored core, whose replacements may be numbered in another order.
   */
  launched = new Map<string, string>();

  constructor(time = 0) {
    this.clock = new ManualClock(time);
    this.core = createScheduler({
      clock: this.clock,
      random: seededRandom(7),
      recordChanges: true,
      preemption: { enabled: false },
      maintenance: { slaAware: false },
      partitionDelayMs: 120_000,
    });
    this.loop = new DriverLoop({
      core: this.core,
      persist: (step) => {
        this.log.push(...step.changes);
      },
      carryOut: (effects) => {
        for (const e of effects) {
          if (e.kind !== 'launch') continue;
          let n = 0;
          while (this.launched.has(`${e.job}#${e.instance}#${n}`)) n++;
          this.launched.set(`${e.job}#${e.instance}#${n}`, e.taskId);
        }
      },
    });
    // Every step's changes and effects, as one set per step: within a step, the core walks a job's
    // tasks in its store's member order, which recovery rebuilds in id order.
    const take = this.core.takeStep.bind(this.core);
    this.core.takeStep = () => {
      const step = take();
      if (step.changes.length + step.effects.length > 0)
        this.out.push([...step.changes, ...step.effects].map((x) => byInstance(noPorts(sameIds(x)))).sort());
      return step;
    };
  }

  addHosts(): void {
    for (let i = 0; i < 5; i++)
      this.core.addHost(
        aHost(`h${i}`)
          .cpu(1000)
          .ramMb(1 << 22)
          .ports([31000, 31100])
          .build(),
      );
    this.settle();
  }

  feed(i: Input): void {
    const core = this.core;
    const task = (pick: number) => {
      const keys = [...this.launched.keys()].sort();
      const k = keys[pick % (keys.length + 1)];
      return k === undefined ? 'nobody-0' : this.launched.get(k)!;
    };
    switch (i.kind) {
      case 'submit': {
        let job = aJob(JOBS[i.job]!)
          .instances(i.instances)
          .cpu(i.cpu)
          .ramMb(64)
          .tier(i.tier)
          .maxTaskFailures(-1);
        if (i.ports) job = job.ports('http');
        core.submitJob(job.build());
        break;
      }
      case 'kill': {
        const [role, environment, name] = JOBS[i.job]!.split('/') as [string, string, string];
        core.killJob({ role, environment, name }, i.instance === undefined ? undefined : [i.instance]);
        break;
      }
      case 'status':
        core.mesosStatus({ taskId: task(i.pick), state: i.state, agentId: 'agent-1' });
        break;
      case 'health':
        core.taskHealth(task(i.pick), i.healthy);
        break;
      case 'host':
        if (i.event === 'down') core.hostDown(`h${i.host}`);
        else if (i.event === 'up') core.hostUp(`h${i.host}`);
        else core.setMaintenance([`h${i.host}`], i.event === 'drain' ? 'DRAINING' : 'NONE');
        break;
      case 'quota':
        core.setQuota('a', { cpu: i.cpu, ramMb: 1 << 20, diskMb: 1 << 30, gpus: 0 });
        break;
      case 'advance':
        this.clock.advance(i.ms);
        break;
    }
    this.settle();
  }

  /** Effects out, ticks while due: what the simulator's step does. */
  settle(): void {
    for (let n = 0; n < 1000; n++) {
      if (this.loop.flushSync()) continue;
      const w = this.core.nextWakeup();
      if (w === undefined || w > this.clock.now()) return;
      this.core.tick();
    }
    throw new Error('core does not settle');
  }
}

/** Ids of the restored core carry its generation; the same task of the live core has none. */
const sameIds = (x: unknown) =>
  JSON.stringify(x)
    .replace(/-g\d+-/g, '-')
    .replace(/"generation":\d+/g, '"generation":0');
/**
 * Port numbers are picked next-fit from a per-host cursor that recovery does not keep: the same
 * ports are held, new ones may be numbered differently.
 */
const noPorts = (x: string) => x.replace(/"http":\d+/g, '"http":0');

/**
 * Task ids down to job and instance. When several tasks are replaced in one step (a host lost), the
 * core walks them in its per-host order, which recovery rebuilds in id order, so the replacements
 * may get their sequence numbers in another order; which instances are replaced, where and how is
 * what is compared.
 */
const byInstance = (x: string) =>
  x
    .replace(/("(?:taskId|ancestorId)":"[^"]*?-\d+)-\d+"/g, '$1-*"')
    .replace(/(from [a-z-]+-\d+)-\d+/g, '$1-*');

/** A canonical dump: every durable entity, tasks in id order, the generation left out. */
const dump = (s: CoreSnapshot) => {
  const d = decodeSnapshot(s);
  return sameIds({
    next: d.ids.next,
    hosts: [...d.hosts.values()],
    quotas: [...d.quotas],
    jobs: [...d.jobs.values()],
    updates: [...d.updates.values()],
    tasks: [...d.tasks.values()].sort((a, b) => compareIds(a.taskId, b.taskId)),
  });
};

/** The dump as a set of normalized entities (see byInstance and noPorts). */
const byInstanceDump = (s: CoreSnapshot) => {
  const d = decodeSnapshot(s);
  const norm = (x: unknown) => byInstance(noPorts(sameIds(x)));
  return {
    rest: norm({
      next: d.ids.next,
      hosts: [...d.hosts.values()],
      quotas: [...d.quotas],
      jobs: [...d.jobs.values()],
    }),
    tasks: [...d.tasks.values()].map(norm).sort(),
  };
};

describe('snapshot and restore', () => {
  it('a restored core equals the live one and makes the same decisions from then on', () => {
    fc.assert(
      fc.property(
        fc.array(input, { minLength: 1, maxLength: 40 }),
        fc.array(input, { maxLength: 20 }),
        fc.array(input, { maxLength: 25 }),
        (before, between, after) => {
          const live = new Node();
          live.addHosts();
          for (const i of before) live.feed(i);
          // The backup, through JSON as storage keeps it; then the changes logged after it.
          const backup = JSON.parse(JSON.stringify(live.core.snapshot())) as CoreSnapshot;
          const logged = live.log.length;
          for (const i of between) live.feed(i);
          const state = decodeSnapshot(backup).applyAll(live.log.slice(logged));
          // Straight from the snapshot's rows, or through its decoded state: the same core.
          const direct = new Node(live.clock.now());
          direct.core.restore(backup);
          const decoded = new Node(live.clock.now());
          decoded.core.restore(decodeSnapshot(backup));
          expect(dump(direct.core.snapshot())).toBe(dump(decoded.core.snapshot()));

          const restored = new Node(live.clock.now());
          restored.core.restore(state);
          restored.launched = new Map(live.launched);
          restored.settle();
          expect(dump(restored.core.snapshot())).toBe(dump(live.core.snapshot()));

          live.out.length = 0;
          restored.out.length = 0;
          for (const i of after) {
            live.feed(i);
            restored.feed(i);
          }
          expect(noPorts(sameIds(restored.out))).toBe(noPorts(sameIds(live.out)));
          expect(byInstanceDump(restored.core.snapshot())).toEqual(byInstanceDump(live.core.snapshot()));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never issues a task id twice across restores, from the latest or an older backup', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(input, { maxLength: 12 }), fc.nat()), { minLength: 1, maxLength: 6 }),
        (rounds) => {
          const issued = new Set<string>();
          const backups: CoreSnapshot[] = [];
          // Storage remembers the highest generation it ever recorded and restores above it.
          let highest = 0;
          let node = new Node();
          node.addHosts();
          let known = new Set<string>();
          for (const [inputs, pick] of rounds) {
            for (const i of inputs) node.feed(i);
            for (const c of node.log) {
              if (c.kind === 'ids-advanced') highest = Math.max(highest, c.generation);
              if (c.kind !== 'task-saved' || known.has(c.task.taskId)) continue;
              // A task id this core made: no core made it before.
              expect(issued.has(c.task.taskId)).toBe(false);
              issued.add(c.task.taskId);
              known.add(c.task.taskId);
            }
            node.log.length = 0;
            backups.push(node.core.snapshot());
            const from = decodeSnapshot(backups[pick % backups.length]!);
            node = new Node(node.clock.now());
            node.core.restore(from, { generation: highest + 1 });
            known = new Set(from.tasks.keys());
            node.settle();
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses to restore into a core that already has state, and a snapshot of another version', () => {
    const node = new Node();
    node.addHosts();
    expect(() => node.core.restore(new DurableState())).toThrow(/fresh core/);
    const bad = { ...node.core.snapshot(), version: 99 } as unknown as CoreSnapshot;
    expect(() => new Node().core.restore(bad)).toThrow(/version 99 is not supported/);
  });
});
