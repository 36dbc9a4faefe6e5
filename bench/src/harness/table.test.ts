import { describe, expect, it } from 'vitest';
import { formatFigure, formatTable, toRows } from './table.js';

describe('toRows', () => {
  it('makes one row per case when every value is a record', () => {
    const rows = toRows({ insert: { opsPerSec: 1234567.8, p99Ns: 812.25 }, lookup: { opsPerSec: 9 } });
    expect(rows).toEqual([
      { name: 'insert', opsPerSec: '1,234,568', p99Ns: '812.3' },
      { name: 'lookup', opsPerSec: '9' },
    ]);
  });

  it('lists a mixed record as figure/value rows, flattening nested records', () => {
    const rows = toRows({ tasks: 1_000_000, build: { wallMs: 812.5, peakRssMb: 600 }, policy: 'first-fit' });
    expect(rows).toEqual([
      { figure: 'tasks', value: '1,000,000' },
      { figure: 'build.wallMs', value: '812.5' },
      { figure: 'build.peakRssMb', value: '600' },
      { figure: 'policy', value: 'first-fit' },
    ]);
  });

  it('makes one row per entry of a list', () => {
    expect(
      toRows([
        { policy: 'a', hosts: 10 },
        { policy: 'b', delay: { p99: 0.5 } },
      ]),
    ).toEqual([
      { policy: 'a', hosts: '10' },
      { policy: 'b', 'delay.p99': '0.5' },
    ]);
  });
});

describe('formatTable', () => {
  it('aligns numbers right and text left, filling missing cells', () => {
    const text = formatTable([
      { name: 'insert', ops: '1,000' },
      { name: 'lookup-by-state', ops: '12' },
      { name: 'x' },
    ]);
    expect(text.split('\n')).toEqual([
      'name               ops',
      '---------------  -----',
      'insert           1,000',
      'lookup-by-state     12',
      'x',
    ]);
  });

  it('says so when there is nothing to show', () => {
    expect(formatTable([])).toBe('(no figures)');
  });
});

describe('formatFigure', () => {
  it('keeps four significant digits for small numbers and prints the rest as text', () => {
    expect(formatFigure(0.000123456)).toBe('0.0001235');
    expect(formatFigure(42)).toBe('42');
    expect(formatFigure(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(formatFigure(true)).toBe('true');
    expect(formatFigure(null)).toBe('null');
    expect(formatFigure([1, 2])).toBe('[1,2]');
  });
});
