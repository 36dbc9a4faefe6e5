import { describe, expect, it } from 'vitest';
import {
  type Call,
  callFromJson,
  callToJson,
  decodeCall,
  decodeEvent,
  decodeMessage,
  type Event,
  encodeCall,
  encodeEvent,
  eventFromJson,
  eventToJson,
  MesosDecodeError,
  MesosJsonError,
  MissingRequiredFieldsError,
  messageFromJsonText,
  messageToJsonText,
  missingRequiredFields,
} from './messages.js';

// A minimal protobuf wire writer, independent of protobufjs: each test spells out Mesos's field
// numbers itself, so a wrong number in proto/*.proto makes the decode (or the encode) differ.
function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
const tag = (field: number, wire: number) => varint((field << 3) | wire);
const vint = (field: number, n: number) => [...tag(field, 0), ...varint(n)];
const len = (field: number, body: number[] | Buffer) => [...tag(field, 2), ...varint(body.length), ...body];
const str = (field: number, s: string) => len(field, Buffer.from(s, 'utf8'));
const dbl = (field: number, x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return [...tag(field, 1), ...b];
};
const id = (field: number, value: string) => len(field, str(1, value));
const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());

const UUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

describe('protobuf encoding with Mesos field numbers', () => {
  it('TEARDOWN: framework_id is field 1, type field 2', () => {
    const wire = bytes(id(1, 'fw-1'), vint(2, 2));
    const call: Call = { framework_id: { value: 'fw-1' }, type: 'TEARDOWN' };
    expect(decodeCall(wire)).toEqual(call);
    expect(Buffer.from(encodeCall(call))).toEqual(Buffer.from(wire));
  });

  it('ACKNOWLEDGE: acknowledge is field 8 with agent_id 1, task_id 2, uuid 3 (bytes, base64 in objects)', () => {
    const wire = bytes(
      id(1, 'fw'),
      vint(2, 8),
      len(8, [...id(1, 'agent-1'), ...id(2, 'task-1'), ...len(3, UUID)]),
    );
    const call = decodeCall(wire);
    expect(call).toEqual({
      framework_id: { value: 'fw' },
      type: 'ACKNOWLEDGE',
      acknowledge: {
        agent_id: { value: 'agent-1' },
        task_id: { value: 'task-1' },
        uuid: UUID.toString('base64'),
      },
    });
    expect(Buffer.from(call.acknowledge!.uuid, 'base64')).toEqual(UUID);
    expect(Buffer.from(encodeCall(call))).toEqual(Buffer.from(wire));
  });

  it('SUBSCRIBE: framework_info with failover_timeout 4, checkpoint 5, roles 12, capabilities 10', () => {
    const frameworkInfo = [
      ...str(1, 'root'),
      ...str(2, 'borealis'),
      ...id(3, 'fw-9'),
      ...dbl(4, 604800),
      ...vint(5, 1),
      ...str(12, 'prod'),
      ...len(10, vint(1, 6)),
      ...len(10, vint(1, 2)),
    ];
    const wire = bytes(id(1, 'fw-9'), vint(2, 1), len(3, len(1, frameworkInfo)));
    expect(decodeCall(wire)).toEqual({
      framework_id: { value: 'fw-9' },
      type: 'SUBSCRIBE',
      subscribe: {
        framework_info: {
          user: 'root',
          name: 'borealis',
          id: { value: 'fw-9' },
          failover_timeout: 604800,
          checkpoint: true,
          roles: ['prod'],
          capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }],
        },
      },
    });
  });

  it('UPDATE event: status 1 with state 2, agent_id 5, source 9, reason 10, uuid 11, healthy 8', () => {
    const status = [
      ...id(1, 't1'),
      ...vint(2, 1),
      ...id(5, 'a1'),
      ...dbl(6, 1700000000.5),
      ...vint(8, 1),
      ...vint(9, 2),
      ...vint(10, 29),
      ...len(11, UUID),
    ];
    const wire = bytes(vint(1, 4), len(5, len(1, status)));
    const event: Event = {
      type: 'UPDATE',
      update: {
        status: {
          task_id: { value: 't1' },
          state: 'TASK_RUNNING',
          agent_id: { value: 'a1' },
          timestamp: 1700000000.5,
          healthy: true,
          source: 'SOURCE_EXECUTOR',
          reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
          uuid: UUID.toString('base64'),
        },
      },
    };
    expect(decodeEvent(wire)).toEqual(event);
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it('OFFERS event: offers 3, Offer resources 5 (scalar 3, ranges 4, allocation_info 11), attributes 7', () => {
    const cpus = [
      ...str(1, 'cpus'),
      ...vint(2, 0),
      ...len(3, dbl(1, 4)),
      ...str(6, '*'),
      ...len(11, str(1, 'prod')),
    ];
    const ports = [
      ...str(1, 'ports'),
      ...vint(2, 1),
      ...len(4, len(1, [...vint(1, 31000), ...vint(2, 32000)])),
    ];
    const rack = [...str(1, 'rack'), ...vint(2, 3), ...len(5, str(1, 'r1'))];
    const offer = [
      ...id(1, 'o1'),
      ...id(2, 'fw'),
      ...id(3, 'a1'),
      ...str(4, 'host-1'),
      ...len(5, cpus),
      ...len(5, ports),
      ...len(7, rack),
      ...len(10, str(1, 'prod')),
    ];
    const event = decodeEvent(bytes(vint(1, 2), len(3, len(1, offer))));
    expect(event.offers?.offers?.[0]).toMatchObject({
      id: { value: 'o1' },
      hostname: 'host-1',
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 4 }, role: '*', allocation_info: { role: 'prod' } },
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: '31000', end: '32000' }] } },
      ],
      attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }],
      allocation_info: { role: 'prod' },
    });
  });

  it('keeps every digit of an int64 (TimeInfo.nanoseconds)', () => {
    const nanos = 1_500_000_000_000_000_123n;
    const time = Uint8Array.from([...tag(1, 0), ...varint(nanos)]);
    expect(decodeMessage('mesos.v1.TimeInfo', time)).toEqual({ nanoseconds: '1500000000000000123' });
  });
});

describe('decoding what this subset does not know', () => {
  it('skips unknown fields and drops an unknown optional enum value (reads as unset, not a number)', () => {
    const wire = bytes(vint(1, 99), str(200, 'from a newer Mesos'));
    expect(decodeEvent(wire)).toEqual({});
    const master = [
      ...str(1, 'm'),
      ...vint(2, 1),
      ...vint(3, 5050),
      ...len(9, vint(1, 42)),
      ...len(9, vint(1, 1)),
    ];
    const subscribed = bytes(vint(1, 1), len(2, [...id(1, 'fw'), ...len(3, master)]));
    expect(decodeEvent(subscribed).subscribed?.master_info).toEqual({
      id: 'm',
      ip: 1,
      port: 5050,
      capabilities: [{}, { type: 'AGENT_UPDATE' }],
    });
  });

  it('rejects an unknown value of a required enum and a missing required field', () => {
    const badState = bytes(vint(1, 4), len(5, len(1, [...id(1, 't'), ...vint(2, 77)])));
    expect(() => decodeEvent(badState)).toThrow(MesosDecodeError);
    const noStatus = bytes(vint(1, 4), len(5, []));
    expect(() => decodeEvent(noStatus)).toThrow(
      /Failed to parse body into Event protobuf: missing required 'status'/,
    );
  });

  it('rejects bytes that are not a protobuf', () => {
    expect(() => decodeCall(Buffer.from('{"type":"SUBSCRIBE"}'))).toThrow(MesosDecodeError);
  });
});

describe('required fields', () => {
  it('names missing fields with protobuf paths', () => {
    const event = {
      type: 'OFFERS',
      offers: { offers: [{ id: { value: 'o' }, framework_id: { value: 'f' } }] },
    };
    expect(missingRequiredFields('Event', event)).toEqual([
      'offers.offers[0].agent_id',
      'offers.offers[0].hostname',
    ]);
    expect(missingRequiredFields('TaskInfo', { name: 'x', task_id: {} })).toEqual([
      'agent_id',
      'task_id.value',
    ]);
  });

  it('refuses to encode a Call Mesos would reject', () => {
    expect(() => encodeCall({ type: 'KILL', kill: {} as never })).toThrow(MissingRequiredFieldsError);
  });
});

describe("Mesos's JSON rules", () => {
  it('reads snake_case, ignores unknown keys and nulls', () => {
    const call = callFromJson(
      '{"type":"SUBSCRIBE","extra":{"x":1},"framework_id":null,' +
        '"subscribe":{"framework_info":{"user":"u","name":"n","roles":["a","b"],"failover_timeout":"Infinity"}}}',
    );
    expect(call).toEqual({
      type: 'SUBSCRIBE',
      subscribe: { framework_info: { user: 'u', name: 'n', roles: ['a', 'b'], failover_timeout: Infinity } },
    });
  });

  it('camelCase keys are unknown keys, so the required field is missing', () => {
    const err = catchJson(() =>
      callFromJson('{"type":"SUBSCRIBE","subscribe":{"frameworkInfo":{"user":"u","name":"n"}}}'),
    );
    expect(err.message).toBe('Missing required fields: subscribe.framework_info');
    expect(err.responseText('Call')).toBe(
      'Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info',
    );
  });

  it('rejects numeric enums and other wrong JSON kinds with stout wording', () => {
    expect(catchJson(() => callFromJson('{"type":1}')).message).toBe(
      "Not expecting a JSON number for field 'type'",
    );
    expect(catchJson(() => callFromJson('{"type":true}')).message).toBe(
      "Not expecting a JSON boolean for field 'type'",
    );
    expect(catchJson(() => callFromJson('{"framework_id":"abc"}')).message).toBe(
      "Not expecting a JSON string for field 'framework_id'",
    );
    expect(catchJson(() => callFromJson('{"type":["TEARDOWN"]}')).message).toBe(
      "Not expecting a JSON array for field 'type'",
    );
    expect(catchJson(() => callFromJson('[]')).message).toBe('Expecting a JSON object');
  });

  it('drops an unknown optional enum name, refuses an unknown required one', () => {
    expect(callFromJson('{"type":"NOT_A_CALL"}')).toEqual({});
    const status = '{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_NEW"}}}';
    expect(catchJson(() => eventFromJson(status)).message).toBe("Failed to find enum for 'TASK_NEW'");
  });

  it('accepts numbers as strings, a lone value for a repeated field, and checks base64', () => {
    expect(
      messageFromJsonText(
        'mesos.v1.Value',
        '{"type":"RANGES","ranges":{"range":{"begin":"31000","end":32000.0}}}',
      ),
    ).toEqual({ type: 'RANGES', ranges: { range: [{ begin: '31000', end: '32000' }] } });
    const ack = (uuid: string) =>
      `{"type":"ACKNOWLEDGE","acknowledge":{"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":"${uuid}"}}`;
    expect(callFromJson(ack(UUID.toString('base64'))).acknowledge?.uuid).toBe(UUID.toString('base64'));
    expect(catchJson(() => callFromJson(ack('not*base64'))).message).toBe(
      "Failed to base64 decode bytes field 'uuid': Invalid character '*'",
    );
  });

  it('keeps int64 digits both ways (JSON.parse would lose them)', () => {
    const text = '{"start":{"nanoseconds":1500000000000000123},"duration":{"nanoseconds":3600000000000}}';
    const value = messageFromJsonText('mesos.v1.Unavailability', text);
    expect(value).toEqual({
      start: { nanoseconds: '1500000000000000123' },
      duration: { nanoseconds: '3600000000000' },
    });
    expect(messageToJsonText('mesos.v1.Unavailability', value)).toBe(text);
  });

  it('reports text that is not JSON as a parse error', () => {
    const err = catchJson(() => callFromJson('{"type":'));
    expect(err.stage).toBe('parse');
    expect(err.responseText('Call')).toMatch(/^Failed to parse body into JSON: /);
  });

  it('writes fields in number order with string enums and base64 bytes', () => {
    const call: Call = {
      type: 'ACKNOWLEDGE',
      framework_id: { value: 'f' },
      acknowledge: { uuid: UUID.toString('base64'), task_id: { value: 't' }, agent_id: { value: 'a' } },
    };
    expect(callToJson(call)).toBe(
      `{"framework_id":{"value":"f"},"type":"ACKNOWLEDGE","acknowledge":{"agent_id":{"value":"a"},` +
        `"task_id":{"value":"t"},"uuid":"${UUID.toString('base64')}"}}`,
    );
  });

  it('a decoded event survives JSON and protobuf round trips unchanged', () => {
    const event: Event = {
      type: 'OFFERS',
      offers: {
        offers: [
          {
            id: { value: 'o1' },
            framework_id: { value: 'f' },
            agent_id: { value: 'a' },
            hostname: 'h',
            resources: [{ name: 'mem', type: 'SCALAR', scalar: { value: 1024.5 } }],
            unavailability: { start: { nanoseconds: '1700000000000000001' } },
          },
        ],
      },
    };
    expect(eventFromJson(eventToJson(event))).toEqual(event);
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });
});

function catchJson(f: () => unknown): MesosJsonError {
  try {
    f();
  } catch (e) {
    if (e instanceof MesosJsonError) return e;
    throw e;
  }
  throw new Error('expected a MesosJsonError');
}
