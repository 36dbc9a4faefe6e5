import type protobuf from 'protobufjs';
import { MesosJsonError, messageToJson, missingFields, objectFromJson } from './json.js';
import { CallType, EventType, messageType } from './proto/schema.js';
import { pruneUnknownEnums } from './proto/unknown-enums.js';
import type { Call, Event } from './scheduler-types.js';

/**
 * The Mesos v1 scheduler messages on the wire: protobuf (what the client speaks by default) and
 * Mesos's JSON, both to and from the plain object form of scheduler-types.ts / mesos-types.ts.
 */

export type * from './mesos-types.js';
export type * from './scheduler-types.js';
export { MesosJsonError };

/** A protobuf body that is not a valid message of the expected type (bad bytes, missing required field). */
export class MesosDecodeError extends Error {
  constructor(typeName: string, cause: string) {
    super(`Failed to parse body into ${typeName} protobuf: ${cause}`);
    this.name = 'MesosDecodeError';
  }
}

/** A message object lacking required fields, caught before it is sent (a programmer error). */
export class MissingRequiredFieldsError extends Error {
  constructor(
    typeName: string,
    readonly fields: string[],
  ) {
    super(`${typeName} is missing required fields: ${fields.join(', ')}`);
    this.name = 'MissingRequiredFieldsError';
  }
}

const TO_OBJECT: protobuf.IConversionOptions = { enums: String, longs: String, bytes: String };

function shortName(type: protobuf.Type): string {
  return type.fullName.replace(/^\./, '');
}

/** Encodes any message of the subset by full name (e.g. 'mesos.v1.MasterInfo'); no required-field check. */
export function encodeMessage(typeName: string, value: object): Uint8Array {
  const type = messageType(typeName);
  return type.encode(type.fromObject(value)).finish();
}

/** Decodes any message of the subset by full name into its object form; throws MesosDecodeError. */
export function decodeMessage<T = Record<string, unknown>>(typeName: string, bytes: Uint8Array): T {
  return decodeWith(messageType(typeName), bytes) as T;
}

function decodeWith(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
    pruneUnknownEnums(type, message);
  } catch (e) {
    throw new MesosDecodeError(type.name, e instanceof Error ? e.message : String(e));
  }
  return type.toObject(message, TO_OBJECT);
}

/** Protobuf bytes of a Call; throws MissingRequiredFieldsError rather than send what Mesos rejects. */
export function encodeCall(call: Call): Uint8Array {
  const missing = missingFields(CallType, call);
  if (missing.length > 0) throw new MissingRequiredFieldsError(shortName(CallType), missing);
  return CallType.encode(CallType.fromObject(call)).finish();
}

export function decodeCall(bytes: Uint8Array): Call {
  return decodeWith(CallType, bytes) as Call;
}

/** Protobuf bytes of an Event. Not checked for required fields (hot path); see missingRequiredFields. */
export function encodeEvent(event: Event): Uint8Array {
  return EventType.encode(EventType.fromObject(event)).finish();
}

export function decodeEvent(bytes: Uint8Array): Event {
  return decodeWith(EventType, bytes) as Event;
}

export function callToJson(call: Call): string {
  return messageToJson(CallType, call as Record<string, unknown>);
}

/** Reads a JSON Call the way a master does; throws MesosJsonError (see its responseText). */
export function callFromJson(text: string): Call {
  return objectFromJson(CallType, text) as Call;
}

export function eventToJson(event: Event): string {
  return messageToJson(EventType, event as Record<string, unknown>);
}

export function eventFromJson(text: string): Event {
  return objectFromJson(EventType, text) as Event;
}

/** Any message of the subset to Mesos's JSON, by full name (e.g. 'mesos.v1.scheduler.Call'). */
export function messageToJsonText(typeName: string, value: object): string {
  return messageToJson(messageType(typeName), value as Record<string, unknown>);
}

/** Any message of the subset from Mesos's JSON, by full name (e.g. 'mesos.v1.MasterInfo'). */
export function messageFromJsonText<T = Record<string, unknown>>(typeName: string, text: string): T {
  return objectFromJson(messageType(typeName), text) as T;
}

/**
 * The required fields `value` lacks, as dotted paths the way protobuf names them
 * (e.g. `subscribe.framework_info`, `offers.offers[0].agent_id`). `typeName` is a full name such as
 * 'mesos.v1.scheduler.Call', or 'Call' / 'Event' / a mesos.v1 name such as 'TaskInfo'.
 */
export function missingRequiredFields(typeName: string, value: object): string[] {
  const full = typeName.includes('.')
    ? typeName
    : typeName === 'Call' || typeName === 'Event'
      ? `mesos.v1.scheduler.${typeName}`
      : `mesos.v1.${typeName}`;
  return missingFields(messageType(full), value);
}
