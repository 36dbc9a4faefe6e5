import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import type { EventShape, OfferShape } from './shapes.js';
import { call, commandTask, get, subscribe, type TestStream, waitFor } from './test-support.js';

const server = `${JSON.stringify(process.execPath)} -e "require('http').createServer((q,s)=>s.end('hello from '+process.env.MESOS_TASK_ID)).listen(+process.env.PORT0,'127.0.0.1');console.log('listening')"`;

describe('agent mode --real-processes', () => {
  let emu: Emulator;
  let s: TestStream;
  let offer: OfferShape;
  beforeAll(async () => {
    emu = await startEmulator({
      agents: 1,
      allocationIntervalMs: 30,
      realProcesses: true,
      updateRetryMs: 60_000,
    });
    s = await subscribe(emu.url, { frameworkInfo: { failover_timeout: 60 } });
    offer = (await s.next((e) => e.type === 'OFFERS')).offers!.offers[0]!;
  });
  afterAll(async () => {
    s?.close();
    await emu?.stop();
  });
  const update = (id: string, state: string) => (e: EventShape) =>
    e.type === 'UPDATE' && e.update!.status.task_id.value === id && e.update!.status.state === state;
  const ackAll = async (): Promise<void> => {
    for (const ev of s.events) {
      const st = ev.update?.status;
      if (st?.uuid) {
        await call(emu.url, s, {
          type: 'ACKNOWLEDGE',
          acknowledge: { agent_id: st.agent_id, task_id: st.task_id, uuid: st.uuid },
        });
      }
    }
  };

  it('runs a web server on its offered port, probes its HTTP health check, and kills it with SIGTERM', async () => {
    const port = Number(offer.resources.find((r) => r.name === 'ports')!.ranges!.range![0]!.begin);
    const web = commandTask(
      'web',
      offer.agent_id.value,
      { ports: [[port, port]] },
      {
        command: { value: server, shell: true },
        health_check: {
          type: 'HTTP',
          http: { port, path: '/' },
          delay_seconds: 0,
          interval_seconds: 0.1,
          grace_period_seconds: 5,
        },
      },
    );
    const exits = commandTask(
      'exits',
      offer.agent_id.value,
      {},
      { command: { value: 'echo out; exit 3', shell: true } },
    );
    await call(emu.url, s, {
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [web, exits] } }],
      },
    });
    await waitFor(async () => {
      await ackAll();
      return s.updates('web').some((u) => u.healthy === true);
    }, 10_000);
    const body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
    expect(body).toBe('hello from web');

    await waitFor(async () => {
      await ackAll();
      return s.updates('exits').some((u) => u.state === 'TASK_FAILED');
    });
    expect(s.updates('exits').find((u) => u.state === 'TASK_FAILED')!.message).toBe(
      'Command exited with status 3',
    );

    const sandbox = emu.master.tasksById('web')[0]!.process!.sandbox;
    const listing = JSON.parse(
      (await get(emu.url, `/files/browse?path=${encodeURIComponent(sandbox)}`)).body,
    );
    expect(listing.map((f: { path: string }) => f.path.split('/').pop()).sort()).toEqual([
      'stderr',
      'stdout',
    ]);
    await waitFor(async () => {
      const read = JSON.parse(
        (await get(emu.url, `/files/read?path=${encodeURIComponent(`${sandbox}/stdout`)}&offset=0`)).body,
      );
      return read.data === 'listening\n';
    });
    const size = JSON.parse(
      (await get(emu.url, `/files/read?path=${encodeURIComponent(`${sandbox}/stdout`)}&offset=-1`)).body,
    );
    expect(size).toEqual({ data: '', offset: 10 });
    expect((await get(emu.url, '/files/read?path=/etc/passwd')).status).toBe(404);

    await call(emu.url, s, { type: 'KILL', kill: { task_id: { value: 'web' } } });
    await waitFor(async () => {
      await ackAll();
      return s.updates('web').some((u) => u.state === 'TASK_KILLED');
    });
    expect(s.updates('web').find((u) => u.state === 'TASK_KILLED')!.message).toBe(
      'Command terminated with signal Terminated',
    );
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    expect(s.events.some(update('web', 'TASK_RUNNING'))).toBe(true);
  });
});
