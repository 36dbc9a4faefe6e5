import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/trace-text.js';
import { LineFile } from './line-file.js';

const LINES = ['short', 'ünïcødé ✓', 'x'.repeat(200), ...Array.from({ length: 50 }, (_, i) => `line ${i}`)];

describe('LineFile', () => {
  it('writes every line in order across buffer flushes, including non-ASCII and oversized lines', () => {
    const path = join(tempDir(), 'x.jsonl');
    const f = new LineFile(path, 64);
    for (const l of LINES) f.write(l);
    f.close();
    expect(readFileSync(path, 'utf8')).toBe(`${LINES.join('\n')}\n`);
    expect(f.lines).toBe(LINES.length);
  });

  it('reports a failed write, still closes the file, and closes it only once', () => {
    const f = new LineFile('/dev/full', 64);
    expect(() => {
      try {
        for (const l of LINES) f.write(l);
      } finally {
        f.close();
      }
    }).toThrow(/ENOSPC/);
    f.close();
  });
});
