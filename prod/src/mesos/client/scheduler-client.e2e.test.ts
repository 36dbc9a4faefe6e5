import { freePort, startZooKeeper, systemPackage, type ZooKeeperServer } from '@borealis/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/index.js';
import type { Offer, Resource, TaskInfo, TaskStatus } from '../mesos-types.js';
import type { Event } from '../scheduler-types.js';
import { SchedulerClient, type SchedulerClientOptions } from './scheduler-client.js';
import { until } from './test-support.js';

/**
 * The client end to end against ENGINEER E's Mesos emulator (prod/src/emulator): every check of
 * issue 15 that needs a master, on 127.0.0.1, with short intervals so the suite takes seconds.
 */

const frameworkInfo = {
  user: 'test',
  name: 'borealis-e2e',
  failover_timeout: 3600,
  checkpoint: true,
  capabilities: [{ type: 'TASK_KILLING_STATE' as const }],
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({
    agents: 2,
    allocationIntervalMs: 50,
    heartbeatIntervalMs: 1000,
    ...options,
  });
  cleanup.push(() => e.stop());
  return e;
}

/** A scheduler for tests: records events, acknowledges every update that carries a uuid. */
class Framework {
  readonly events: Event[] = [];
  readonly client: SchedulerClient;
  readonly acked: TaskStatus[] = [];
  /** Updates acknowledge() left alone because they carry no uuid. */
  readonly notAcked: TaskStatus[] = [];
  /** Offers received and not yet used, declined or rescinded. */
  readonly available = new Map<string, Offer>();
  readonly subscriptions: string[] = [];
  readonly disconnects: Error[] = [];

  constructor(options: Partial<SchedulerClientOptions> & Pick<SchedulerClientOptions, 'masters'>) {
    this.client = new SchedulerClient({ frameworkInfo, backoff: { initialMs: 20, maxMs: 200 }, ...options });
    this.client.on('subscribed', (s) => this.subscriptions.push(`${s.frameworkId}@${s.master.host}`));
    this.client.on('disconnected', (e) => this.disconnects.push(e));
    this.client.on('event', (e) => {
      this.events.push(e);
      for (const o of e.offers?.offers ?? []) this.available.set(o.id.value, o);
      if (e.rescind) this.available.delete(e.rescind.offer_id.value);
      const status = e.update?.status;
      if (status) {
        this.client.acknowledge(status).then(
          (sent) => (sent ? this.acked : this.notAcked).push(status),
          () => {},
        );
      }
    });
    cleanup.push(() => this.client.stop());
    this.client.start();
  }

  /** The first event from index `from` on that matches. */
  async next(match: (e: Event) => boolean, what: string, from = 0): Promise<Event> {
    let found: Event | undefined;
    await until(() => {
      found = this.events.slice(from).find(match);
      return found !== undefined;
    }, what);
    return found!;
  }

  /** An offer received after event index `from` and not used yet; it counts as used from now on. */
  async offer(from = 0): Promise<Offer> {
    let found: Offer | undefined;
    await until(() => {
      const fresh = new Set(
        this.events.slice(from).flatMap((e) => (e.offers?.offers ?? []).map((o) => o.id.value)),
      );
      found = [...this.available.values()].find((o) => fresh.has(o.id.value));
      return found !== undefined;
    }, 'an offer');
    this.available.delete(found!.id.value);
    return found!;
  }

  update(taskId: string, state: TaskStatus['state'], from = 0): Promise<Event> {
    return this.next(
      (e) => e.update?.status.task_id.value === taskId && e.update.status.state === state,
      `${taskId} ${state}`,
      from,
    );
  }

  offersSeen(): number {
    return this.events.filter((e) => e.type === 'OFFERS').length;
  }
}

/** `amount` of a scalar resource from the offer, keeping its role and allocation_info. */
function take(offer: Offer, name: string, amount: number): Resource {
  const r = offer.resources?.find((x) => x.name === name);
  if (!r) throw new Error(`offer ${offer.id.value} has no ${name}`);
  return { ...r, scalar: { value: amount } };
}

function task(offer: Offer, id: string): TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: offer.agent_id,
    resources: [take(offer, 'cpus', 0.1), take(offer, 'mem', 32)],
    command: { value: 'sleep 1000' },
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SchedulerClient against the Mesos emulator', () => {
  it('subscribes, launches from an offer, acknowledges updates (so later ones flow), and kills', async () => {
    const m = await emulator();
    const f = new Framework({ masters: m.url });
    const offer = await f.offer();
    expect(f.events[0]?.type).toBe('SUBSCRIBED');
    expect(f.events[1]?.type).toBe('HEARTBEAT');
    await f.client.launch([offer.id.value], [task(offer, 'web-1')]);
    const running = await f.update('web-1', 'TASK_RUNNING');
    expect(running.update?.status.uuid).toBeDefined();
    await until(() => f.acked.some((s) => s.state === 'TASK_RUNNING'), 'RUNNING acknowledged');
    // The agent withholds a task's later updates until the earlier one is acknowledged.
    m.finishTask('web-1');
    await f.update('web-1', 'TASK_FINISHED');

    const second = await f.offer();
    await f.client.launch([second.id.value], [task(second, 'web-2')]);
    await f.update('web-2', 'TASK_RUNNING');
    await f.client.kill('web-2', second.agent_id.value, { grace_period: { nanoseconds: '100000000' } });
    await f.update('web-2', 'TASK_KILLING');
    await f.update('web-2', 'TASK_KILLED');
  });

  it('speaks JSON as well: offers decode, a launch runs, an update is acknowledged', async () => {
    const m = await emulator();
    const f = new Framework({ masters: m.url, encoding: 'json' });
    const offer = await f.offer();
    expect(offer.resources?.find((r) => r.name === 'ports')?.ranges?.range?.[0]).toEqual({
      begin: '31000',
      end: '32000',
    });
    await f.client.launch([offer.id.value], [task(offer, 'json-1')]);
    await f.update('json-1', 'TASK_RUNNING');
    await until(() => f.acked.some((s) => s.task_id.value === 'json-1'), 'an acknowledged update');
  });

  it('LAUNCH_GROUP runs a task group under the default executor', async () => {
    const m = await emulator();
    const f = new Framework({ masters: m.url });
    const offer = await f.offer();
    const executor = {
      type: 'DEFAULT' as const,
      executor_id: { value: 'group-exec' },
      framework_id: { value: f.client.frameworkId! },
      resources: [take(offer, 'cpus', 0.1), take(offer, 'mem', 32), take(offer, 'disk', 32)],
    };
    await f.client.launchGroup([offer.id.value], executor, {
      tasks: [task(offer, 'g-1'), task(offer, 'g-2')],
    });
    await f.update('g-1', 'TASK_RUNNING');
    await f.update('g-2', 'TASK_RUNNING');
  });

  it('declines with a refuse filter, suppresses, and revives (which clears the filter)', async () => {
    const m = await emulator({ agents: 1 });
    const f = new Framework({ masters: m.url });
    const offer = await f.offer();
    await f.client.decline([offer.id.value], { refuse_seconds: 3600 });
    const afterDecline = f.offersSeen();
    await pause(400); // eight allocation intervals
    expect(f.offersSeen()).toBe(afterDecline);

    await f.client.revive();
    const revived = await f.offer(f.events.length);
    expect(revived.agent_id).toEqual(offer.agent_id);

    await f.client.suppress();
    await f.client.decline([revived.id.value], { refuse_seconds: 0 });
    const afterSuppress = f.offersSeen();
    await pause(400);
    expect(f.offersSeen()).toBe(afterSuppress);
    await f.client.revive();
    await f.offer(f.events.length);
  });

  it('reconciles explicitly and implicitly; the answers carry no uuid and are not acknowledged', async () => {
    const m = await emulator();
    const f = new Framework({ masters: m.url });
    const offer = await f.offer();
    await f.client.launch([offer.id.value], [task(offer, 'r-1')]);
    await f.update('r-1', 'TASK_RUNNING');
    const from = f.events.length;
    await f.client.reconcile([
      { task_id: { value: 'r-1' }, agent_id: offer.agent_id },
      { task_id: { value: 'never-launched' } },
    ]);
    const known = await f.next(
      (e) => e.update?.status.task_id.value === 'r-1',
      'explicit answer for r-1',
      from,
    );
    const unknown = await f.next(
      (e) => e.update?.status.task_id.value === 'never-launched',
      'unknown answer',
      from,
    );
    expect(known.update?.status).toMatchObject({ state: 'TASK_RUNNING', reason: 'REASON_RECONCILIATION' });
    expect(known.update?.status.uuid).toBeUndefined();
    expect(unknown.update?.status.state).toBe('TASK_LOST');

    const implicitFrom = f.events.length;
    await f.client.reconcile();
    const implicit = await f.next(
      (e) => e.update?.status.task_id.value === 'r-1',
      'implicit answer',
      implicitFrom,
    );
    expect(implicit.update?.status.reason).toBe('REASON_RECONCILIATION');
    await until(() => f.notAcked.length === 3, 'the three answers to pass through acknowledge()');
    expect(f.notAcked.map((s) => s.reason)).toEqual(Array(3).fill('REASON_RECONCILIATION'));
    expect(f.acked.some((s) => s.reason === 'REASON_RECONCILIATION')).toBe(false);
  });

  it('updates the framework (answered 200) and tears it down (the master removes it, the client closes)', async () => {
    const m = await emulator();
    const f = new Framework({ masters: m.url });
    const offer = await f.offer();
    await f.client.launch([offer.id.value], [task(offer, 'doomed')]);
    await f.update('doomed', 'TASK_RUNNING');
    const id = f.client.frameworkId!;
    await f.client.updateFramework({ ...frameworkInfo, webui_url: 'http://borealis.example' });
    expect(m.master.frameworks.get(id)?.info.webui_url).toBe('http://borealis.example');

    await f.client.teardown();
    expect(f.client.state).toBe('closed');
    expect(m.master.removedFrameworks.has(id)).toBe(true);
  });

  it('resubscribes with the same framework id when heartbeats stop with the socket open', async () => {
    const m = await emulator({ heartbeatIntervalMs: 50, chaos: 'drop-streams=300' });
    const f = new Framework({ masters: m.url });
    await until(() => f.subscriptions.length >= 2, 'a resubscription after the stream went silent');
    const [first, second] = f.subscriptions;
    expect(second).toBe(first);
    expect(f.disconnects[0]?.message).toMatch(/heartbeats missed/);
  });

  it('fails over to a restarted master with the same framework id', async () => {
    const port = await freePort();
    const first = await emulator({ port });
    const f = new Framework({ masters: `http://127.0.0.1:${port}` });
    await f.offer();
    const id = f.client.frameworkId;
    await first.stop();
    await until(() => f.client.state !== 'subscribed', 'the client to notice');
    const second = await emulator({ port });
    await until(() => f.subscriptions.length === 2, 'a subscription to the restarted master');
    expect(f.client.frameworkId).toBe(id);
    expect(second.master.frameworks.has(id!)).toBe(true);
  });
});

describe.skipIf(!systemPackage('zookeeper', 'scheduler client e2e with two emulators in ZooKeeper'))(
  'SchedulerClient with two emulators registered in ZooKeeper',
  () => {
    let zk: ZooKeeperServer;
    beforeAll(async () => {
      zk = await startZooKeeper({ tickMs: 200 });
    });
    afterAll(async () => {
      await zk?.stop();
    });

    it('finds the leader, and the new one when the leader dies; a standby redirects', async () => {
      const url = `zk://${zk.connect}/mesos`;
      const leader = await emulator({ zk: url, zkSessionTimeoutMs: 2000 });
      const standby = await emulator({ zk: url, zkSessionTimeoutMs: 2000 });
      expect(leader.isLeader()).toBe(true);
      expect(standby.isLeader()).toBe(false);

      // Given only the standby's URL, the client follows its 307 to the leader.
      const viaStandby = new Framework({ masters: standby.url });
      await until(() => viaStandby.subscriptions.length === 1, 'a subscription through the standby');
      expect(viaStandby.client.master?.port).toBe(String(leader.port));
      await viaStandby.client.stop();

      const f = new Framework({ masters: url, zooKeeperSessionTimeoutMs: 2000 });
      await f.offer();
      expect(f.client.master?.port).toBe(String(leader.port));
      const id = f.client.frameworkId;

      await leader.stop();
      await until(() => standby.isLeader(), 'the standby to take over');
      await until(() => f.subscriptions.length === 2, 'a subscription to the new leader');
      expect(f.client.master?.port).toBe(String(standby.port));
      expect(f.client.frameworkId).toBe(id);
    });
  },
);
