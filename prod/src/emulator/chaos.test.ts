import { afterEach, describe, expect, it } from 'vitest';
import { parseChaos } from './chaos.js';
import { type Emulator, type EmulatorOptions, startEmulator } from './emulator.js';
import { call, commandTask, get, post, sleep, subscribe, type TestStream, waitFor } from './test-support.js';

let emu: Emulator | null = null;
const streams: TestStream[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await emu?.stop();
  emu = null;
});

async function start(options: EmulatorOptions): Promise<TestStream> {
  emu = await startEmulator({ agents: 1, allocationIntervalMs: 30, ...options });
  const s = await subscribe(emu.url, { frameworkInfo: { failover_timeout: 60 } });
  streams.push(s);
  return s;
}

describe('chaos mode', () => {
  it('parses its flag and names a bad part', () => {
    expect(parseChaos('duplicates=0.5,drop-streams=100,seed=3')).toMatchObject({
      ok: true,
      value: { duplicates: 0.5, dropStreamsAfterMs: 100, seed: 3 },
    });
    expect(parseChaos('typo=1')).toMatchObject({ ok: false });
    expect(parseChaos('late=2')).toMatchObject({ ok: false });
  });

  it('sends every update twice with duplicates=1', async () => {
    const s = await start({ chaos: 'duplicates=1', updateRetryMs: 60_000 });
    const offer = (await s.next((e) => e.type === 'OFFERS')).offers!.offers[0]!;
    await call(emu!.url, s, {
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask('d', offer.agent_id.value)] } }],
      },
    });
    await waitFor(() => s.updates('d').length >= 2);
    const [a, b] = s.updates('d');
    expect(a!.uuid).toBe(b!.uuid);
    expect(a!.state).toBe('TASK_STARTING');
  });

  it('stops heartbeats with the stream left open', async () => {
    const s = await start({ chaos: 'stop-heartbeats=0', heartbeatIntervalMs: 20 });
    await sleep(200);
    expect(s.events.filter((e) => e.type === 'HEARTBEAT')).toHaveLength(1);
    expect((await call(emu!.url, s, { type: 'REVIVE' })).status).toBe(202);
  });

  it('abandons a stream without closing it', async () => {
    const s = await start({ chaos: 'drop-streams=50', heartbeatIntervalMs: 20 });
    await waitFor(async () => (await call(emu!.url, s, { type: 'REVIVE' })).status === 403);
    const count = s.events.length;
    await sleep(100);
    expect(s.events.length).toBe(count);
  });
});

describe('the control endpoint', () => {
  it('loses and restores an agent, sets behaviour, and reports launches', async () => {
    const s = await start({});
    const offer = (await s.next((e) => e.type === 'OFFERS')).offers!.offers[0]!;
    let r = await post(
      emu!.url,
      '/emulator/v1/behaviour',
      JSON.stringify({ behaviour: { runForMs: 10, outcome: 'failed' } }),
    );
    expect(r.status).toBe(200);
    r = await post(emu!.url, '/emulator/v1/behaviour', JSON.stringify({ behaviour: { outcome: 'maybe' } }));
    expect(r.status).toBe(400);
    expect(r.body).toBe("outcome is 'finished' or 'failed'");
    await call(emu!.url, s, {
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask('c1', offer.agent_id.value)] } }],
      },
    });
    await waitFor(async () => {
      for (const u of s.updates('c1')) {
        if (u.uuid) {
          await call(emu!.url, s, {
            type: 'ACKNOWLEDGE',
            acknowledge: { agent_id: u.agent_id, task_id: u.task_id, uuid: u.uuid },
          });
        }
      }
      return s.updates('c1').some((u) => u.state === 'TASK_FAILED');
    });
    const launches = JSON.parse((await get(emu!.url, '/emulator/v1/launches')).body);
    expect(launches.map((l: { taskId: string }) => l.taskId)).toEqual(['c1']);
    r = await post(emu!.url, '/emulator/v1/agents/lose', JSON.stringify({ agent: offer.hostname }));
    expect(r.status).toBe(200);
    expect(emu!.master.agents.states[0]).toBe('unreachable');
    r = await post(emu!.url, '/emulator/v1/agents/restore', JSON.stringify({ agent: offer.agent_id.value }));
    expect(emu!.master.agents.states[0]).toBe('active');
    r = await post(emu!.url, '/emulator/v1/agents/lose', JSON.stringify({ agent: 'nowhere' }));
    expect(r.status).toBe(400);
    expect(r.body).toBe("No agent 'nowhere' (give an agent id or hostname)");
  });
});
