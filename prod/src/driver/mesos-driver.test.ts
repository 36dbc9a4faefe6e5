import { createScheduler, type Scheduler } from '@borealis/core';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Offer, TaskInfo, TaskStatus } from '../mesos/mesos-types.js';
import type { Storage } from '../storage/types.js';
import { type MesosCalls, MesosDriver } from './mesos-driver.js';

/** Every call the driver makes to Mesos, in order. */
class RecordingMesos implements MesosCalls {
  readonly calls: { call: string; args: unknown[] }[] = [];
  launches: { offerIds: readonly string[]; tasks: readonly TaskInfo[] }[] = [];
  private record(call: string, ...args: unknown[]): Promise<void> {
    this.calls.push({ call, args });
    return Promise.resolve();
  }
  launch(offerIds: readonly string[], tasks: readonly TaskInfo[]) {
    this.launches.push({ offerIds, tasks });
    return this.record('launch', offerIds, tasks);
  }
  decline(offerIds: readonly string[], filters?: unknown) {
    return this.record('decline', offerIds, filters);
  }
  kill(taskId: string, agentId?: string) {
    return this.record('kill', taskId, agentId);
  }
  async acknowledge(status: TaskStatus) {
    await this.record('acknowledge', status.task_id.value, status.uuid);
    return true;
  }
  reconcile(tasks?: unknown) {
    return this.record('reconcile', tasks);
  }
  suppress() {
    return this.record('suppress');
  }
  revive() {
    return this.record('revive');
  }
  named(call: string) {
    return this.calls.filter((c) => c.call === call);
  }
}

/** A store whose commits complete only when the test says so (or at once with `auto`). */
class GatedStorage {
  readonly groups: unknown[][] = [];
  private pending: (() => void)[] = [];
  auto = true;
  commit(records: readonly unknown[]): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.groups.push([...records]);
        resolve();
      };
      if (this.auto) done();
      else this.pending.push(done);
    });
  }
  release(): void {
    const p = this.pending;
    this.pending = [];
    for (const done of p) done();
  }
}

let driver: MesosDriver | undefined;
afterEach(async () => {
  await driver?.stop();
  driver = undefined;
});

function setup(options: { transientTimeoutMs?: number; offerHoldMs?: number; killRetryMs?: number } = {}) {
  const core: Scheduler = createScheduler({
    clock: { now: () => Date.now() },
    offerMode: true,
    recordChanges: true,
  });
  const mesos = new RecordingMesos();
  const storage = new GatedStorage();
  driver = new MesosDriver({
    core,
    storage: storage as unknown as Storage,
    mesos,
    log: pino({ level: 'silent' }),
    implicitReconcileDelayMs: 10,
    ...options,
  });
  return { core, mesos, storage, driver };
}

function offer(id: string, host: string, cpus = 4): Offer {
  return {
    id: { value: id },
    framework_id: { value: 'fw' },
    agent_id: { value: `agent-${host}` },
    hostname: host,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 8192 } },
      { name: 'disk', type: 'SCALAR', scalar: { value: 10000 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: '31000', end: '31010' }] } },
    ],
  };
}

const JOB = {
  key: { role: 'www', environment: 'prod', name: 'web' },
  kind: 'service' as const,
  instances: 2,
  task: {
    processes: [{ name: 'web', cmdline: 'serve', final: false, daemon: false, maxFailures: 1 }],
    orderings: [],
    resources: { cpu: 1, ramMb: 512, diskMb: 100, gpus: 0 },
    ports: [],
    constraints: [],
    tier: 'preferred' as const,
    priority: 0,
    maxTaskFailures: 1,
    metadata: {},
  },
};

async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function status(taskId: string, state: string, uuid?: string): TaskStatus {
  return {
    task_id: { value: taskId },
    state: `TASK_${state}` as TaskStatus['state'],
    agent_id: { value: 'agent-h1' },
    ...(uuid ? { uuid } : {}),
  };
}

describe('MesosDriver', () => {
  it('launches against the offers held for the chosen host, one ACCEPT for the tasks placed there', async () => {
    const { mesos, driver } = setup();
    driver.offers([offer('o1', 'h1'), offer('o2', 'h1')]);
    const submitted = await driver.command((c) => c.submitJob(JOB));
    expect(submitted.ok).toBe(true);
    const launch = await until('a launch', () => mesos.launches[0]);
    expect([...launch.offerIds].sort()).toEqual(['o1', 'o2']);
    expect(launch.tasks.map((t) => t.agent_id.value)).toEqual(['agent-h1', 'agent-h1']);
    expect(mesos.launches).toHaveLength(1);
  });

  it('acknowledges a status update only after the step it caused is durable', async () => {
    const { core, mesos, storage, driver } = setup();
    driver.offers([offer('o1', 'h1')]);
    await driver.command((c) => c.submitJob({ ...JOB, instances: 1 }));
    const taskId = (await until('a launch', () => mesos.launches[0])).tasks[0]!.task_id.value;
    storage.auto = false;
    driver.status(status(taskId, 'RUNNING', 'dXVpZC0x'));
    await until('the update applied', () => core.task(taskId)?.state === 'RUNNING');
    await new Promise((r) => setTimeout(r, 50));
    expect(mesos.named('acknowledge')).toHaveLength(0);
    storage.release();
    await until('the ACK', () => mesos.named('acknowledge').length === 1);
    expect(mesos.named('acknowledge')[0]!.args).toEqual([taskId, 'dXVpZC0x']);
    // A master-made update (no uuid) is never acknowledged.
    storage.auto = true;
    driver.status(status(taskId, 'RUNNING'));
    await new Promise((r) => setTimeout(r, 50));
    expect(mesos.named('acknowledge')).toHaveLength(1);
  });

  it('declines offers held past the hold time and gives everything back when nothing waits', async () => {
    const { mesos, driver } = setup({ offerHoldMs: 100 });
    driver.offers([offer('o1', 'h1')]);
    const declined = await until('a decline', () => mesos.named('decline')[0]);
    expect(declined.args[0]).toEqual(['o1']);
  });

  it('marks LOST and reschedules a launched task Mesos never reports on (transient timeout)', async () => {
    const { core, mesos, driver } = setup({ transientTimeoutMs: 1000 });
    driver.offers([offer('o1', 'h1')]);
    await driver.command((c) => c.submitJob({ ...JOB, instances: 1 }));
    const taskId = (await until('a launch', () => mesos.launches[0])).tasks[0]!.task_id.value;
    await until(
      'the silent task to be LOST',
      () => core.task(taskId) === undefined || core.task(taskId)?.state === 'LOST',
    );
    const active = core.activeTasks(JOB.key);
    expect(active).toHaveLength(1);
    expect(active[0]).not.toBe(taskId);
  });

  it('sends a kill again until a terminal update confirms it', async () => {
    const { mesos, driver } = setup({ killRetryMs: 100 });
    driver.offers([offer('o1', 'h1')]);
    await driver.command((c) => c.submitJob({ ...JOB, instances: 1 }));
    const taskId = (await until('a launch', () => mesos.launches[0])).tasks[0]!.task_id.value;
    driver.status(status(taskId, 'RUNNING', 'dXVpZC0y'));
    await driver.command((c) => c.killJob(JOB.key));
    await until('the kill sent twice', () => mesos.named('kill').length >= 2);
    expect(mesos.named('kill')[0]!.args).toEqual([taskId, 'agent-h1']);
    driver.status(status(taskId, 'KILLED', 'dXVpZC0z'));
    await new Promise((r) => setTimeout(r, 150));
    const sent = mesos.named('kill').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(mesos.named('kill')).toHaveLength(sent);
  });
});
