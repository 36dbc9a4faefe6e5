import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCall } from '../mesos/messages.js';
import { type Emulator, startEmulator } from './emulator.js';
import { call, get, post, subscribe, waitFor } from './test-support.js';

describe('the scheduler API speaks Mesos wire rules', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ agents: 3, allocationIntervalMs: 50 });
  });
  afterAll(async () => {
    await emu.stop();
  });
  const subscribeBody = JSON.stringify({
    type: 'SUBSCRIBE',
    subscribe: { framework_info: { user: 'u', name: 'n' } },
  });

  it('answers a Content-Type with a charset with 415 and a plain-text body', async () => {
    const r = await post(emu.url, '/api/v1/scheduler', subscribeBody, {
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(r.status).toBe(415);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toBe("Expecting 'Content-Type' of application/json or application/x-protobuf");
  });

  it('answers a missing Content-Type with 400', async () => {
    const r = await post(emu.url, '/api/v1/scheduler', subscribeBody, {});
    expect(r.status).toBe(400);
  });

  it('answers GET with 405 and Allow: POST', async () => {
    const r = await get(emu.url, '/api/v1/scheduler');
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('POST');
    expect(r.body).toBe("405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.");
  });

  it('answers camelCase frameworkInfo with 400 missing required fields', async () => {
    const body = JSON.stringify({
      type: 'SUBSCRIBE',
      subscribe: { frameworkInfo: { user: 'u', name: 'n' } },
    });
    const r = await post(emu.url, '/api/v1/scheduler', body);
    expect(r.status).toBe(400);
    expect(r.body).toBe(
      'Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info',
    );
  });

  it('answers a numeric enum with 400', async () => {
    const body = JSON.stringify({ type: 1, subscribe: { framework_info: { user: 'u', name: 'n' } } });
    const r = await post(emu.url, '/api/v1/scheduler', body);
    expect(r.status).toBe(400);
    expect(r.body).toBe(
      "Failed to convert JSON into Call protobuf: Not expecting a JSON number for field 'type'",
    );
  });

  it('answers SUBSCRIBE with a Mesos-Stream-Id header with 400', async () => {
    const r = await post(emu.url, '/api/v1/scheduler', subscribeBody, {
      'Content-Type': 'application/json',
      'Mesos-Stream-Id': 'x',
    });
    expect(r.status).toBe(400);
    expect(r.body).toBe("Subscribe calls should not include the 'Mesos-Stream-Id' header");
  });

  it('answers an Accept it cannot serve with 406', async () => {
    const r = await post(emu.url, '/api/v1/scheduler', subscribeBody, {
      'Content-Type': 'application/json',
      Accept: 'text/html',
    });
    expect(r.status).toBe(406);
  });

  it('streams SUBSCRIBED, then HEARTBEAT, then OFFERS, in JSON with a stream id', async () => {
    const s = await subscribe(emu.url);
    try {
      expect(s.status).toBe(200);
      expect(s.headers['content-type']).toBe('application/json');
      expect(s.streamId).toMatch(/^[0-9a-f-]{36}$/);
      await s.next((e) => e.type === 'OFFERS');
      expect(s.events.slice(0, 3).map((e) => e.type)).toEqual(['SUBSCRIBED', 'HEARTBEAT', 'OFFERS']);
      expect(s.events[0]!.subscribed!.heartbeat_interval_seconds).toBe(15);
      const offer = s.events[2]!.offers!.offers[0]!;
      expect(offer.allocation_info.role).toBe('*');
      const cpus = offer.resources.find((r) => r.name === 'cpus')!;
      expect(cpus).toMatchObject({ type: 'SCALAR', role: '*', allocation_info: { role: '*' } });
      const ports = offer.resources.find((r) => r.name === 'ports')!;
      expect(ports.type).toBe('RANGES');
      expect(ports.ranges!.range!.map((r) => [Number(r.begin), Number(r.end)])).toEqual([[31000, 32000]]);
      expect(offer.attributes.map((a) => a.name)).toEqual(['host', 'rack', 'zone']);
    } finally {
      s.close();
    }
  });

  it('streams protobuf records when asked, on the /master alias too', async () => {
    const s = await subscribe(emu.url, { encoding: 'protobuf', path: '/master/api/v1/scheduler' });
    try {
      expect(s.headers['content-type']).toBe('application/x-protobuf');
      await s.next((e) => e.type === 'HEARTBEAT');
      expect(s.events[0]!.type).toBe('SUBSCRIBED');
    } finally {
      s.close();
    }
  });

  it('rejects calls without a stream id, with a stale one, without framework_id, and when not subscribed', async () => {
    const s = await subscribe(emu.url, { frameworkInfo: { failover_timeout: 60 } });
    const fid = s.frameworkId();
    const decline = { type: 'DECLINE', decline: { offer_ids: [] } };
    let r = await post(
      emu.url,
      '/api/v1/scheduler',
      JSON.stringify({ framework_id: { value: fid }, ...decline }),
    );
    expect(r.status).toBe(400);
    expect(r.body).toBe("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    r = await post(
      emu.url,
      '/api/v1/scheduler',
      JSON.stringify({ framework_id: { value: fid }, ...decline }),
      {
        'Content-Type': 'application/json',
        'Mesos-Stream-Id': 'stale',
      },
    );
    expect(r.status).toBe(400);
    expect(r.body).toBe(
      `The stream ID 'stale' included in this request didn't match the stream ID currently associated with framework ID ${fid}`,
    );
    r = await post(emu.url, '/api/v1/scheduler', JSON.stringify(decline), {
      'Content-Type': 'application/json',
      'Mesos-Stream-Id': s.streamId,
    });
    expect(r.status).toBe(400);
    expect(r.body).toBe("Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
    r = await call(emu.url, s, decline);
    expect(r.status).toBe(202);
    expect(r.body).toBe('');
    expect(r.headers['content-type']).toBeUndefined();
    s.close();
    await waitFor(async () => (await call(emu.url, s, decline)).status === 403);
    r = await call(emu.url, s, decline);
    expect(r.body).toBe('Framework is not subscribed');
    r = await post(
      emu.url,
      '/api/v1/scheduler',
      JSON.stringify({ framework_id: { value: 'nope' }, ...decline }),
      {
        'Content-Type': 'application/json',
        'Mesos-Stream-Id': s.streamId,
      },
    );
    expect(r.status).toBe(400);
    expect(r.body).toBe('Framework cannot be found');
  });

  it('fails over: the old stream gets ERROR and its stream id is rejected', async () => {
    const first = await subscribe(emu.url, { frameworkInfo: { failover_timeout: 60 } });
    const fid = first.frameworkId();
    const second = await subscribe(emu.url, { frameworkId: fid, frameworkInfo: { failover_timeout: 60 } });
    try {
      const error = await first.next((e) => e.type === 'ERROR');
      expect(error.error!.message).toBe('Framework failed over');
      expect(second.frameworkId()).toBe(fid);
      const r = await call(emu.url, first, { type: 'REVIVE' });
      expect(r.status).toBe(400);
      expect(r.body).toContain("didn't match");
      expect((await call(emu.url, second, { type: 'REVIVE' })).status).toBe(202);
    } finally {
      first.close();
      second.close();
    }
  });

  it('requires framework_id to match subscribe.framework_info.id', async () => {
    const body = JSON.stringify({
      type: 'SUBSCRIBE',
      framework_id: { value: 'a' },
      subscribe: { framework_info: { user: 'u', name: 'n' } },
    });
    const r = await post(emu.url, '/api/v1/scheduler', body);
    expect(r.status).toBe(400);
    expect(r.body).toBe(
      "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'",
    );
  });

  it('rejects an ACKNOWLEDGE whose uuid is not 16 bytes', async () => {
    const s = await subscribe(emu.url);
    try {
      const r = await call(emu.url, s, {
        type: 'ACKNOWLEDGE',
        acknowledge: {
          agent_id: { value: 'a' },
          task_id: { value: 't' },
          uuid: Buffer.from('short').toString('base64'),
        },
      });
      expect(r.status).toBe(400);
      expect(r.body).toBe('Failed to validate scheduler::Call: Not a valid UUID');
    } finally {
      s.close();
    }
  });

  it('accepts protobuf calls', async () => {
    const s = await subscribe(emu.url);
    try {
      const bytes = encodeCall({ type: 'REVIVE', framework_id: { value: s.frameworkId() } } as never);
      const r = await post(emu.url, '/api/v1/scheduler', bytes, {
        'Content-Type': 'application/x-protobuf',
        'Mesos-Stream-Id': s.streamId,
      });
      expect(r.status).toBe(202);
    } finally {
      s.close();
    }
  });

  it('removes a framework with failover_timeout 0 when its stream closes', async () => {
    const s = await subscribe(emu.url);
    const fid = s.frameworkId();
    s.close();
    await waitFor(async () => !emu.master.frameworks.has(fid));
    const again = await subscribe(emu.url, { frameworkId: fid });
    try {
      const error = await again.next((e) => e.type === 'ERROR');
      expect(error.error!.message).toBe('Framework has been removed');
    } finally {
      again.close();
    }
  });

  it('serves health, redirect and metrics', async () => {
    expect((await get(emu.url, '/master/health')).status).toBe(200);
    const r = await get(emu.url, '/master/redirect');
    expect(r.status).toBe(307);
    expect(r.headers.location).toBe(`//127.0.0.1:${emu.port}`);
    const m = JSON.parse((await get(emu.url, '/metrics/snapshot')).body) as Record<string, number>;
    expect(m['master/elected']).toBe(1);
    expect(m['master/slaves_active']).toBe(3);
  });
});
