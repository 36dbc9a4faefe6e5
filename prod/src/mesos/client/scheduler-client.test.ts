import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../scheduler-types.js';
import { MesosCallError } from './errors.js';
import { MesosFrameworkError, SchedulerClient, type SchedulerClientOptions } from './scheduler-client.js';
import {
  eventBytes,
  type FakeMaster,
  heartbeat,
  offers,
  openStream,
  type RecordedRequest,
  startFakeMaster,
  subscribed,
  until,
} from './test-support.js';

const frameworkInfo = { user: 'root', name: 'borealis', failover_timeout: 604800, checkpoint: true };
const fast = { initialMs: 5, maxMs: 20 };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function master(): Promise<FakeMaster> {
  const m = await startFakeMaster();
  cleanup.push(() => m.close());
  return m;
}

function client(options: Partial<SchedulerClientOptions> & Pick<SchedulerClientOptions, 'masters'>) {
  const c = new SchedulerClient({ frameworkInfo, backoff: fast, ...options });
  const events: Event[] = [];
  const disconnects: Error[] = [];
  c.on('event', (e) => events.push(e));
  c.on('disconnected', (e) => disconnects.push(e));
  cleanup.push(() => c.stop());
  return { c, events, disconnects };
}

/** A master that accepts SUBSCRIBE (stream ids s1, s2, ...) and answers every other call with 202. */
function simpleMaster(m: FakeMaster, first: Event[] = [heartbeat], streams: http.ServerResponse[] = []) {
  let n = 0;
  m.onRequest = (req, res) => {
    if (req.call?.type === 'SUBSCRIBE') {
      n++;
      streams.push(res);
      openStream(res, `s${n}`, req.headers.accept);
      res.write(eventBytes([subscribed('fw-1'), ...first], mediaOf(req)));
    } else {
      res.writeHead(202).end();
    }
  };
  return streams;
}

const mediaOf = (req: RecordedRequest) =>
  req.headers['content-type'] === 'application/json' ? 'json' : 'protobuf';

describe('SchedulerClient subscription', () => {
  it('subscribes with exact headers and decodes events across any chunking', async () => {
    const m = await master();
    m.onRequest = (_req, res) => {
      openStream(res, 'stream-1');
      const bytes = eventBytes([subscribed('fw-1'), heartbeat, offers('o1', 'o2'), heartbeat]);
      // Chunks that split a length prefix, split payloads, and hold several records.
      const cuts = [1, 3, 17, 18, 40, bytes.length - 5, bytes.length];
      let from = 0;
      for (const to of cuts) {
        res.write(bytes.subarray(from, to));
        from = to;
      }
    };
    const { c, events } = client({ masters: m.url.href });
    c.start();
    await until(() => events.length === 4, 'four events');
    expect(events.map((e) => e.type)).toEqual(['SUBSCRIBED', 'HEARTBEAT', 'OFFERS', 'HEARTBEAT']);
    expect(events[2]?.offers?.offers?.map((o) => o.id.value)).toEqual(['o1', 'o2']);
    expect(c.state).toBe('subscribed');
    expect(c.frameworkId).toBe('fw-1');
    const req = m.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/scheduler');
    expect(req.headers['content-type']).toBe('application/x-protobuf');
    expect(req.headers.accept).toBe('application/x-protobuf');
    expect(req.headers['mesos-stream-id']).toBeUndefined();
    expect(req.call?.framework_id).toBeUndefined();
  });

  it('sends calls on a keep-alive connection apart from the stream, with stream id and framework id', async () => {
    const m = await master();
    simpleMaster(m);
    const { c } = client({ masters: m.url.href });
    c.start();
    await until(() => c.state === 'subscribed', 'subscribed');
    await c.decline(['o1'], { refuse_seconds: 60 });
    await c.revive();
    const [sub, decline, revive] = m.requests;
    expect(decline?.headers['content-type']).toBe('application/x-protobuf');
    expect(decline?.headers['mesos-stream-id']).toBe('s1');
    expect(decline?.call).toEqual({
      framework_id: { value: 'fw-1' },
      type: 'DECLINE',
      decline: { offer_ids: [{ value: 'o1' }], filters: { refuse_seconds: 60 } },
    });
    expect(decline?.remotePort).not.toBe(sub?.remotePort);
    expect(revive?.remotePort).toBe(decline?.remotePort);
  });

  it('follows a chain of 307s with protocol-relative Locations, re-POSTing the same body', async () => {
    const [a, b, leader] = [await master(), await master(), await master()];
    const redirectTo = (target: FakeMaster) => (_req: RecordedRequest, res: http.ServerResponse) => {
      res.writeHead(307, { Location: `//127.0.0.1:${target.port}/master/api/v1/scheduler` }).end();
    };
    a.onRequest = redirectTo(b);
    b.onRequest = redirectTo(leader);
    simpleMaster(leader);
    const { c } = client({ masters: a.url.href });
    c.start();
    await until(() => c.state === 'subscribed', 'subscribed');
    expect(c.master?.href).toBe(leader.url.href);
    const sub = leader.requests[0]!;
    expect(sub.method).toBe('POST');
    expect(sub.path).toBe('/master/api/v1/scheduler');
    expect(sub.body).toEqual(a.requests[0]!.body);
    await c.kill('t1', 'a1');
    expect(leader.requests[1]?.path).toBe('/master/api/v1/scheduler');
    expect(leader.requests[1]?.call?.kill?.task_id.value).toBe('t1');
  });

  it('moves on to another master after a 503, and retries a call answered 503', async () => {
    const [standby, leader] = [await master(), await master()];
    standby.onRequest = (_req, res) => res.writeHead(503).end('No leader elected');
    let calls = 0;
    simpleMaster(leader);
    const serve = leader.onRequest;
    leader.onRequest = (req, res) => {
      if (req.call?.type === 'SUPPRESS' && calls++ === 0)
        res.writeHead(503).end('Master has not finished recovery');
      else serve(req, res);
    };
    const { c, disconnects } = client({ masters: [standby.url.href, leader.url.href] });
    c.start();
    await until(() => c.state === 'subscribed', 'subscribed');
    expect(disconnects[0]).toBeInstanceOf(MesosCallError);
    expect((disconnects[0] as MesosCallError).status).toBe(503);
    await c.suppress();
    expect(leader.requests.filter((r) => r.call?.type === 'SUPPRESS')).toHaveLength(2);
  });

  it('turns a 4xx answer to a call into a MesosCallError with status and text', async () => {
    const m = await master();
    simpleMaster(m);
    const serve = m.onRequest;
    m.onRequest = (req, res) => {
      if (req.call?.type === 'KILL') {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`The stream ID '${req.headers['mesos-stream-id']}' included in this request didn't match`);
      } else serve(req, res);
    };
    const { c } = client({ masters: m.url.href });
    c.start();
    await until(() => c.state === 'subscribed', 'subscribed');
    const error = await c.kill('t').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MesosCallError);
    expect((error as MesosCallError).status).toBe(400);
    expect((error as MesosCallError).message).toContain(
      "The stream ID 's1' included in this request didn't match",
    );
  });

  it('resubscribes when heartbeats stop with the socket open, failing over with the framework id', async () => {
    const m = await master();
    const streams: http.ServerResponse[] = [];
    let n = 0;
    m.onRequest = (req, res) => {
      if (req.call?.type !== 'SUBSCRIBE') return void res.writeHead(202).end();
      n++;
      streams.push(res);
      openStream(res, `s${n}`);
      // The first stream announces 20 ms heartbeats and then says nothing, socket left open.
      res.write(eventBytes([subscribed('fw-1', n === 1 ? 0.02 : 15), heartbeat]));
    };
    const { c, disconnects } = client({ masters: m.url.href });
    c.start();
    await until(() => m.requests.length === 2 && c.state === 'subscribed', 'a second subscription');
    expect(disconnects[0]?.message).toMatch(/heartbeats missed/);
    const again = m.requests[1]!.call!;
    expect(again.framework_id).toEqual({ value: 'fw-1' });
    expect(again.subscribe?.framework_info.id).toEqual({ value: 'fw-1' });
    expect(m.requests[1]!.headers['mesos-stream-id']).toBeUndefined();
    await c.revive();
    expect(m.requests[2]!.headers['mesos-stream-id']).toBe('s2');
  });

  it('drops a stream that is not RecordIO and resubscribes', async () => {
    const m = await master();
    let n = 0;
    m.onRequest = (req, res) => {
      if (req.call?.type !== 'SUBSCRIBE') return void res.writeHead(202).end();
      openStream(res, `s${++n}`);
      if (n === 1) res.write(Buffer.from('{"type":"SUBSCRIBED"}\n'));
      else res.write(eventBytes([subscribed('fw-1'), heartbeat]));
    };
    const { c, disconnects } = client({ masters: m.url.href });
    c.start();
    await until(() => c.state === 'subscribed', 'subscribed');
    expect(disconnects[0]?.name).toBe('RecordIOError');
    expect(disconnects[0]?.message).toMatch(/Malformed RecordIO: byte 0x7b in a length prefix at byte 0/);
  });

  it('resubscribes when the master closes the stream', async () => {
    const m = await master();
    const streams = simpleMaster(m);
    const { c, disconnects } = client({ masters: m.url.href });
    c.start();
    await until(() => c.state === 'subscribed', 'subscribed');
    streams[0]!.end();
    await until(() => streams.length === 2 && c.state === 'subscribed', 'resubscribed');
    expect(disconnects[0]?.message).toMatch(/closed the subscription stream/);
  });

  it('stops for good on a 4xx to SUBSCRIBE and on an ERROR event', async () => {
    const m = await master();
    m.onRequest = (_req, res) =>
      res
        .writeHead(400)
        .end("Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'");
    const first = client({ masters: m.url.href });
    const closed = new Promise<Error | undefined>((r) => first.c.on('closed', r));
    first.c.start();
    const reason = await closed;
    expect(reason).toBeInstanceOf(MesosCallError);
    expect(reason?.message).toContain("'framework_id' differs");
    expect(first.c.state).toBe('closed');

    m.onRequest = (_req, res) => {
      openStream(res, 's');
      res.write(
        eventBytes([subscribed('fw-1'), { type: 'ERROR', error: { message: 'Framework failed over' } }]),
      );
    };
    const second = client({ masters: m.url.href });
    const closedToo = new Promise<Error | undefined>((r) => second.c.on('closed', r));
    second.c.start();
    const why = await closedToo;
    expect(why).toBeInstanceOf(MesosFrameworkError);
    expect(second.events.at(-1)?.error?.message).toBe('Framework failed over');
  });

  it('speaks JSON with the exact media type when asked, and authenticates with HTTP basic auth', async () => {
    const m = await master();
    simpleMaster(m, [heartbeat, offers('o1')]);
    const { c, events } = client({
      masters: m.url.href,
      encoding: 'json',
      credentials: { principal: 'borealis', secret: 's3cret' },
    });
    c.start();
    await until(() => events.length === 3, 'three events');
    expect(events[2]?.offers?.offers?.[0]?.id.value).toBe('o1');
    await c.reconcile();
    const auth = `Basic ${Buffer.from('borealis:s3cret').toString('base64')}`;
    for (const r of m.requests) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.authorization).toBe(auth);
    }
    expect(m.requests[1]?.call).toEqual({
      framework_id: { value: 'fw-1' },
      type: 'RECONCILE',
      reconcile: {},
    });
  });

  it('acknowledges only updates with a uuid, and persists the framework id before delivering SUBSCRIBED', async () => {
    const m = await master();
    simpleMaster(m);
    const saved: string[] = [];
    const { c, events } = client({
      masters: m.url.href,
      onFrameworkId: async (id) => {
        await new Promise((r) => setTimeout(r, 20));
        expect(events).toHaveLength(0);
        saved.push(id);
      },
    });
    c.start();
    await until(() => c.state === 'subscribed', 'subscribed');
    expect(saved).toEqual(['fw-1']);
    const status = { task_id: { value: 't' }, agent_id: { value: 'a' }, state: 'TASK_RUNNING' as const };
    expect(await c.acknowledge(status)).toBe(false);
    const uuid = Buffer.alloc(16, 9).toString('base64');
    expect(await c.acknowledge({ ...status, uuid })).toBe(true);
    const acks = m.requests.filter((r) => r.call?.type === 'ACKNOWLEDGE');
    expect(acks.map((r) => r.call?.acknowledge?.uuid)).toEqual([uuid]);
  });

  it('insists on an explicit failover_timeout (Mesos defaults to 0: tasks die with the connection)', () => {
    expect(
      () => new SchedulerClient({ masters: 'http://127.0.0.1:1', frameworkInfo: { user: 'u', name: 'n' } }),
    ).toThrow(/failover_timeout must be set/);
  });

  it('UPDATE_FRAMEWORK succeeds on 200 and later subscriptions carry the new info; TEARDOWN closes', async () => {
    const m = await master();
    const streams = simpleMaster(m);
    const serve = m.onRequest;
    m.onRequest = (req, res) => {
      if (req.call?.type === 'UPDATE_FRAMEWORK') res.writeHead(200).end();
      else serve(req, res);
    };
    const { c } = client({ masters: m.url.href });
    c.start();
    await until(() => c.state === 'subscribed', 'subscribed');
    await c.updateFramework({ ...frameworkInfo, name: 'borealis-2' });
    expect(m.requests[1]?.call?.update_framework?.framework_info).toMatchObject({
      name: 'borealis-2',
      id: { value: 'fw-1' },
    });
    streams[0]!.end();
    await until(() => streams.length === 2 && c.state === 'subscribed', 'resubscribed');
    const resubscribe = m.requests.filter((r) => r.call?.type === 'SUBSCRIBE')[1]!;
    expect(resubscribe.call?.subscribe?.framework_info.name).toBe('borealis-2');

    await c.teardown();
    expect(c.state).toBe('closed');
    expect(m.requests.at(-1)?.call).toEqual({ framework_id: { value: 'fw-1' }, type: 'TEARDOWN' });
  });

  it('takes a duplicate SUBSCRIBED on the same stream in its stride', async () => {
    const m = await master();
    simpleMaster(m, [heartbeat, subscribed('fw-1'), offers('o1')]);
    const { c, events, disconnects } = client({ masters: m.url.href });
    c.start();
    await until(() => events.length === 4, 'four events');
    expect(c.state).toBe('subscribed');
    expect(disconnects).toEqual([]);
  });

  it('refuses calls while not subscribed', async () => {
    const m = await master();
    m.onRequest = (_req, res) => res.writeHead(503).end('No leader elected');
    const { c } = client({ masters: m.url.href });
    await expect(c.decline(['o'])).rejects.toThrow(/not subscribed/);
  });
});
