import { closeSync, openSync } from 'node:fs';
import { TASK_STATES, type TaskEvent } from '@borealis/core';
import { BackgroundWriter } from './background-writer.js';
import { taskEventLine } from './event-lines.js';

// Record flags (bits 8 and up of a record's first word; bits 0-7 are the state's index in TASK_STATES).
/** The task id and job follow as strings. */
const F_STRINGS = 1;
/** ...and are the slot's from now on: later records of the task carry only the slot. */
const F_KEEP = 2;
/** The event has a host (word 2: its number). */
const F_HOST = 4;
/** First event on that host: its name follows. */
const F_NEW_HOST = 8;
/** A reason follows. */
const F_REASON = 16;
/** Not an event: a piece of text to copy as it is (a line too large for a record, built here). */
const F_RAW = 32;
/** Words before a record's strings: flags+state, slot, host, unused, time (f64), instance (f64). */
const HEAD_WORDS = 8;

const STATE_CODE = new Map<string, number>(TASK_STATES.map((s, i) => [s, i]));

/**
 * The writer thread's side (see BackgroundWriter): decodes the records of a chunk and writes the
 * events.jsonl lines, exactly taskEventLine's text (JSON.stringify for strings, numbers as
 * template literals print them), through an output buffer of its own.
 */
const CONSUMER = `
const STATES = workerData.extra.states;
const tasks = [];
const jobs = [];
const hosts = [];
let lastJob;
let lastJobJson;
const out = Buffer.allocUnsafe(4 << 20);
let off = 0;
function emit(text) {
  if (off + text.length * 3 > out.length) {
    writeAll(out.subarray(0, off));
    off = 0;
    if (text.length * 3 > out.length) {
      writeAll(Buffer.from(text, 'utf8'));
      return;
    }
  }
  off += out.write(text, off, 'utf8');
}
function text(u16, at, n) {
  let s = '';
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode.apply(null, u16.subarray(at + i, at + Math.min(n, i + 8192)));
  return s;
}
function consume(bytes, length) {
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, length >> 2);
  const f64 = new Float64Array(bytes.buffer, bytes.byteOffset, length >> 3);
  const u16 = new Uint16Array(bytes.buffer, bytes.byteOffset, length >> 1);
  const n = length >> 2;
  let p = 0;
  const next = () => {
    const len = words[p];
    const s = text(u16, (p + 1) * 2, len);
    p += 1 + ((len + 1) >> 1);
    return s;
  };
  while (p < n) {
    const head = words[p];
    const flags = head >>> 8;
    if (flags & ${F_RAW}) {
      p++;
      emit(next());
      p = (p + 1) & ~1;
      continue;
    }
    const slot = words[p + 1];
    const hostId = words[p + 2];
    const time = f64[(p + 4) >> 1];
    const instance = f64[(p + 6) >> 1];
    p += ${HEAD_WORDS};
    let task;
    let job;
    if (flags & ${F_STRINGS}) {
      task = JSON.stringify(next());
      // Consecutive new tasks are mostly instances of one job: they share its JSON text.
      const jobText = next();
      if (jobText !== lastJob) {
        lastJob = jobText;
        lastJobJson = JSON.stringify(jobText);
      }
      job = lastJobJson;
      if (flags & ${F_KEEP}) {
        tasks[slot] = task;
        jobs[slot] = job;
      }
    } else {
      task = tasks[slot];
      job = jobs[slot];
    }
    if (flags & ${F_NEW_HOST}) hosts[hostId] = JSON.stringify(next());
    let line = '{"t":' + time + ',"task":' + task + ',"job":' + job + ',"instance":' + instance + ',"state":"' + STATES[head & 255] + '"';
    if (flags & ${F_HOST}) line += ',"host":' + hosts[hostId];
    if (flags & ${F_REASON}) line += ',"reason":' + JSON.stringify(next());
    emit(line + '}\\n');
    p = (p + 1) & ~1;
  }
}
function finish() {
  writeAll(out.subarray(0, off));
  off = 0;
}
`;

/**
 * events.jsonl, formatted and written by a thread of its own. The simulation thread only copies
 * each event into shared memory as numbers: a task's id and job go across once, with its first
 * event, and afterwards it is known by its TaskTracker slot; a host by a number given on its first
 * event. Building the lines here cost ~350 ns an event (~5M events in a 10k-host day), most of
 * it copying the same task id, job and host strings again for every event of a task.
 *
 * The file holds exactly the bytes of taskEventLine for each event, in order; close() waits until
 * they are all written (and reports a failed write), so a run that ends or fails leaves it whole.
 */
export class EventLog {
  private readonly fd: number;
  private readonly writer: BackgroundWriter;
  private words!: Int32Array;
  private f64!: Float64Array;
  private u16!: Uint16Array;
  /** Next free word of the current chunk, always even (8-byte aligned for the f64 fields). */
  private p = 0;
  private readonly capacity: number;
  private readonly hostIds = new Map<string, number>();
  /** 1 when the writer thread holds the strings of the task now in that tracker slot. */
  private known = new Uint8Array(1024);
  private closed = false;
  lines = 0;

  constructor(path: string, chunkBytes = 4 << 20) {
    this.fd = openSync(path, 'w');
    this.capacity = (chunkBytes >> 3) << 1;
    this.writer = new BackgroundWriter(this.fd, this.capacity * 4, path, CONSUMER, { states: TASK_STATES });
    this.take(this.writer.next());
  }

  /**
   * Appends the event. `slot` is the TaskTracker's slot of the task (-1: not tracked), `fresh`
   * whether the tracker gave the slot to this task for this event. A task's job never changes
   * (it is part of the task's identity), so it is sent with the id only.
   */
  write(e: TaskEvent, slot: number, fresh: boolean): void {
    this.lines++;
    const state = STATE_CODE.get(e.state);
    const host = e.host;
    const reason = e.reason;
    if (slot >= this.known.length) this.growKnown(slot);
    const strings = slot < 0 || fresh || this.known[slot] !== 1;
    let hostId = host === undefined ? -1 : (this.hostIds.get(host) ?? -1);
    const newHost = host !== undefined && hostId < 0;
    // Each string takes its length word and its UTF-16 units two to a word; +1 for alignment.
    let need = HEAD_WORDS + 1;
    if (strings) need += 4 + ((e.taskId.length + e.job.length) >> 1);
    if (newHost) need += 2 + (host.length >> 1);
    if (reason !== undefined) need += 2 + (reason.length >> 1);
    if (state === undefined || need > this.capacity) {
      this.raw(taskEventLine(e), slot, fresh);
      return;
    }
    if (this.p + need > this.capacity) this.flush();
    if (newHost) {
      hostId = this.hostIds.size;
      this.hostIds.set(host, hostId);
    }
    const keep = strings && slot >= 0;
    if (keep) this.known[slot] = 1;
    const flags =
      (strings ? F_STRINGS : 0) |
      (keep ? F_KEEP : 0) |
      (host !== undefined ? F_HOST : 0) |
      (newHost ? F_NEW_HOST : 0) |
      (reason !== undefined ? F_REASON : 0);
    const w = this.words;
    let p = this.p;
    w[p] = state | (flags << 8);
    w[p + 1] = slot;
    w[p + 2] = hostId;
    this.f64[(p + 4) >> 1] = e.time;
    this.f64[(p + 6) >> 1] = e.instance;
    p += HEAD_WORDS;
    if (strings) {
      p = this.string(p, e.taskId);
      p = this.string(p, e.job);
    }
    if (newHost) p = this.string(p, host);
    if (reason !== undefined) p = this.string(p, reason);
    this.p = (p + 1) & ~1;
  }

  /** Hands the current chunk to the writer thread. */
  flush(): void {
    if (this.p === 0) return;
    this.writer.submit(this.p * 4);
    this.take(this.writer.next());
  }

  /** Writes everything, waits until it is on disk and closes the file (once). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
      this.writer.stop();
    } finally {
      closeSync(this.fd);
    }
  }

  private string(p: number, s: string): number {
    this.words[p] = s.length;
    const u = this.u16;
    const at = (p + 1) * 2;
    for (let i = 0; i < s.length; i++) u[at + i] = s.charCodeAt(i);
    return p + 1 + ((s.length + 1) >> 1);
  }

  /** A line built here (an unknown state, or too large for a chunk), sent as text in pieces. */
  private raw(line: string, slot: number, fresh: boolean): void {
    // The writer thread did not get this task's strings: its next record must carry them.
    if (slot >= 0 && fresh) this.known[slot] = 0;
    const text = `${line}\n`;
    const piece = (this.capacity - 8) * 2;
    for (let from = 0; from < text.length; ) {
      let to = Math.min(text.length, from + piece);
      // Each piece is encoded on its own: never split a surrogate pair.
      const last = text.charCodeAt(to - 1);
      if (to < text.length && last >= 0xd800 && last <= 0xdbff) to--;
      const part = text.slice(from, to);
      from = to;
      const need = 2 + ((part.length + 1) >> 1) + 1;
      if (this.p + need > this.capacity) this.flush();
      this.words[this.p] = F_RAW << 8;
      this.p = (this.string(this.p + 1, part) + 1) & ~1;
    }
  }

  private take(chunk: Buffer): void {
    this.words = new Int32Array(chunk.buffer, chunk.byteOffset, this.capacity);
    this.f64 = new Float64Array(chunk.buffer, chunk.byteOffset, this.capacity >> 1);
    this.u16 = new Uint16Array(chunk.buffer, chunk.byteOffset, this.capacity * 2);
    this.p = 0;
  }

  private growKnown(slot: number): void {
    let n = this.known.length;
    while (n <= slot) n *= 2;
    const known = new Uint8Array(n);
    known.set(this.known);
    this.known = known;
  }
}
