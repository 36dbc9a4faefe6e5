import type { TraceStats } from './trace-stats.js';

const n = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 2 });
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${d ? `${d}d ` : ''}${h}h ${String(m).padStart(2, '0')}m`;
}

/** Human-readable report for `borealis trace stats`. */
export function formatStats(s: TraceStats): string {
  const out: string[] = [];
  out.push(`trace ${s.name}${s.source ? ` (${s.source})` : ''}`);
  out.push(
    `records ${n(s.records)}, span ${formatDuration(s.span.lastMs - s.span.firstMs)} ` +
      `(t=${s.span.firstMs}..${s.span.lastMs} ms)`,
  );
  out.push(
    `by type: ${Object.entries(s.recordsByType)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(', ')}`,
  );
  const c = s.hosts.capacity;
  out.push(
    `hosts ${n(s.hosts.added)} added, ${n(s.hosts.removed)} removed, ${n(s.hosts.failures)} failures; ` +
      `capacity cpu ${n(c.cpu)}, ramMb ${n(c.ramMb)}, diskMb ${n(c.diskMb)}, gpus ${n(c.gpus)}`,
  );
  const kinds = (o: Record<string, number>): string =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(', ');
  out.push(`jobs ${n(s.jobs.total)}: ${kinds(s.jobs.byKind)}; ${kinds(s.jobs.byTier)}`);
  out.push(`tasks ${n(s.tasks.total)}: ${kinds(s.tasks.byKind)}; ${kinds(s.tasks.byTier)}`);
  const p = s.demand.peakRequested;
  const r = s.demand.peakRatio;
  out.push(
    `peak requested (tasks running from submission): cpu ${n(p.cpu)} (${pct(r.cpu)} of capacity), ` +
      `ramMb ${n(p.ramMb)} (${pct(r.ramMb)}), gpus ${n(p.gpus)} (${pct(r.gpus)})`,
  );
  out.push('');
  out.push(`requested vs capacity, peak per ${formatDuration(s.demand.bucketMs)}:`);
  out.push('  time        cpu requested / capacity      ramMb requested / capacity');
  for (const b of s.demand.series) {
    const bar = (x: number, cap: number): string => {
      const f = cap > 0 ? x / cap : 0;
      return `${'#'.repeat(Math.min(20, Math.round(f * 20))).padEnd(20)} ${pct(f).padStart(6)}`;
    };
    out.push(
      `  ${formatDuration(b.t).padStart(10)}  ${bar(b.peakCpu, b.capacityCpu)}    ${bar(b.peakRamMb, b.capacityRamMb)}`,
    );
  }
  return out.join('\n');
}
