/**
 * timeseries.csv as columns of numbers. Columns are Float64Arrays so charts index them without
 * boxing; an empty cell ("no value", e.g. no task assigned in the interval) becomes NaN.
 */
export interface TimeSeries {
  readonly length: number;
  readonly names: readonly string[];
  readonly t: Float64Array;
  column(name: string): Float64Array | undefined;
}

export function parseTimeSeries(csv: string): TimeSeries {
  const lines = csv.split('\n');
  const header = (lines[0] ?? '').trim();
  const names = header === '' ? [] : header.split(',').map((s) => s.trim());
  let rows = 0;
  for (let i = 1; i < lines.length; i++) if ((lines[i] ?? '').trim() !== '') rows++;
  const cols = names.map(() => new Float64Array(rows));
  let r = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    let start = 0;
    for (let c = 0; c < names.length; c++) {
      let end = line.indexOf(',', start);
      if (end < 0) end = line.length;
      const cell = line.slice(start, end);
      cols[c]![r] = cell === '' || cell === '\r' ? Number.NaN : Number(cell);
      start = end + 1;
    }
    r++;
  }
  const byName = new Map(names.map((n, i) => [n, cols[i]!]));
  return {
    length: rows,
    names,
    t: byName.get('t') ?? new Float64Array(rows),
    column: (name) => byName.get(name),
  };
}

/** Re-serializes selected rows (used when the node side reduces a long series for the page). */
export function formatTimeSeriesRows(ts: TimeSeries, rows: ArrayLike<number>): string {
  const cols = ts.names.map((n) => ts.column(n)!);
  const out: string[] = [ts.names.join(',')];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out.push(cols.map((c) => (Number.isNaN(c[r]!) ? '' : String(c[r]))).join(','));
  }
  return out.join('\n') + '\n';
}
