import { FNV_PRIME, FNV_START } from './byte-keys.js';

/** What the delay CDF needs to know of a state: the start of a wait, its end, or anything else. */
export const OTHER = 0;
/** PENDING or THROTTLED: a wait for a host (THROTTLED then PENDING is one wait). */
export const WAITING = 1;
export const ASSIGNED = 2;

export function stateKind(state: string): number {
  return state === 'PENDING' || state === 'THROTTLED' ? WAITING : state === 'ASSIGNED' ? ASSIGNED : OTHER;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const OPEN_T = ascii('{"t":');
const TASK = ascii(',"task":"');
const JOB = ascii('","job":"');
const INSTANCE = ascii('","instance":');
const STATE = ascii(',"state":"');
const PENDING = ascii('PENDING');
const THROTTLED = ascii('THROTTLED');
const ASSIGNED_BYTES = ascii('ASSIGNED');

/**
 * The leading fields of an events.jsonl line read straight from its bytes, in the order
 * taskEventLine (sim/src/output/event-lines.ts) writes them:
 * `{"t":<int>,"task":"…","job":"…","instance":<int>,"state":"…"` then optional host and reason,
 * which the scan does not need. parse() accepts only what it can decode exactly: a plain integer
 * time of at most 15 digits (exact as a double) and strings of ASCII without escapes (so their
 * bytes are their text). Anything else, such as escapes, non-ASCII ids or another key order,
 * returns false and the caller falls back to JSON.parse, so every valid line gets the same
 * values JSON.parse would give.
 */
export class EventHead {
  t = 0;
  taskStart = 0;
  taskEnd = 0;
  jobStart = 0;
  jobEnd = 0;
  /** FNV-1a of the task's and the job's bytes, for ByteKeys.idHashed. */
  taskHash = 0;
  jobHash = 0;
  /** OTHER, WAITING or ASSIGNED. */
  state = OTHER;

  parse(buf: Uint8Array, start: number, end: number): boolean {
    let i = expect(buf, start, end, OPEN_T);
    if (i < 0) return false;
    let t = 0;
    const digits = i;
    for (; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      t = t * 10 + d;
    }
    // No digits, more than a double holds exactly, or a leading zero (not JSON): leave it to JSON.parse.
    if (i === digits || i - digits > 15 || (buf[digits] === 48 && i - digits > 1)) return false;
    i = expect(buf, i, end, TASK);
    if (i < 0) return false;
    // The ids' bytes are hashed here, in the one pass that checks them (ByteKeys.idHashed).
    this.taskStart = i;
    let h = FNV_START;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === 34) break;
      if (c === 92 || c >= 128 || c < 32) return false;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    if (i >= end) return false;
    this.taskEnd = i;
    this.taskHash = h;
    i = expect(buf, i, end, JOB);
    if (i < 0) return false;
    this.jobStart = i;
    h = FNV_START;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === 34) break;
      if (c === 92 || c >= 128 || c < 32) return false;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    if (i >= end) return false;
    this.jobEnd = i;
    this.jobHash = h;
    i = expect(buf, i, end, INSTANCE);
    if (i < 0) return false;
    // The instance is not needed; skip its digits (JSON.parse would reject a malformed one, and
    // the writer only prints integers).
    while (i < end && buf[i]! >= 48 && buf[i]! <= 57) i++;
    i = expect(buf, i, end, STATE);
    if (i < 0) return false;
    const stateStart = i;
    i = plainString(buf, i, end);
    if (i < 0) return false;
    this.state =
      same(buf, stateStart, i, PENDING) || same(buf, stateStart, i, THROTTLED)
        ? WAITING
        : same(buf, stateStart, i, ASSIGNED_BYTES)
          ? ASSIGNED
          : OTHER;
    this.t = t;
    return true;
  }
}

/** Index after `bytes` if buf[i…] starts with them, else -1. */
function expect(buf: Uint8Array, i: number, end: number, bytes: Uint8Array): number {
  if (i + bytes.length > end) return -1;
  for (let k = 0; k < bytes.length; k++) if (buf[i + k] !== bytes[k]) return -1;
  return i + bytes.length;
}

/** Index of the closing quote of a string whose text starts at i, or -1 on an escape, non-ASCII or no quote. */
function plainString(buf: Uint8Array, i: number, end: number): number {
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c === 34) return i;
    if (c === 92 || c >= 128 || c < 32) return -1;
  }
  return -1;
}

function same(buf: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  if (end - start !== bytes.length) return false;
  for (let k = 0; k < bytes.length; k++) if (buf[start + k] !== bytes[k]) return false;
  return true;
}
