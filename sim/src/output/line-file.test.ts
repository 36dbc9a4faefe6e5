import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/trace-text.js';
import { LineFile } from './line-file.js';

describe('LineFile', () => {
  it('writes every line in order across buffer flushes, including non-ASCII and oversized lines', () => {
    const path = join(tempDir(), 'x.jsonl');
    const f = new LineFile(path, 64);
    const lines = [
      'short',
      'ünïcødé ✓',
      'x'.repeat(200),
      ...Array.from({ length: 50 }, (_, i) => `line ${i}`),
    ];
    for (const l of lines) f.write(l);
    f.close();
    expect(readFileSync(path, 'utf8')).toBe(`${lines.join('\n')}\n`);
    expect(f.lines).toBe(lines.length);
  });
});
