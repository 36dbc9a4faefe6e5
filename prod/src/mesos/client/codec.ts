import { callToJson, decodeEvent, encodeCall, eventFromJson } from '../messages.js';
import type { Call, Event } from '../scheduler-types.js';

/**
 * The body encoding of one client: protobuf by default (compact, no int64 or enum pitfalls), JSON
 * when asked (handy with curl-like debugging). The media types are exact strings: Mesos compares
 * Content-Type literally, so `application/json; charset=utf-8` would get 415.
 */
export type Encoding = 'protobuf' | 'json';

export interface Codec {
  readonly mediaType: 'application/x-protobuf' | 'application/json';
  encodeCall(call: Call): Uint8Array;
  decodeEvent(record: Uint8Array): Event;
}

const protobufCodec: Codec = {
  mediaType: 'application/x-protobuf',
  encodeCall,
  decodeEvent,
};

const jsonCodec: Codec = {
  mediaType: 'application/json',
  encodeCall: (call) => Buffer.from(callToJson(call), 'utf8'),
  decodeEvent: (record) =>
    eventFromJson(Buffer.from(record.buffer, record.byteOffset, record.length).toString('utf8')),
};

export function codecFor(encoding: Encoding): Codec {
  return encoding === 'json' ? jsonCodec : protobufCodec;
}
