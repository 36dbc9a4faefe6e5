import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/trace-text.js';
import { LineFile } from './line-file.js';

const LINES = ['short', 'ünïcødé ✓', 'x'.repeat(200), ...Array.from({ length: 50 }, (_, i) => `line ${i}`)];

function written(lines: readonly string[], bufferBytes: number, background: boolean): string {
  const path = join(tempDir(), 'x.jsonl');
  const f = new LineFile(path, bufferBytes, { background });
  for (const l of lines) f.write(l);
  f.close();
  expect(f.lines).toBe(lines.length);
  return readFileSync(path, 'utf8');
}

describe('LineFile', () => {
  it('writes every line in order across buffer flushes, including non-ASCII and oversized lines', () => {
    expect(written(LINES, 64, false)).toBe(`${LINES.join('\n')}\n`);
  });

  it('writes the same bytes through its writer thread, whatever the lines and the buffer size', () => {
    expect(written(LINES, 64, true)).toBe(`${LINES.join('\n')}\n`);
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 80 }), { maxLength: 300 }),
        fc.integer({ min: 16, max: 512 }),
        (lines, bytes) => {
          expect(written(lines, bytes, true)).toBe(written(lines, bytes, false));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('reports a failed write at the latest when closed, and still closes the file', () => {
    for (const background of [false, true]) {
      const f = new LineFile('/dev/full', 64, { background });
      expect(() => {
        try {
          for (const l of LINES) f.write(l);
        } finally {
          f.close();
        }
      }).toThrow(/ENOSPC/);
      // Closing again is a no-op: it neither hangs on the writer thread nor closes a reused descriptor.
      f.close();
    }
  });
});
