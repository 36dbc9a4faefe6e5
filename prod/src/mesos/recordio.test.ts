import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRecord, RecordIODecoder, RecordIOError } from './recordio.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** Cuts `bytes` at the given positions (any order, duplicates allowed) into consecutive chunks. */
function cut(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks;
}

function decodeAll(chunks: Uint8Array[], decoder = new RecordIODecoder()): Buffer[] {
  const out = chunks.flatMap((c) => decoder.push(c)).map((r) => Buffer.from(r));
  decoder.end();
  return out;
}

describe('RecordIODecoder', () => {
  it('returns every record, whatever the chunking (split prefixes, several records per chunk)', () => {
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      // Multi-byte UTF-8 text: character counts differ from byte counts.
      fc.string({ unit: 'grapheme', maxLength: 60 }).map(utf8),
    );
    fc.assert(
      fc.property(
        fc.array(payload, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (records, cuts) => {
          const stream = Buffer.concat(records.map(encodeRecord));
          const chunks = cut(stream, cuts);
          expect(decodeAll(chunks)).toEqual(records);
        },
      ),
    );
  });

  it('decodes a stream fed one byte at a time', () => {
    const records = [utf8('{"type":"HEARTBEAT"}'), utf8('ünïcödé ✓ 🚀'), Buffer.alloc(1234, 7)];
    const stream = Buffer.concat(records.map(encodeRecord));
    const chunks = [...stream].map((b) => Uint8Array.of(b));
    expect(decodeAll(chunks)).toEqual(records);
  });

  it('counts the length in bytes, not characters', () => {
    const text = 'é✓🚀'; // 2 + 3 + 4 bytes, 4 UTF-16 units
    expect(encodeRecord(utf8(text)).toString('latin1').startsWith('9\n')).toBe(true);
    expect(decodeAll([Buffer.from('9\n'), utf8(text).subarray(0, 4), utf8(text).subarray(4)])).toEqual([
      utf8(text),
    ]);
  });

  it('keeps a length prefix split across chunks', () => {
    const payload = Buffer.alloc(123, 1);
    const decoder = new RecordIODecoder();
    expect(decoder.push(Buffer.from('1'))).toEqual([]);
    expect(decoder.push(Buffer.from('2'))).toEqual([]);
    expect(decoder.atRecordBoundary).toBe(false);
    const out = decoder.push(Buffer.concat([Buffer.from('3\n'), payload, Buffer.from('2\nok')]));
    expect(out.map((r) => Buffer.from(r))).toEqual([payload, Buffer.from('ok')]);
    expect(decoder.atRecordBoundary).toBe(true);
  });

  it('returns an empty record for a zero length', () => {
    expect(decodeAll([Buffer.from('0\n2\nhi0\n')])).toEqual([
      Buffer.alloc(0),
      Buffer.from('hi'),
      Buffer.alloc(0),
    ]);
  });

  it('rejects a length prefix that is not decimal digits, naming the byte offset', () => {
    const decoder = new RecordIODecoder();
    decoder.push(Buffer.from('2\nok'));
    expect(() => decoder.push(Buffer.from('1x\n'))).toThrow(
      new RecordIOError('Malformed RecordIO: byte 0x78 in a length prefix at byte 5'),
    );
  });

  it('rejects an empty length prefix and a newline-split stream', () => {
    expect(() => new RecordIODecoder().push(Buffer.from('\n{}'))).toThrow(/empty length prefix at byte 0/);
    // A reader that assumed "one JSON object per line" would accept this; RecordIO does not.
    expect(() => new RecordIODecoder().push(Buffer.from('{"type":"HEARTBEAT"}\n'))).toThrow(RecordIOError);
  });

  it('rejects a record above the size limit before buffering it', () => {
    const decoder = new RecordIODecoder(1000);
    expect(() => decoder.push(Buffer.from('1001\n'))).toThrow(/larger than the limit of 1000 bytes/);
    expect(() => new RecordIODecoder().push(Buffer.from('99999999999999999999\n'))).toThrow(
      /larger than the limit/,
    );
  });

  it('reports a stream that ends inside a record', () => {
    const decoder = new RecordIODecoder();
    decoder.push(Buffer.from('5\nabc'));
    expect(() => decoder.end()).toThrow(/ended inside a record after 5 bytes/);
  });
});
