import { emulatorRoundTripRows, mesos } from '@borealis/prod';
import type { BenchSuite, Figures } from '../index.js';
import { micro } from '../index.js';

/**
 * The Mesos wire (prod/src/mesos): how fast the scheduler client turns a SUBSCRIBE stream into events.
 * Rows (`case`):
 * - stream: a recorded-like stream of 10,000 events (90% UPDATE with a uuid, 9% OFFERS of 10 offers
 *   with cpus/mem/disk/ports and rack/zone attributes, 1% HEARTBEAT), cut into 16 KiB chunks as HTTP
 *   would deliver them, through RecordIODecoder + decodeEvent: events/s and MB/s, protobuf and JSON.
 * - single: one event of each kind decoded alone, RecordIO framing alone, and the encodings the
 *   other side (the emulator) and the client's calls pay (encodeEvent UPDATE, encodeCall ACCEPT).
 */

const CHUNK = 16 * 1024;

function update(i: number): mesos.Event {
  return {
    type: 'UPDATE',
    update: {
      status: {
        task_id: { value: `prod/web/frontend/${i % 1000}/task-${i}-0f3c2a9e` },
        state: 'TASK_RUNNING',
        source: 'SOURCE_EXECUTOR',
        agent_id: { value: `6d07c88b-3a00-4e3a-b9ec-fdc74f8e55c6-S${i % 10_000}` },
        executor_id: { value: `prod/web/frontend/${i % 1000}/task-${i}-0f3c2a9e` },
        timestamp: 1_796_699_334.916 + i,
        uuid: Buffer.from(Array.from({ length: 16 }, (_, k) => (i * 31 + k) & 0xff)).toString('base64'),
        healthy: true,
      },
    },
  };
}

function offers(i: number, count = 10): mesos.Event {
  const scalar = (name: string, value: number): mesos.Resource => ({
    name,
    type: 'SCALAR',
    scalar: { value },
    role: '*',
    allocation_info: { role: '*' },
  });
  return {
    type: 'OFFERS',
    offers: {
      offers: Array.from({ length: count }, (_, k) => ({
        id: { value: `6d07c88b-3a00-4e3a-b9ec-fdc74f8e55c6-O${i * count + k}` },
        framework_id: { value: '6d07c88b-3a00-4e3a-b9ec-fdc74f8e55c6-0000' },
        agent_id: { value: `6d07c88b-3a00-4e3a-b9ec-fdc74f8e55c6-S${(i * count + k) % 10_000}` },
        hostname: `agent-${(i * count + k) % 10_000}.rack-${k}.example`,
        resources: [
          scalar('cpus', 8),
          scalar('mem', 32_768),
          scalar('disk', 262_144),
          {
            name: 'ports',
            type: 'RANGES',
            ranges: { range: [{ begin: '31000', end: '32000' }] },
            role: '*',
            allocation_info: { role: '*' },
          },
        ],
        attributes: [
          { name: 'rack', type: 'TEXT', text: { value: `r${k}` } },
          { name: 'zone', type: 'TEXT', text: { value: `z${k % 3}` } },
        ],
        allocation_info: { role: '*' },
      })),
    },
  };
}

function mixedEvents(n: number): mesos.Event[] {
  return Array.from({ length: n }, (_, i) =>
    i % 100 === 99 ? { type: 'HEARTBEAT' } : i % 10 === 9 ? offers(i) : update(i),
  );
}

function chunks(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < stream.length; at += CHUNK) out.push(stream.subarray(at, at + CHUNK));
  return out;
}

/** Decodes every record of the chunked stream; returns the event count (so nothing is optimised away). */
function decodeStream(parts: readonly Buffer[], decode: (r: Uint8Array) => mesos.Event): number {
  const decoder = new mesos.RecordIODecoder();
  let n = 0;
  for (const part of parts) {
    for (const record of decoder.push(part)) if (decode(record).type !== undefined) n++;
  }
  return n;
}

const decodeJson = (r: Uint8Array) =>
  mesos.eventFromJson(Buffer.from(r.buffer, r.byteOffset, r.length).toString('utf8'));

export const mesosSuite: BenchSuite = {
  name: 'mesos',
  description:
    'Mesos wire: SUBSCRIBE stream decode (RecordIO + Event, protobuf and JSON), events/s and MB/s; emulator offer -> ACCEPT -> RUNNING round trips/s at 10,000 agents',
  async run({ quick, log }) {
    const n = quick ? 1000 : 10_000;
    const timeMs = quick ? 100 : 1000;
    const events = mixedEvents(n);
    const protobufStream = Buffer.concat(events.map((e) => mesos.encodeRecord(mesos.encodeEvent(e))));
    const jsonStream = Buffer.concat(
      events.map((e) => mesos.encodeRecord(Buffer.from(mesos.eventToJson(e)))),
    );
    const protobufParts = chunks(protobufStream);
    const jsonParts = chunks(jsonStream);
    if (decodeStream(protobufParts, mesos.decodeEvent) !== n || decodeStream(jsonParts, decodeJson) !== n) {
      throw new Error('the benchmark stream does not decode to its events');
    }

    log(`decoding a ${n.toLocaleString('en-US')}-event stream (protobuf, JSON)`);
    const stream = await micro(
      {
        'stream protobuf': { fn: () => decodeStream(protobufParts, mesos.decodeEvent), opsPerCall: n },
        'stream JSON': { fn: () => decodeStream(jsonParts, decodeJson), opsPerCall: n },
        'RecordIO only': {
          fn: () => {
            const d = new mesos.RecordIODecoder();
            let k = 0;
            for (const p of protobufParts) k += d.push(p).length;
            return k;
          },
          opsPerCall: n,
        },
      },
      { timeMs },
    );

    log('single events');
    const oneUpdate = mesos.encodeEvent(update(7));
    const oneOffers = mesos.encodeEvent(offers(7));
    const oneUpdateJson = mesos.eventToJson(update(7));
    const accept: mesos.Call = {
      framework_id: { value: '6d07c88b-3a00-4e3a-b9ec-fdc74f8e55c6-0000' },
      ...mesos.calls.acceptCall(
        ['6d07c88b-3a00-4e3a-b9ec-fdc74f8e55c6-O7'],
        [
          mesos.calls.launch([
            {
              name: 'web',
              task_id: { value: 'prod/web/frontend/7/task-7-0f3c2a9e' },
              agent_id: { value: '6d07c88b-3a00-4e3a-b9ec-fdc74f8e55c6-S7' },
              resources: [
                { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, allocation_info: { role: '*' } },
                { name: 'mem', type: 'SCALAR', scalar: { value: 256 }, allocation_info: { role: '*' } },
              ],
              command: { value: 'exec ./server --port $PORT0' },
            },
          ]),
        ],
        { refuse_seconds: 5 },
      ),
    };
    const single = await micro(
      {
        'decode UPDATE protobuf': { fn: () => mesos.decodeEvent(oneUpdate) },
        'decode OFFERS(10) protobuf': { fn: () => mesos.decodeEvent(oneOffers) },
        'decode UPDATE JSON': { fn: () => mesos.eventFromJson(oneUpdateJson) },
        'encode UPDATE protobuf': { fn: () => mesos.encodeEvent(update(7)) },
        'encode ACCEPT protobuf': { fn: () => mesos.encodeCall(accept) },
      },
      { timeMs },
    );

    const mb = (bytes: number) => bytes / 2 ** 20;
    const streamEntry = (name: string, encoding: string, bytes: number): Figures => {
      const f = stream[name]!;
      return {
        case: name,
        encoding,
        events: n,
        streamMb: Math.round(mb(bytes) * 100) / 100,
        eventsPerSec: f.opsPerSec,
        mbPerSec: Math.round(mb(bytes) * (f.opsPerSec / n) * 10) / 10,
        meanNs: f.meanNs,
        rmePct: f.rmePct,
      };
    };
    const singleEntries = Object.entries(single).map(
      ([name, f]): Figures => ({
        case: name,
        opsPerSec: f.opsPerSec,
        meanNs: f.meanNs,
        p99Ns: f.p99Ns,
        rmePct: f.rmePct,
      }),
    );
    return [
      streamEntry('stream protobuf', 'protobuf', protobufStream.length),
      streamEntry('stream JSON', 'json', jsonStream.length),
      streamEntry('RecordIO only', 'protobuf', protobufStream.length),
      ...singleEntries,
      // The emulator's half (prod/src/emulator/bench-round-trips.ts): round trips at 10,000 agents.
      ...(await emulatorRoundTripRows({ quick, log })),
    ];
  },
};
