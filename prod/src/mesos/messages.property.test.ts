import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Call,
  callFromJson,
  callToJson,
  decodeCall,
  decodeEvent,
  type Event,
  encodeCall,
  encodeEvent,
  eventFromJson,
  eventToJson,
  type Resource,
  type TaskStatus,
} from './messages.js';

// Arbitrary messages already in canonical object form (what a decode yields): no empty arrays,
// int64 as decimal strings, base64 bytes, finite doubles other than -0.
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
const idOf = fc.record({ value: text });
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String);
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String);
const base64 = fc.uint8Array({ minLength: 1, maxLength: 24 }).map((b) => Buffer.from(b).toString('base64'));

const resource: fc.Arbitrary<Resource> = fc.oneof(
  fc.record(
    {
      name: text,
      type: fc.constant('SCALAR' as const),
      scalar: fc.record({ value: double }),
      role: text,
      allocation_info: fc.record({ role: text }),
    },
    { requiredKeys: ['name', 'type', 'scalar'] },
  ),
  fc.record({
    name: fc.constant('ports'),
    type: fc.constant('RANGES' as const),
    ranges: fc.record({ range: fc.array(fc.record({ begin: uint64, end: uint64 }), { minLength: 1 }) }),
  }),
  fc.record({
    name: text,
    type: fc.constant('SET' as const),
    set: fc.record({ item: fc.array(text, { minLength: 1, maxLength: 3 }) }),
    reservations: fc.array(
      fc.record({ type: fc.constantFrom('STATIC' as const, 'DYNAMIC' as const), role: text }),
      {
        minLength: 1,
        maxLength: 2,
      },
    ),
  }),
);

const taskStatus: fc.Arbitrary<TaskStatus> = fc.record(
  {
    task_id: idOf,
    state: fc.constantFrom(
      'TASK_STAGING',
      'TASK_STARTING',
      'TASK_RUNNING',
      'TASK_FINISHED',
      'TASK_LOST',
    ) as fc.Arbitrary<TaskStatus['state']>,
    message: text,
    source: fc.constantFrom('SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR') as fc.Arbitrary<
      TaskStatus['source'] & string
    >,
    reason: fc.constantFrom(
      'REASON_RECONCILIATION',
      'REASON_AGENT_REMOVED',
      'REASON_COMMAND_EXECUTOR_FAILED',
    ) as fc.Arbitrary<TaskStatus['reason'] & string>,
    agent_id: idOf,
    executor_id: idOf,
    timestamp: double,
    uuid: base64,
    healthy: fc.boolean(),
    unreachable_time: fc.record({ nanoseconds: int64 }),
  },
  { requiredKeys: ['task_id', 'state'] },
);

const event: fc.Arbitrary<Event> = fc.oneof(
  taskStatus.map((status) => ({ type: 'UPDATE' as const, update: { status } })),
  fc
    .array(
      fc.record(
        {
          id: idOf,
          framework_id: idOf,
          agent_id: idOf,
          hostname: text,
          resources: fc.array(resource, { minLength: 1, maxLength: 4 }),
          attributes: fc.array(
            fc.record({ name: text, type: fc.constant('TEXT' as const), text: fc.record({ value: text }) }),
            { minLength: 1, maxLength: 2 },
          ),
          unavailability: fc.record({ start: fc.record({ nanoseconds: int64 }) }),
        },
        { requiredKeys: ['id', 'framework_id', 'agent_id', 'hostname'] },
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((offers) => ({ type: 'OFFERS' as const, offers: { offers } })),
  fc.record({ type: fc.constant('HEARTBEAT' as const) }),
  fc.record({ type: fc.constant('ERROR' as const), error: fc.record({ message: text }) }),
);

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({
    framework_id: idOf,
    type: fc.constant('ACCEPT' as const),
    accept: fc.record({
      offer_ids: fc.array(idOf, { minLength: 1, maxLength: 2 }),
      operations: fc.array(
        fc.record({
          type: fc.constant('LAUNCH' as const),
          launch: fc.record({
            task_infos: fc.array(
              fc.record(
                {
                  name: text,
                  task_id: idOf,
                  agent_id: idOf,
                  resources: fc.array(resource, { minLength: 1, maxLength: 3 }),
                  command: fc.record(
                    {
                      value: text,
                      shell: fc.boolean(),
                      arguments: fc.array(text, { minLength: 1, maxLength: 2 }),
                    },
                    { requiredKeys: [] },
                  ),
                  kill_policy: fc.record({ grace_period: fc.record({ nanoseconds: int64 }) }),
                  data: base64,
                },
                { requiredKeys: ['name', 'task_id', 'agent_id'] },
              ),
              { minLength: 1, maxLength: 2 },
            ),
          }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      filters: fc.record({ refuse_seconds: double }),
    }),
  }),
  fc.record({
    framework_id: idOf,
    type: fc.constant('ACKNOWLEDGE' as const),
    acknowledge: fc.record({ agent_id: idOf, task_id: idOf, uuid: base64 }),
  }),
  fc.record({
    framework_id: idOf,
    type: fc.constant('RECONCILE' as const),
    reconcile: fc.record({
      tasks: fc.array(fc.record({ task_id: idOf, agent_id: idOf }, { requiredKeys: ['task_id'] }), {
        minLength: 1,
      }),
    }),
  }),
  fc.record({
    framework_id: idOf,
    type: fc.constant('SUPPRESS' as const),
    suppress: fc.record({ roles: fc.array(text, { minLength: 1 }) }),
  }),
);

describe('round trips', () => {
  it('events: protobuf and JSON give back the same object', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(decodeEvent(encodeEvent(e))).toEqual(e);
        expect(eventFromJson(eventToJson(e))).toEqual(e);
      }),
    );
  });

  it('calls: protobuf and JSON give back the same object', () => {
    fc.assert(
      fc.property(call, (c) => {
        expect(decodeCall(encodeCall(c))).toEqual(c);
        expect(callFromJson(callToJson(c))).toEqual(c);
      }),
    );
  });
});
