import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { operatorTypes } from './operator.js';
import type { EventShape } from './shapes.js';
import { call, commandTask, get, post, subscribe, type TestStream, waitFor } from './test-support.js';

let emu: Emulator | null = null;
const streams: TestStream[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await emu?.stop();
  emu = null;
});

async function withTask(): Promise<{ e: Emulator; s: TestStream; agentId: string; hostname: string }> {
  emu = await startEmulator({ agents: 2, allocationIntervalMs: 30 });
  const s = await subscribe(emu.url, { frameworkInfo: { failover_timeout: 60 } });
  streams.push(s);
  const offer = (await s.next((e) => e.type === 'OFFERS')).offers!.offers[0]!;
  await call(emu.url, s, {
    type: 'ACCEPT',
    accept: {
      offer_ids: [offer.id],
      operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask('op1', offer.agent_id.value)] } }],
    },
  });
  await s.next((e) => e.type === 'UPDATE');
  return { e: emu, s, agentId: offer.agent_id.value, hostname: offer.hostname };
}

describe('the operator API', () => {
  it('answers GET_STATE in JSON with tasks, frameworks and agents', async () => {
    const { e } = await withTask();
    const r = await post(e.url, '/api/v1', JSON.stringify({ type: 'GET_STATE' }));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const state = JSON.parse(r.body).get_state;
    expect(state.get_tasks.tasks.map((t: { task_id: { value: string } }) => t.task_id.value)).toEqual([
      'op1',
    ]);
    expect(state.get_frameworks.frameworks).toHaveLength(1);
    expect(state.get_agents.agents).toHaveLength(2);
  });

  it('answers GET_TASKS, GET_AGENTS, GET_FRAMEWORKS and GET_MASTER in protobuf', async () => {
    const { e } = await withTask();
    const { Call, Response } = operatorTypes();
    for (const type of ['GET_TASKS', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_MASTER']) {
      const body = Call.encode(Call.fromObject({ type })).finish();
      const r = await new Promise<Buffer>((resolve, reject) => {
        import('node:http').then(({ request }) => {
          const req = request(
            `${e.url}/api/v1`,
            {
              method: 'POST',
              headers: { 'Content-Type': 'application/x-protobuf', Accept: 'application/x-protobuf' },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve(Buffer.concat(chunks)));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      });
      const decoded = Response.toObject(Response.decode(r), { enums: String, longs: String }) as Record<
        string,
        unknown
      >;
      expect(decoded.type).toBe(type);
    }
  });

  it('rejects a Content-Type with a charset with 415 and GET with 405', async () => {
    emu = await startEmulator({ agents: 1 });
    const r = await post(emu.url, '/api/v1', JSON.stringify({ type: 'GET_STATE' }), {
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(r.status).toBe(415);
    expect((await get(emu.url, '/api/v1')).status).toBe(405);
  });

  it('serves the legacy /master/state with frameworks[].tasks, slaves and leader', async () => {
    const { e } = await withTask();
    const state = JSON.parse((await get(e.url, '/master/state')).body);
    expect(state.leader).toBe(`master@127.0.0.1:${e.port}`);
    expect(state.slaves).toHaveLength(2);
    expect(state.frameworks[0].tasks[0].id).toBe('op1');
  });

  it('drains an agent through DRAIN_AGENT: its tasks are killed with REASON_AGENT_DRAINING', async () => {
    const { e, s, agentId } = await withTask();
    const r = await post(
      e.url,
      '/api/v1',
      JSON.stringify({ type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: agentId } } }),
    );
    expect(r.status).toBe(200);
    await waitFor(() =>
      s.updates('op1').some((u) => u.state === 'TASK_KILLED' || u.state === 'TASK_STARTING'),
    );
    await waitFor(() => e.master.tasksById('op1')[0]?.state === 'TASK_KILLED');
    expect(e.master.tasksById('op1')[0]!.latest!.reason).toBe('REASON_AGENT_DRAINING');
  });
});

describe('maintenance', () => {
  it('puts offers under unavailability, sends inverse offers, and machine/down loses the tasks', async () => {
    const { e, s, hostname } = await withTask();
    const schedule = {
      windows: [
        {
          machine_ids: [{ hostname, ip: '10.0.0.1' }],
          unavailability: { start: { nanoseconds: 1e18 }, duration: { nanoseconds: 3.6e12 } },
        },
      ],
    };
    const from = s.events.length;
    expect((await post(e.url, '/master/maintenance/schedule', JSON.stringify(schedule))).status).toBe(200);
    const inverse = await s.next((ev: EventShape) => ev.type === 'INVERSE_OFFERS', 3000, from);
    expect(inverse.inverse_offers!.inverse_offers[0]!.unavailability.start.nanoseconds).toBeDefined();
    const offered = await s.next(
      (ev) => ev.type === 'OFFERS' && ev.offers!.offers.some((o) => o.hostname === hostname),
      3000,
      from,
    );
    expect(offered.offers!.offers.find((o) => o.hostname === hostname)!.unavailability).toBeDefined();
    const status = JSON.parse((await get(e.url, '/master/maintenance/status')).body);
    expect(status.draining_machines).toHaveLength(1);
    const notScheduled = await post(e.url, '/master/machine/down', JSON.stringify([{ hostname: 'nowhere' }]));
    expect(notScheduled.status).toBe(400);
    expect(
      (await post(e.url, '/master/machine/down', JSON.stringify([{ hostname, ip: '10.0.0.1' }]))).status,
    ).toBe(200);
    const lost = await s.next(
      (ev) => ev.type === 'UPDATE' && ev.update!.status.state === 'TASK_LOST',
      3000,
      from,
    );
    expect(lost.update!.status.source).toBe('SOURCE_MASTER');
    expect(
      (await post(e.url, '/master/machine/up', JSON.stringify([{ hostname, ip: '10.0.0.1' }]))).status,
    ).toBe(200);
    expect(JSON.parse((await get(e.url, '/master/maintenance/schedule')).body).windows).toEqual([]);
  });
});
