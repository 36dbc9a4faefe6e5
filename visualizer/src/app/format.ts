/** Human formats for simulated time, durations and quantities. */

/** Axis/tooltip clock: elapsed time since trace start as "14:05", or "d2 14:05" past a day. */
export function fmtClock(ms: number, withSeconds = false): string {
  const totalSec = Math.floor(ms / 1000);
  const d = Math.floor(totalSec / 86400);
  const h = Math.floor((totalSec % 86400) / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const s = totalSec % 60;
  const hm = `${pad(h)}:${pad(m)}${withSeconds ? `:${pad(s)}` : ''}`;
  return d > 0 ? `d${d} ${hm}` : hm;
}

/** A duration as the largest sensible unit: "850 ms", "12.4 s", "3.5 min", "2.25 h", "1.5 d". */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${trim(ms / 1000)} s`;
  if (a < 3_600_000) return `${trim(ms / 60_000)} min`;
  if (a < 86_400_000) return `${trim(ms / 3_600_000)} h`;
  return `${trim(ms / 86_400_000)} d`;
}

/** Integers with thousands separators, fractions to 3 significant digits. */
export function fmtNumber(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (Number.isInteger(x)) return x.toLocaleString('en');
  const a = Math.abs(x);
  return a >= 100 ? Math.round(x).toLocaleString('en') : x.toPrecision(3).replace(/\.?0+$/, '');
}

export const fmtPercent = (f: number): string => (Number.isFinite(f) ? `${(f * 100).toFixed(1)}%` : '—');

/** Resource quantities in their natural unit: cores, GiB from MB. */
export function fmtResource(resource: string, v: number): string {
  if (resource === 'ramMb' || resource === 'diskMb') {
    const gib = v / 1024;
    return gib >= 1024 ? `${trim(gib / 1024)} TiB` : `${trim(gib)} GiB`;
  }
  if (resource === 'cpu') return `${fmtNumber(Math.round(v * 100) / 100)} cores`;
  return fmtNumber(v);
}

export const RESOURCE_LABEL: Readonly<Record<string, string>> = {
  cpu: 'CPU',
  ramMb: 'RAM',
  diskMb: 'Disk',
  gpus: 'GPU',
};

function trim(x: number): string {
  const a = Math.abs(x);
  return (a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2)).replace(/\.?0+$/, '');
}

const pad = (n: number) => String(n).padStart(2, '0');

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
