import { Worker } from 'node:worker_threads';

/** Chunks in the ring: the simulation fills one while the writer thread drains the others. */
const CHUNKS = 4;
// Control words (Int32Array over a SharedArrayBuffer).
const SUBMITTED = 0;
const DONE = 1;
const ERROR_BYTES = 2;
const LENGTHS = 3;
/** A submitted length that tells the writer thread to stop. */
const STOP = -1;
const ERROR_TEXT_BYTES = 1024;

/**
 * What the writer thread does with a chunk by default: writes its bytes to the file. A consumer
 * is the source of two functions run in the thread, `consume(bytes, length)` for each chunk in
 * order and `finish()` once at the end, with `fd` and `writeAll(bytes)` in scope.
 */
export const WRITE_BYTES = `
function consume(bytes, length) { writeAll(bytes.subarray(0, length)); }
function finish() {}
`;

/**
 * The writer thread: hands each submitted chunk to the consumer, in order, and the chunk back.
 * Plain CommonJS run with `eval`, so it needs no TypeScript loader in any host (the CLI under tsx,
 * vitest, bench). After a failure it records the message and skips the rest: the simulation
 * reports the error at its next flush.
 */
const writerSource = (consumer: string): string => `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { fd, control, chunks, errorText } = workerData;
const ctrl = new Int32Array(control);
const views = chunks.map((c) => new Uint8Array(c));
const err = new Uint8Array(errorText);
function writeAll(bytes) {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}
${consumer}
function fail(e) {
  if (Atomics.load(ctrl, ${ERROR_BYTES}) !== 0) return;
  const text = new TextEncoder().encode(String(e && e.message ? e.message : e)).subarray(0, ${ERROR_TEXT_BYTES});
  err.set(text);
  Atomics.store(ctrl, ${ERROR_BYTES}, Math.max(1, text.length));
}
let done = 0;
for (;;) {
  if (Atomics.load(ctrl, ${SUBMITTED}) === done) {
    Atomics.wait(ctrl, ${SUBMITTED}, done);
    continue;
  }
  const k = done % ${CHUNKS};
  const length = ctrl[${LENGTHS} + k];
  if (length === ${STOP}) break;
  if (Atomics.load(ctrl, ${ERROR_BYTES}) === 0) {
    try {
      consume(views[k], length);
    } catch (e) {
      fail(e);
    }
  }
  done++;
  Atomics.store(ctrl, ${DONE}, done);
  Atomics.notify(ctrl, ${DONE});
}
if (Atomics.load(ctrl, ${ERROR_BYTES}) === 0) {
  try {
    finish();
  } catch (e) {
    fail(e);
  }
}
Atomics.store(ctrl, ${DONE}, done + 1);
Atomics.notify(ctrl, ${DONE});
`;

/**
 * Writes a file through a thread of its own: the caller fills fixed-size chunks (shared memory,
 * so nothing is copied between threads) and submits each full one; the writer thread makes the
 * system calls. events.jsonl is ~650 MB for a 10,000-host day, and writeSync of it on the
 * simulation's thread cost ~0.4-0.5 µs per line (2-2.5 s a day) while the second core sat idle.
 *
 * Order and content are exactly what synchronous writes would give: chunks are written in the
 * order submitted. `close()` waits until every chunk is on disk, so a run that ends (or fails)
 * and closes its files leaves them complete. The caller blocks (Atomics.wait) only when all
 * chunks are queued, i.e. when the disk is slower than the simulation.
 */
export class BackgroundWriter {
  private readonly control = new Int32Array(new SharedArrayBuffer((LENGTHS + CHUNKS) * 4));
  private readonly errorText = new SharedArrayBuffer(ERROR_TEXT_BYTES);
  private readonly chunks: Buffer[] = [];
  private readonly worker: Worker;
  private submitted = 0;
  private stopped = false;

  constructor(
    readonly fd: number,
    chunkBytes: number,
    /** Named in error messages. */
    private readonly path: string,
    /** What the thread does with each chunk (see WRITE_BYTES); extra data for it goes in `workerData.extra`. */
    consumer: string = WRITE_BYTES,
    extra?: unknown,
  ) {
    const shared: SharedArrayBuffer[] = [];
    for (let k = 0; k < CHUNKS; k++) {
      const sab = new SharedArrayBuffer(chunkBytes);
      shared.push(sab);
      this.chunks.push(Buffer.from(sab));
    }
    this.worker = new Worker(writerSource(consumer), {
      eval: true,
      workerData: { fd, control: this.control.buffer, chunks: shared, errorText: this.errorText, extra },
    });
    // The thread never keeps the process alive: close() is what waits for it.
    this.worker.unref();
  }

  /** The chunk to fill next (waits until the writer thread has handed it back). */
  next(): Buffer {
    this.waitUntil(this.submitted - CHUNKS + 1);
    this.throwIfFailed();
    return this.chunks[this.submitted % CHUNKS]!;
  }

  /** Queues the first `length` bytes of the chunk last returned by next(). */
  submit(length: number): void {
    this.control[LENGTHS + (this.submitted % CHUNKS)] = length;
    this.submitted++;
    Atomics.store(this.control, SUBMITTED, this.submitted);
    Atomics.notify(this.control, SUBMITTED);
  }

  /** Waits until everything submitted is consumed; throws if that failed. */
  drain(): void {
    this.waitUntil(this.submitted);
    this.throwIfFailed();
  }

  /** Drains, lets the consumer finish and stops the writer thread (the caller closes the file descriptor). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.waitUntil(this.submitted - CHUNKS + 1);
    this.submit(STOP);
    this.waitUntil(this.submitted);
    this.throwIfFailed();
  }

  private waitUntil(done: number): void {
    for (;;) {
      const d = Atomics.load(this.control, DONE);
      if (d >= done) return;
      Atomics.wait(this.control, DONE, d);
    }
  }

  private throwIfFailed(): void {
    const n = Atomics.load(this.control, ERROR_BYTES);
    if (n === 0) return;
    const message = Buffer.from(this.errorText, 0, n).toString('utf8');
    throw new Error(`writing ${this.path} failed: ${message}`);
  }
}
