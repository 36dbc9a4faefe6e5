import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineColumn } from './json-syntax.js';

describe('findJsonSyntaxError', () => {
  it('accepts everything JSON.parse accepts', () => {
    for (const text of [
      '{}',
      '[]',
      '0',
      '-1.5e+3',
      '"a\\u00e9\\n"',
      ' {"a": [1, true, false, null, {"b": "c"}]} ',
      '\ufeff{}',
    ]) {
      expect(findJsonSyntaxError(text), text).toBeUndefined();
    }
  });

  it('locates errors JSON.parse reports without a position', () => {
    const cases: [string, number, string][] = [
      ['{"a": x}', 6, 'expected a value'],
      ['[1,]', 3, 'trailing comma before "]"'],
      ['{"a": 1,}', 8, 'trailing comma before "}"'],
      ['{"a": 1 "b": 2}', 8, 'expected "," or "}"'],
      ['{"a" 1}', 5, 'expected ":"'],
      ["{'a': 1}", 1, 'property name in double quotes'],
      ['{"a": "b\nc"}', 8, 'control character'],
      ['{"a": "b', 6, 'never closed'],
      ['[1, 2', 5, 'expected "," or "]"'],
      ['{} x', 3, 'after the end'],
      ['', 0, 'end of file'],
      ['{"a": tru}', 6, 'expected a value'],
      ['{"a": -}', 6, 'expected a value'],
    ];
    for (const [text, offset, message] of cases) {
      expect(() => JSON.parse(text), text).toThrow();
      const e = findJsonSyntaxError(text);
      expect(e?.offset, text).toBe(offset);
      expect(e?.message, text).toContain(message);
    }
  });

  it('converts offsets to 1-based lines and columns', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});
