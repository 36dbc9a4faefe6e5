import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteKeys } from './byte-keys.js';
import { ASSIGNED, EventHead, OTHER, stateKind, WAITING } from './event-head.js';
import { LineReader } from './line-reader.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Keys as JSON.stringify writes them: ASCII, escapes, non-ASCII. */
const keyArb = fc.oneof(
  fc.stringMatching(/^[a-z0-9/-]{0,12}$/),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('a"b', 'é', 'x\\y', '\n', 'ab\u2028', '\ud800'),
);

describe('ByteKeys', () => {
  it('gives the same dense first-seen ids as a Map, whether keys come as bytes or strings', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, fc.boolean()), { maxLength: 3000 }), (keys) => {
        const k = new ByteKeys();
        const ref = new Map<string, number>();
        for (const [key, asBytes] of keys) {
          if (!ref.has(key)) ref.set(key, ref.size);
          const ascii = [...key].every((c) => c.charCodeAt(0) < 128);
          const id =
            asBytes && ascii ? k.id(Buffer.from(` ${key}!`, 'latin1'), 1, 1 + key.length) : k.idOfString(key);
          expect(id).toBe(ref.get(key));
          expect(k.key(id)).toBe(key);
          if (ascii) {
            const b = Buffer.from(key, 'latin1');
            expect(k.is(id, b, 0, b.length)).toBe(true);
            if (id > 0) expect(k.is(id - 1, b, 0, b.length)).toBe(false);
          }
        }
        expect(k.size).toBe(ref.size);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps ids through many rehashes', () => {
    const k = new ByteKeys();
    for (let i = 0; i < 30_000; i++) expect(k.idOfString(`task-${i}`)).toBe(i);
    for (let i = 0; i < 30_000; i += 997) expect(k.idOfString(`task-${i}`)).toBe(i);
  });
});

describe('LineReader', () => {
  it('hands out the lines readline would, across chunk boundaries, CRLF and long lines', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', '\r', 'é€😀'.repeat(30))), {
          maxLength: 40,
        }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        async (raw, eol, finalEol, chunk) => {
          const lines = raw.map((l) => l.replace(/[\r\n]/g, ''));
          const text = lines.join(eol) + (finalEol && lines.length > 0 ? eol : '');
          const path = join(dir, `lines-${n++}.txt`);
          await writeFile(path, text);
          const got: string[] = [];
          const r = await LineReader.open(path, chunk);
          while (await r.fill()) while (r.next()) got.push(r.buf.toString('utf8', r.start, r.end));
          // A file "a\n" has one line; "" has none; "a\n\n" has "a" and "".
          const want = text === '' ? [] : text.split(/\r?\n/);
          if (text.endsWith('\n')) want.pop();
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** The line the simulator writes (sim/src/output/event-lines.ts taskEventLine). */
function writerLine(e: {
  t: number;
  task: string;
  job: string;
  instance: number;
  state: string;
  host?: string;
  reason?: string;
}): string {
  let s = `{"t":${e.t},"task":${JSON.stringify(e.task)},"job":${JSON.stringify(e.job)},"instance":${e.instance},"state":"${e.state}"`;
  if (e.host !== undefined) s += `,"host":${JSON.stringify(e.host)}`;
  if (e.reason !== undefined) s += `,"reason":${JSON.stringify(e.reason)}`;
  return `${s}}`;
}

describe('EventHead', () => {
  const states = ['INIT', 'PENDING', 'THROTTLED', 'ASSIGNED', 'RUNNING', 'KILLED', 'LOST'];
  it('reads what JSON.parse reads from every writer line it accepts, and accepts plain ones', () => {
    fc.assert(
      fc.property(
        fc.record({
          t: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e20, noNaN: true }), fc.constant(1e21)),
          task: keyArb,
          job: keyArb,
          instance: fc.nat(),
          state: fc.constantFrom(...states),
          host: fc.option(keyArb, { nil: undefined }),
          reason: fc.option(fc.string(), { nil: undefined }),
        }),
        (e) => {
          const line = writerLine(e);
          const bytes = Buffer.from(`xx${line}yy`, 'utf8');
          const end = bytes.length - 2;
          const h = new EventHead();
          const ok = h.parse(bytes, 2, end);
          const parsed = JSON.parse(line) as typeof e;
          const plain = (s: string): boolean => /^[ -~]*$/.test(s) && !/["\\]/.test(s);
          if (Number.isInteger(e.t) && e.t < 1e15 && plain(e.task) && plain(e.job)) expect(ok).toBe(true);
          if (!ok) return;
          expect(h.t).toBe(parsed.t);
          expect(bytes.toString('latin1', h.taskStart, h.taskEnd)).toBe(parsed.task);
          expect(bytes.toString('latin1', h.jobStart, h.jobEnd)).toBe(parsed.job);
          expect(h.state).toBe(stateKind(parsed.state));
          // The hashes parse() computes find the same ids as hashing the bytes again.
          const k = new ByteKeys();
          const id = k.idHashed(bytes, h.taskStart, h.taskEnd, h.taskHash);
          expect(k.id(bytes, h.taskStart, h.taskEnd)).toBe(id);
          expect(k.idHashed(bytes, h.jobStart, h.jobEnd, h.jobHash)).toBe(k.id(bytes, h.jobStart, h.jobEnd));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves other key orders and malformed heads to JSON.parse', () => {
    const h = new EventHead();
    for (const line of [
      '{"task":"a","t":1,"job":"j","instance":0,"state":"PENDING"}',
      '{"t":01,"task":"a","job":"j","instance":0,"state":"PENDING"}',
      '{"t":-1,"task":"a","job":"j","instance":0,"state":"PENDING"}',
      '{"t":1,"task":"a","job":"j","instance":0,"state":"PEN',
      '{"t":1,"task":"a\\"","job":"j","instance":0,"state":"PENDING"}',
      '{ "t":1,"task":"a","job":"j","instance":0,"state":"PENDING"}',
    ]) {
      const b = Buffer.from(line);
      expect(h.parse(b, 0, b.length)).toBe(false);
    }
  });

  it('classifies states', () => {
    expect([
      stateKind('PENDING'),
      stateKind('THROTTLED'),
      stateKind('ASSIGNED'),
      stateKind('RUNNING'),
    ]).toEqual([WAITING, WAITING, ASSIGNED, OTHER]);
  });
});
