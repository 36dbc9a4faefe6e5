import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from './emulator.js';
import type { EventShape, OfferShape, TaskStatusShape } from './shapes.js';
import { call, commandTask, sleep, subscribe, type TestStream, waitFor } from './test-support.js';

let emu: Emulator | null = null;
const streams: TestStream[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await emu?.stop();
  emu = null;
});

async function setup(
  options: EmulatorOptions = {},
  frameworkInfo: Record<string, unknown> = {},
): Promise<{ e: Emulator; s: TestStream; offer: OfferShape }> {
  emu = await startEmulator({ agents: 2, allocationIntervalMs: 30, updateRetryMs: 100, ...options });
  const s = await subscribe(emu.url, { frameworkInfo: { failover_timeout: 60, ...frameworkInfo } });
  streams.push(s);
  const offers = await s.next((e) => e.type === 'OFFERS');
  return { e: emu, s, offer: offers.offers!.offers[0]! };
}

const isUpdate = (taskId: string, state: string) => (e: EventShape) =>
  e.type === 'UPDATE' && e.update!.status.task_id.value === taskId && e.update!.status.state === state;

async function ack(s: TestStream, status: TaskStatusShape): Promise<void> {
  const r = await call(emu!.url, s, {
    type: 'ACKNOWLEDGE',
    acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
  });
  expect(r.status).toBe(202);
}

async function launch(s: TestStream, offer: OfferShape, tasks: Record<string, unknown>[], filters?: unknown) {
  return call(emu!.url, s, {
    type: 'ACCEPT',
    accept: {
      offer_ids: [offer.id],
      operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }],
      ...(filters ? { filters } : {}),
    },
  });
}

describe('tasks on virtual agents', () => {
  it('goes STARTING then RUNNING with executor updates carrying a uuid, and withholds RUNNING until STARTING is acked', async () => {
    const { s, offer } = await setup();
    expect((await launch(s, offer, [commandTask('t1', offer.agent_id.value)])).status).toBe(202);
    const starting = (await s.next(isUpdate('t1', 'TASK_STARTING'))).update!.status;
    expect(starting.source).toBe('SOURCE_EXECUTOR');
    expect(Buffer.from(starting.uuid!, 'base64')).toHaveLength(16);
    // Not acknowledged: STARTING is retried, RUNNING is held back behind it.
    await s.next(() => s.updates('t1').length >= 2, 3000);
    expect(s.updates('t1').map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_STARTING']);
    expect(s.updates('t1')[1]!.uuid).toBe(starting.uuid);
    await ack(s, starting);
    const running = (await s.next(isUpdate('t1', 'TASK_RUNNING'))).update!.status;
    expect(running.uuid).not.toBe(starting.uuid);
    expect(emu!.launches.map((l) => l.taskId)).toEqual(['t1']);
  });

  it('doubles the retry delay of an unacknowledged update, and resets it after the ACK', async () => {
    const { e, s, offer } = await setup({ updateRetryMs: 20 });
    await launch(s, offer, [commandTask('bk', offer.agent_id.value)]);
    await waitFor(() => s.updates('bk').length >= 3);
    const task = e.master.tasksById('bk')[0]!;
    expect(task.retryDelayMs).toBeGreaterThanOrEqual(80);
    expect(Math.log2(task.retryDelayMs / 20) % 1).toBe(0);
    await ack(s, s.updates('bk')[0]!);
    expect(task.retryDelayMs).toBe(20);
  });

  it('re-sends an acknowledged update later with late=1 (chaos)', async () => {
    const { s, offer } = await setup({ chaos: 'late=1', updateRetryMs: 60_000 });
    await launch(s, offer, [commandTask('late', offer.agent_id.value)]);
    const starting = (await s.next(isUpdate('late', 'TASK_STARTING'))).update!.status;
    await ack(s, starting);
    await waitFor(() => s.updates('late').filter((u) => u.uuid === starting.uuid).length === 2, 5000);
  });

  it('reports a health check result, and kills with TASK_KILLING for frameworks that ask for it', async () => {
    const { s, offer } = await setup({}, { capabilities: [{ type: 'TASK_KILLING_STATE' }] });
    const task = commandTask(
      'h1',
      offer.agent_id.value,
      {},
      { health_check: { type: 'COMMAND', command: { value: 'true' } } },
    );
    await launch(s, offer, [task]);
    for (const state of ['TASK_STARTING', 'TASK_RUNNING'])
      ack(s, (await s.next(isUpdate('h1', state))).update!.status);
    const healthy = await s.next(
      (e) => isUpdate('h1', 'TASK_RUNNING')(e) && e.update!.status.healthy === true,
    );
    expect(healthy.update!.status.reason).toBe('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
    await ack(s, healthy.update!.status);
    await call(emu!.url, s, { type: 'KILL', kill: { task_id: { value: 'h1' }, agent_id: offer.agent_id } });
    const killing = await s.next(isUpdate('h1', 'TASK_KILLING'));
    await ack(s, killing.update!.status);
    const killed = await s.next(isUpdate('h1', 'TASK_KILLED'));
    expect(killed.update!.status.message).toBe('Command terminated with signal Terminated');
  });

  it('finishes, fails and turns unhealthy on command', async () => {
    const { e, s, offer } = await setup({ updateRetryMs: 10_000 });
    const hc = { health_check: { type: 'COMMAND', command: { value: 'true' }, consecutive_failures: 2 } };
    await launch(s, offer, [
      commandTask('a', offer.agent_id.value),
      commandTask('b', offer.agent_id.value),
      commandTask('c', offer.agent_id.value, {}, hc),
    ]);
    const ackAll = async (): Promise<void> => {
      for (const ev of s.events)
        if (ev.type === 'UPDATE' && ev.update!.status.uuid) await ack(s, ev.update!.status);
    };
    for (const id of ['a', 'b', 'c']) {
      await waitFor(async () => {
        await ackAll();
        return emu!.master.tasksById(id)[0]?.state === 'TASK_RUNNING';
      });
    }
    e.finishTask('a');
    e.failTask('b', 3);
    const fin = await s.next(isUpdate('a', 'TASK_FINISHED'));
    expect(fin.update!.status.message).toBe('Command exited with status 0');
    await waitFor(async () => {
      await ackAll();
      return s.updates('b').some((u) => u.state === 'TASK_FAILED');
    });
    expect(s.updates('b').find((u) => u.state === 'TASK_FAILED')!.message).toBe(
      'Command exited with status 3',
    );
    await waitFor(async () => {
      await ackAll();
      return s.updates('c').some((u) => u.healthy === true);
    });
    e.setTaskHealth('c', false);
    await waitFor(async () => {
      await ackAll();
      return s.updates('c').some((u) => u.state === 'TASK_KILLED');
    });
    const c = s.updates('c');
    expect(c.some((u) => u.state === 'TASK_RUNNING' && u.healthy === false)).toBe(true);
    expect(c.find((u) => u.state === 'TASK_KILLED')!.healthy).toBe(false);
  });

  it('answers explicit and implicit reconciliation from the master, without uuid', async () => {
    const { s, offer } = await setup({}, { capabilities: [{ type: 'PARTITION_AWARE' }] });
    await launch(s, offer, [commandTask('r1', offer.agent_id.value)]);
    await s.next(isUpdate('r1', 'TASK_STARTING'));
    const from = s.events.length;
    await call(emu!.url, s, {
      type: 'RECONCILE',
      reconcile: {
        tasks: [
          { task_id: { value: 'r1' }, agent_id: offer.agent_id },
          { task_id: { value: 'ghost' } },
          { task_id: { value: 'ghost2' }, agent_id: offer.agent_id },
        ],
      },
    });
    const r1 = await s.next(
      (e) =>
        e.type === 'UPDATE' &&
        e.update!.status.reason === 'REASON_RECONCILIATION' &&
        e.update!.status.task_id.value === 'r1',
      2000,
      from,
    );
    expect(r1.update!.status.uuid).toBeUndefined();
    expect(r1.update!.status.source).toBe('SOURCE_MASTER');
    const ghost = await s.next(
      (e) => e.type === 'UPDATE' && e.update!.status.task_id.value === 'ghost',
      2000,
      from,
    );
    expect(ghost.update!.status.state).toBe('TASK_UNKNOWN');
    const ghost2 = await s.next(
      (e) => e.type === 'UPDATE' && e.update!.status.task_id.value === 'ghost2',
      2000,
      from,
    );
    expect(ghost2.update!.status.state).toBe('TASK_GONE');
    const from2 = s.events.length;
    await call(emu!.url, s, { type: 'RECONCILE', reconcile: { tasks: [] } });
    const implicit = await s.next(
      (e) => e.type === 'UPDATE' && e.update!.status.reason === 'REASON_RECONCILIATION',
      2000,
      from2,
    );
    expect(implicit.update!.status.task_id.value).toBe('r1');
  });

  it('answers an unknown task as TASK_LOST for frameworks that are not partition-aware', async () => {
    const { s } = await setup();
    await call(emu!.url, s, { type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'ghost' } }] } });
    const ghost = await s.next((e) => e.type === 'UPDATE');
    expect(ghost.update!.status).toMatchObject({ state: 'TASK_LOST', reason: 'REASON_RECONCILIATION' });
  });

  it('turns tasks LOST or UNREACHABLE when their agent is lost, and rescinds its offers', async () => {
    const { e, s, offer } = await setup({}, { capabilities: [{ type: 'PARTITION_AWARE' }] });
    await launch(s, offer, [commandTask('l1', offer.agent_id.value)]);
    await s.next(isUpdate('l1', 'TASK_STARTING'));
    const other = s.events
      .flatMap((ev) => ev.offers?.offers ?? [])
      .find((o) => o.agent_id.value !== offer.agent_id.value)!;
    e.loseAgent(other.agent_id.value);
    const rescind = await s.next((ev) => ev.type === 'RESCIND');
    expect(rescind.rescind!.offer_id.value).toBe(other.id.value);
    e.loseAgent(offer.agent_id.value);
    const lost = await s.next(isUpdate('l1', 'TASK_UNREACHABLE'));
    expect(lost.update!.status).toMatchObject({ source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED' });
    expect(lost.update!.status.uuid).toBeUndefined();
  });

  it('a new SUBSCRIBE invalidates outstanding offers', async () => {
    const { s, offer } = await setup();
    const again = await subscribe(emu!.url, {
      frameworkId: s.frameworkId(),
      frameworkInfo: { failover_timeout: 60 },
    });
    streams.push(again);
    const r = await launch(again, offer, [commandTask('x', offer.agent_id.value)]);
    expect(r.status).toBe(202);
    const lost = await again.next(isUpdate('x', 'TASK_LOST'));
    expect(lost.update!.status.reason).toBe('REASON_INVALID_OFFERS');
  });

  it('keeps status updates flowing while suppressed', async () => {
    const { s, offer } = await setup();
    await call(emu!.url, s, { type: 'SUPPRESS' });
    await launch(s, offer, [commandTask('sup', offer.agent_id.value)]);
    await s.next(isUpdate('sup', 'TASK_STARTING'));
  });
});

describe('launching as strictly as Mesos', () => {
  it('fails a launch that asks for more than the offer with TASK_ERROR from the master', async () => {
    const { s, offer } = await setup();
    await launch(s, offer, [commandTask('big', offer.agent_id.value, { cpus: 100 })]);
    const st = (await s.next(isUpdate('big', 'TASK_ERROR'))).update!.status;
    expect(st).toMatchObject({ source: 'SOURCE_MASTER', reason: 'REASON_TASK_INVALID' });
    expect(st.message).toMatch(
      /^Total resources cpus\(allocated: \*\):100; mem\(allocated: \*\):32 required by task and its executor is more than available/,
    );
    expect(st.uuid).toBeUndefined();
  });

  it('fails ports outside the offer and a role the offer does not have', async () => {
    const { s, offer } = await setup();
    await launch(s, offer, [
      commandTask('p', offer.agent_id.value, { ports: [[30000, 30000]] }),
      {
        ...commandTask('role', offer.agent_id.value),
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: 'prod' }],
      },
    ]);
    expect((await s.next(isUpdate('p', 'TASK_ERROR'))).update!.status.reason).toBe('REASON_TASK_INVALID');
    expect((await s.next(isUpdate('role', 'TASK_ERROR'))).update!.status.reason).toBe('REASON_TASK_INVALID');
  });

  it('drops tasks launched on a used or declined offer (TASK_DROPPED when partition-aware)', async () => {
    const { s, offer } = await setup({}, { capabilities: [{ type: 'PARTITION_AWARE' }] });
    await launch(s, offer, [commandTask('ok', offer.agent_id.value)]);
    await launch(s, offer, [commandTask('again', offer.agent_id.value)]);
    const st = (await s.next(isUpdate('again', 'TASK_DROPPED'))).update!.status;
    expect(st.message).toBe(`Task launched with invalid offers: Offer ${offer.id.value} is no longer valid`);
    expect(st.reason).toBe('REASON_INVALID_OFFERS');
  });

  it('rejects a live task id', async () => {
    const { s, offer } = await setup();
    await launch(s, offer, [
      commandTask('dup', offer.agent_id.value),
      commandTask('dup', offer.agent_id.value),
    ]);
    const st = (await s.next(isUpdate('dup', 'TASK_ERROR'))).update!.status;
    expect(st.message).toBe('Task has duplicate ID: dup');
  });

  it('fails a task group whose default executor has less than its minimums', async () => {
    const { s, offer } = await setup();
    const agent = offer.agent_id;
    const executor = (resources: unknown[]) => ({
      type: 'DEFAULT',
      executor_id: { value: 'ex' },
      resources,
    });
    const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });
    const group = (res: unknown[], id: string) => ({
      type: 'LAUNCH_GROUP',
      launch_group: {
        executor: executor(res),
        task_group: {
          tasks: [
            {
              name: id,
              task_id: { value: id },
              agent_id: agent,
              resources: [scalar('cpus', 0.1), scalar('mem', 32)],
              command: { value: 'sleep 10' },
            },
          ],
        },
      },
    });
    await call(emu!.url, s, {
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [
          group([scalar('cpus', 0.1), scalar('mem', 32)], 'g1'),
          group([scalar('cpus', 0.001), scalar('mem', 32), scalar('disk', 10)], 'g2'),
          group([scalar('cpus', 0.1), scalar('mem', 32), scalar('disk', 10)], 'g3'),
        ],
      },
    });
    const g1 = (await s.next(isUpdate('g1', 'TASK_ERROR'))).update!.status;
    expect(g1).toMatchObject({ reason: 'REASON_TASK_GROUP_INVALID', message: "Executor 'ex' uses no disk" });
    const g2 = (await s.next(isUpdate('g2', 'TASK_ERROR'))).update!.status;
    expect(g2.message).toBe("Executor 'ex' uses less CPUs (0.001) than the minimum required (0.01)");
    await s.next(isUpdate('g3', 'TASK_STARTING'));
  });
});

describe('the allocator', () => {
  it('does not re-offer a declined agent within refuse_seconds, and REVIVE clears the filter', async () => {
    const { s, offer } = await setup({ agents: 1 });
    await call(emu!.url, s, {
      type: 'DECLINE',
      decline: { offer_ids: [offer.id], filters: { refuse_seconds: 60 } },
    });
    const before = s.events.length;
    await sleep(200);
    expect(s.events.slice(before).filter((e) => e.type === 'OFFERS')).toHaveLength(0);
    await call(emu!.url, s, { type: 'REVIVE' });
    const again = await s.next((e) => e.type === 'OFFERS', 2000, before);
    expect(again.offers!.offers[0]!.agent_id.value).toBe(offer.agent_id.value);
    expect(again.offers!.offers[0]!.id.value).not.toBe(offer.id.value);
  });

  it('re-offers a declined agent after the default 5 s filter only, not before', async () => {
    const { s, offer } = await setup({ agents: 1 });
    await call(emu!.url, s, { type: 'DECLINE', decline: { offer_ids: [offer.id] } });
    const filter = emu!.master.frameworks.get(s.frameworkId())!.filters.get(0)!;
    expect(filter.until - emu!.master.timers.now()).toBeGreaterThan(4000);
    expect(filter.until - emu!.master.timers.now()).toBeLessThanOrEqual(5000);
  });

  it('offers the unused part of an ACCEPT again once the filter lapses, and stops offering while suppressed', async () => {
    const { s, offer } = await setup({ agents: 1 });
    await launch(s, offer, [commandTask('u', offer.agent_id.value, { cpus: 1, mem: 128 })], {
      refuse_seconds: 0.05,
    });
    const next = await s.next(
      (e) => e.type === 'OFFERS' && e.offers!.offers[0]!.id.value !== offer.id.value,
      3000,
    );
    const cpus = next.offers!.offers[0]!.resources.find((r) => r.name === 'cpus')!.scalar!.value;
    expect(cpus).toBe(7);
    await call(emu!.url, s, { type: 'SUPPRESS' });
    await call(emu!.url, s, {
      type: 'DECLINE',
      decline: { offer_ids: [next.offers!.offers[0]!.id], filters: { refuse_seconds: 0 } },
    });
    const before = s.events.length;
    await sleep(200);
    expect(s.events.slice(before).filter((e) => e.type === 'OFFERS')).toHaveLength(0);
  });

  it('batches offers for many agents into one OFFERS event', async () => {
    const { s } = await setup({ agents: 50 });
    const first = s.events.find((e) => e.type === 'OFFERS')!;
    expect(first.offers!.offers).toHaveLength(50);
    expect(new Set(first.offers!.offers.map((o) => o.hostname)).size).toBe(50);
  });
});
