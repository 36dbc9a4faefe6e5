import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

function split(chunks: readonly string[]): string[] {
  const s = new LineSplitter();
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
}

/** What node:readline makes of the same chunks, with the options the reader used to pass. */
async function readline(chunks: readonly string[]): Promise<string[]> {
  const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Number.POSITIVE_INFINITY });
  const out: string[] = [];
  for await (const line of rl) out.push(line);
  return out;
}

describe('LineSplitter', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r, keeps empty lines and an unterminated last line', () => {
    expect(split(['a\nb\r\nc\rd\n\ne'])).toEqual(['a', 'b', 'c', 'd', '', 'e']);
    expect(split(['x\n'])).toEqual(['x']);
    expect(split([''])).toEqual([]);
  });

  it('joins lines across chunks and counts a \\r\\n split between chunks once', () => {
    expect(split(['{"a":', '1}\n{"b"', ':2}\r', '\n{"c":3}'])).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(split(['a\r', 'b\r', '\r\n'])).toEqual(['a', 'b', '']);
  });

  it('splits any text in any chunking exactly as node:readline does', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', ' ', '\n', '\r'), maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(fc.array(text, { maxLength: 6 }), async (chunks) => {
        expect(split(chunks)).toEqual(await readline(chunks.filter((c) => c.length > 0)));
      }),
      { numRuns: 300 },
    );
  });
});
