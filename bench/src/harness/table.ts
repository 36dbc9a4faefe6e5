import type { Figures, FigureValue, SuiteOutput } from './suite.js';

export type Row = Record<string, string>;

/**
 * Turns a suite's output into table rows:
 * - a list of entries → one row per entry;
 * - a record whose values are all records → one row per key (the key in the `name` column),
 *   e.g. `{ insert: { opsPerSec, p99Ms }, lookup: {...} }`;
 * - any other record → one `figure | value` row per (flattened) field.
 * Nested records flatten to dotted column names (`memory.peakRssMb`).
 */
export function toRows(output: SuiteOutput): Row[] {
  if (Array.isArray(output)) return (output as readonly Figures[]).map((entry) => flatten(entry));
  const record = output as Figures;
  const values = Object.values(record);
  if (values.length > 0 && values.every(isRecord)) {
    return Object.entries(record).map(([name, value]) => ({ name, ...flatten(value as Figures) }));
  }
  return Object.entries(flatten(record)).map(([figure, value]) => ({ figure, value }));
}

/** Renders rows as an aligned plain-text table: numbers right-aligned, text left-aligned. */
export function formatTable(rows: readonly Row[]): string {
  if (rows.length === 0) return '(no figures)';
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = columns.map((c) => rows.every((r) => r[c] === undefined || NUMBER_TEXT.test(r[c])));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const header = line(columns);
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [header, rule, ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n');
}

const NUMBER_TEXT = /^-?[\d,]+(\.\d+)?(e[+-]?\d+)?$/;

/** Big figures get thousands separators and no decimals; small ones keep 4 significant digits. */
export function formatFigure(value: FigureValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(4)));
  }
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function flatten(record: Figures, prefix = '', into: Row = {}): Row {
  for (const [key, value] of Object.entries(record)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isRecord(value)) flatten(value, name, into);
    else into[name] = formatFigure(value);
  }
  return into;
}

function isRecord(value: FigureValue | undefined): value is Figures {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
