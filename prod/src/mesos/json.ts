import protobuf from 'protobufjs';
import { JsonNumber, type JsonObject, JsonSyntaxError, type JsonValue, parseJsonText } from './json-text.js';

/**
 * Mesos's JSON encoding of its protobufs (stout's converter), both ways, on the object form of
 * mesos-types.ts. Reading follows stout exactly: snake_case keys, unknown keys ignored, null ignored,
 * enums only as strings (an unknown name is dropped for an optional field), bytes as base64, numbers
 * also accepted as strings ("Infinity" for doubles), a lone value accepted for a repeated field, and
 * the same error texts. Writing prints fields in number order, enums as names, bytes as base64 and
 * 64-bit integers as bare JSON numbers with all their digits, as Mesos does.
 */

type Obj = Record<string, unknown>;

/** Why a JSON body is not a valid message. `stage` tells which of Mesos's two prefixes applies. */
export class MesosJsonError extends Error {
  constructor(
    message: string,
    /** 'parse': not JSON at all; 'convert': JSON that is not a valid message. */
    readonly stage: 'parse' | 'convert',
  ) {
    super(message);
    this.name = 'MesosJsonError';
  }

  /** The body a Mesos master answers (with 400) for this error in a request of `messageName` (e.g. 'Call'). */
  responseText(messageName: string): string {
    return this.stage === 'parse'
      ? `Failed to parse body into JSON: ${this.message}`
      : `Failed to convert JSON into ${messageName} protobuf: ${this.message}`;
  }
}

const INT64 = new Set(['int64', 'sint64', 'sfixed64']);
const UINT64 = new Set(['uint64', 'fixed64']);
const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const BASE64_CHARS = /[A-Za-z0-9+/]/;

function convertError(message: string): MesosJsonError {
  return new MesosJsonError(message, 'convert');
}

function fieldOf(type: protobuf.Type, name: string): protobuf.Field | undefined {
  return Object.hasOwn(type.fields, name) ? type.fields[name] : undefined;
}

const byNumber = new Map<protobuf.Type, protobuf.Field[]>();
/** Fields in field-number order, the order protobuf's reflection lists them. */
function fieldsByNumber(type: protobuf.Type): protobuf.Field[] {
  let fields = byNumber.get(type);
  if (!fields) {
    fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
    for (const f of fields) f.resolve();
    byNumber.set(type, fields);
  }
  return fields;
}

// ---- JSON -> object form -------------------------------------------------------------------------

function decodeBase64(text: string, field: protobuf.Field): string {
  let clean = '';
  for (const c of text) {
    if (c === '=') break;
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\f' || c === '\v') continue;
    if (!BASE64_CHARS.test(c)) {
      throw convertError(`Failed to base64 decode bytes field '${field.name}': Invalid character '${c}'`);
    }
    clean += c;
  }
  return Buffer.from(clean, 'base64').toString('base64');
}

function integerFromText(raw: string, field: protobuf.Field): bigint {
  if (/^-?\d+$/.test(raw)) return BigInt(raw);
  const n = Math.trunc(Number(raw));
  if (!Number.isFinite(n)) throw convertError(`Value '${raw}' is out of range for field '${field.name}'`);
  return BigInt(n);
}

/** A JSON number (its literal text) as the field's type wants it; undefined if the field is not numeric. */
function fromNumberText(raw: string, field: protobuf.Field): number | string | undefined {
  const t = field.type;
  if (t === 'double') return Number(raw);
  if (t === 'float') return Math.fround(Number(raw));
  if (INT64.has(t)) return BigInt.asIntN(64, integerFromText(raw, field)).toString();
  if (UINT64.has(t)) return BigInt.asUintN(64, integerFromText(raw, field)).toString();
  if (INT32.has(t)) return Number(BigInt.asIntN(32, integerFromText(raw, field)));
  if (UINT32.has(t)) return Number(BigInt.asUintN(32, integerFromText(raw, field)));
  return undefined;
}

/** A JSON scalar for one (non-message) value of `field`; undefined means "drop it" (unknown enum name). */
function scalarFromJson(field: protobuf.Field, value: string | boolean | JsonNumber): unknown {
  const resolved = field.resolvedType;
  const isEnum = resolved instanceof protobuf.Enum;
  const isMessage = resolved instanceof protobuf.Type;
  const t = field.type;
  if (typeof value === 'boolean') {
    if (t === 'bool' && !isEnum && !isMessage) return value;
    throw convertError(`Not expecting a JSON boolean for field '${field.name}'`);
  }
  if (value instanceof JsonNumber) {
    const n = isEnum || isMessage ? undefined : fromNumberText(value.raw, field);
    if (n === undefined) throw convertError(`Not expecting a JSON number for field '${field.name}'`);
    return n;
  }
  if (isEnum) {
    if (Object.hasOwn(resolved.values, value)) return value;
    if (field.required) throw convertError(`Failed to find enum for '${value}'`);
    return undefined;
  }
  if (isMessage) throw convertError(`Not expecting a JSON string for field '${field.name}'`);
  switch (t) {
    case 'string':
      return value;
    case 'bytes':
      return decodeBase64(value, field);
    case 'bool':
      if (value === 'true' || value === 'false') return value === 'true';
      throw convertError(
        `Failed to parse '${value}' as a JSON boolean for field '${field.name}': not a JSON boolean`,
      );
  }
  if ((t === 'double' || t === 'float') && (value === 'Infinity' || value === '-Infinity')) {
    return value === 'Infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  const text = value.trim();
  if (!NUMBER_TEXT.test(text)) {
    throw convertError(
      `Failed to parse '${value}' as a JSON number for field '${field.name}': not a JSON number`,
    );
  }
  return fromNumberText(text, field);
}

function store(field: protobuf.Field, out: Obj, value: unknown): void {
  if (field.repeated) {
    const list = (out[field.name] as unknown[] | undefined) ?? [];
    list.push(value);
    out[field.name] = list;
  } else {
    out[field.name] = value;
  }
}

function applyJson(field: protobuf.Field, value: JsonValue, out: Obj): void {
  if (value === null) return;
  if (Array.isArray(value)) {
    if (!field.repeated && !field.map)
      throw convertError(`Not expecting a JSON array for field '${field.name}'`);
    for (const v of value) applyJson(field, v, out);
    return;
  }
  const resolved = field.resolvedType;
  if (value instanceof Map) {
    if (field.map) {
      const entries = (out[field.name] as Obj | undefined) ?? {};
      out[field.name] = entries;
      for (const [key, v] of value) {
        if (v === null) continue;
        entries[key] =
          resolved instanceof protobuf.Type ? messageFromJson(resolved, v, field) : scalarOf(field, v);
      }
      return;
    }
    if (!(resolved instanceof protobuf.Type)) {
      throw convertError(`Not expecting a JSON object for field '${field.name}'`);
    }
    if (field.repeated) {
      store(field, out, messageFromJson(resolved, value, field));
    } else {
      const existing = (out[field.name] as Obj | undefined) ?? {};
      readObject(resolved, value, existing);
      out[field.name] = existing;
    }
    return;
  }
  const scalar = scalarFromJson(field, value);
  if (scalar !== undefined) store(field, out, scalar);
}

function scalarOf(field: protobuf.Field, value: JsonValue): unknown {
  if (value instanceof Map) throw convertError(`Not expecting a JSON object for field '${field.name}'`);
  if (Array.isArray(value)) throw convertError(`Not expecting a JSON array for field '${field.name}'`);
  return value === null ? undefined : scalarFromJson(field, value);
}

function messageFromJson(type: protobuf.Type, value: JsonValue, field: protobuf.Field): Obj {
  if (!(value instanceof Map)) {
    const kind = Array.isArray(value)
      ? 'array'
      : value instanceof JsonNumber
        ? 'number'
        : typeof value === 'boolean'
          ? 'boolean'
          : 'string';
    throw convertError(`Not expecting a JSON ${kind} for field '${field.name}'`);
  }
  const out: Obj = {};
  readObject(type, value, out);
  return out;
}

function readObject(type: protobuf.Type, object: JsonObject, out: Obj): void {
  for (const [name, value] of object) {
    const field = fieldOf(type, name);
    if (field) applyJson(field.resolve(), value, out);
  }
}

/**
 * Converts a JSON text to the object form of `type` the way a Mesos master reads a request body;
 * throws MesosJsonError with Mesos's wording.
 */
export function objectFromJson(type: protobuf.Type, text: string): Obj {
  let value: JsonValue;
  try {
    value = parseJsonText(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new MesosJsonError(e.message, 'parse');
    throw e;
  }
  if (!(value instanceof Map)) throw convertError('Expecting a JSON object');
  const out: Obj = {};
  readObject(type, value, out);
  const missing = missingFields(type, out);
  if (missing.length > 0) throw convertError(`Missing required fields: ${missing.join(', ')}`);
  return out;
}

// ---- required fields --------------------------------------------------------------------------------

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function collectMissing(type: protobuf.Type, value: Obj, prefix: string, out: string[]): void {
  for (const field of type.fieldsArray) {
    if (field.required && !isSet(value[field.name])) out.push(prefix + field.name);
  }
  for (const field of fieldsByNumber(type)) {
    const sub = field.resolvedType;
    const v = value[field.name];
    if (!(sub instanceof protobuf.Type) || !isSet(v)) continue;
    if (field.map) {
      // protobuf sees a map as repeated entries {key, value}.
      Object.values(v as Obj).forEach((entry, i) => {
        if (isSet(entry)) collectMissing(sub, entry as Obj, `${prefix}${field.name}[${i}].value.`, out);
      });
    } else if (field.repeated) {
      (v as Obj[]).forEach((entry, i) => {
        if (isSet(entry)) collectMissing(sub, entry, `${prefix}${field.name}[${i}].`, out);
      });
    } else {
      collectMissing(sub, v as Obj, `${prefix}${field.name}.`, out);
    }
  }
}

/** The dotted paths of the required fields `value` lacks, as protobuf names them (`offers[0].id`). */
export function missingFields(type: protobuf.Type, value: object): string[] {
  const out: string[] = [];
  collectMissing(type, value as Obj, '', out);
  return out;
}

// ---- object form -> JSON ----------------------------------------------------------------------------

function scalarToJson(field: protobuf.Field, v: unknown): string | undefined {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageToJson(resolved, v as Obj);
  if (resolved instanceof protobuf.Enum) {
    const name = typeof v === 'number' ? resolved.valuesById[v] : (v as string);
    return name === undefined ? undefined : JSON.stringify(name);
  }
  const t = field.type;
  if (INT64.has(t) || UINT64.has(t)) {
    const s = String(v);
    return /^-?\d+$/.test(s) ? s : String(Math.trunc(Number(s)));
  }
  if (t === 'double' || t === 'float' || INT32.has(t) || UINT32.has(t)) {
    const n = Number(v);
    return Number.isFinite(n) ? String(n) : JSON.stringify(String(n));
  }
  if (t === 'bool') return v ? 'true' : 'false';
  if (t === 'bytes') {
    return JSON.stringify(typeof v === 'string' ? v : Buffer.from(v as Uint8Array).toString('base64'));
  }
  return JSON.stringify(String(v));
}

/** The JSON text Mesos would print for a message given in object form (unknown keys are left out). */
export function messageToJson(type: protobuf.Type, value: Obj): string {
  const parts: string[] = [];
  for (const field of fieldsByNumber(type)) {
    const v = value[field.name];
    if (!isSet(v)) continue;
    let text: string | undefined;
    if (field.map) {
      const entries = Object.entries(v as Obj).flatMap(([k, e]) => {
        const t = isSet(e) ? scalarToJson(field, e) : undefined;
        return t === undefined ? [] : [`${JSON.stringify(k)}:${t}`];
      });
      text = `{${entries.join(',')}}`;
    } else if (field.repeated) {
      const list = (v as unknown[]).flatMap((e) => {
        const t = isSet(e) ? scalarToJson(field, e) : undefined;
        return t === undefined ? [] : [t];
      });
      if (list.length === 0) continue;
      text = `[${list.join(',')}]`;
    } else {
      text = scalarToJson(field, v);
    }
    if (text !== undefined) parts.push(`${JSON.stringify(field.name)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
