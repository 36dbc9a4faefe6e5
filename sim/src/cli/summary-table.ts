import { humanDuration } from '@borealis/core';
import type { RunSummary } from '../output/summary.js';
import { pct } from './table.js';

/** The end-of-run summary printed by `sim run`. */
export function formatSummary(s: RunSummary): string {
  const t = s.tasks;
  const d = s.schedulingDelayMs;
  const u = s.utilization;
  const rows: [string, string][] = [
    ['trace', `${s.traceName} (${s.trace})`],
    ['policy / seed', `${s.policy} / ${s.seed}`],
    ['hosts (used)', `${s.hosts} (${s.hostsUsed})`],
    ['simulated', `${humanDuration(s.simulatedMs)} in ${humanDuration(s.wallMs)} wall, ${s.events} events`],
    ['jobs', `${s.jobs.submitted} submitted, ${s.jobs.rejected} rejected, ${s.jobs.killed} kills`],
    [
      'tasks',
      `${t.submitted} submitted (+${t.rescheduled} rescheduled), ${t.launched} launched, ${t.finished} finished, ${t.failed} failed`,
    ],
    [
      '',
      `${t.killed} killed (${t.preempted} preempted), ${t.killedBeforeLaunch} killed while pending, ${t.lost} lost`,
    ],
    ['at end', `${t.runningAtEnd} on hosts, ${t.pendingAtEnd} pending`],
    [
      'scheduling delay',
      `p50 ${humanDuration(d.p50)}, p90 ${humanDuration(d.p90)}, p99 ${humanDuration(d.p99)}, max ${humanDuration(d.max)}`,
    ],
    ...censoredRow(s),
    [
      'utilization',
      `cpu ${pct(u.cpu.mean)} (peak ${pct(u.cpu.peak)}), ram ${pct(u.ramMb.mean)} (peak ${pct(u.ramMb.peak)})` +
        // GPUs only where the run used any (most clusters have none).
        (u.gpus.peak > 0 ? `, gpu ${pct(u.gpus.mean)} (peak ${pct(u.gpus.peak)})` : ''),
    ],
    ['preemptions', `${s.preemptions} (${t.preempted} victims)`],
    ...lifecycleRows(s),
    ['violations', s.options.audit ? String(s.violations) : `${s.violations} (not audited; use --audit)`],
  ];
  rows.push(...rejectedRows(s));
  const reasons = Object.entries(s.pendingReasons);
  if (t.pendingAtEnd > 0 && reasons.length > 0) {
    rows.push(['pending because', reasons.map(([r, n]) => `${r} (${n})`).join(', ')]);
  }
  for (const f of s.injectedFailures ?? []) {
    const back = f.untilMs !== null ? `, back at ${humanDuration(f.untilMs)}` : ', for the rest of the run';
    rows.push(['failure injected', `${f.spec}: ${f.hosts} hosts down at ${humanDuration(f.atMs)}${back}`]);
  }
  const ignored = Object.entries(s.ignoredRecords);
  if (ignored.length > 0)
    rows.push(['trace records ignored', ignored.map(([r, n]) => `${r} (${n})`).join('; ')]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

/** Shown reasons for rejected jobs; the rest are counted. */
const REJECT_REASONS_SHOWN = 6;

/**
 * Why jobs were rejected, most frequent first, so a run that lost half its trace to the instance
 * limit says so on the terminal (and how to raise the limit), not only in summary.json.
 */
function rejectedRows(s: RunSummary): [string, string][] {
  if (s.jobs.rejected === 0) return [];
  const reasons = Object.entries(s.jobs.rejectReasons).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const rows: [string, string][] = reasons
    .slice(0, REJECT_REASONS_SHOWN)
    .map(([reason, n], i) => [
      i === 0 ? 'rejected because' : '',
      `${reason} (${n} job${n === 1 ? '' : 's'})`,
    ]);
  if (reasons.length > REJECT_REASONS_SHOWN) {
    const rest = reasons.slice(REJECT_REASONS_SHOWN).reduce((a, [, n]) => a + n, 0);
    rows.push([
      '',
      `… ${reasons.length - REJECT_REASONS_SHOWN} more reasons (${rest} jobs), see summary.json`,
    ]);
  }
  const most = Math.max(
    0,
    ...reasons.flatMap(([r]) => {
      const m = /instances must be 1 … \d+, got (\d+)|(\d+) instances would exceed the limit/.exec(r);
      return m ? [Number(m[1] ?? m[2])] : [];
    }),
  );
  if (most > 0) rows.push(['', `over the instance limit: --max-instances ${most} admits them`]);
  return rows;
}

/** Never-placed tasks are in the percentiles (waiting until the end); say how many, and the placed-only tail. */
function censoredRow(s: RunSummary): [string, string][] {
  const n = s.schedulingDelayMs.censored ?? 0;
  if (n === 0) return [];
  const p = s.placedDelayMs;
  const placed = p ? `; placed tasks only: p99 ${humanDuration(p.p99)}` : '';
  return [['', `(includes ${n} never placed, counted as waiting until the end${placed})`]];
}

/** Updates, cron and maintenance, each only when the run had any. */
function lifecycleRows(s: RunSummary): [string, string][] {
  const rows: [string, string][] = [];
  const u = s.updates;
  if (u && u.started + u.restarts > 0) {
    const restarts = u.restarts > 0 ? ` (+${u.restarts} restarts)` : '';
    rows.push([
      'updates',
      `${u.started} started${restarts}: ${u.rolledForward} rolled forward, ${u.rolledBack} rolled back, ` +
        `${u.failed} failed, ${u.aborted} aborted; mean ${humanDuration(u.meanDurationMs)}`,
    ]);
  }
  const c = s.cron;
  if (c && c.triggers > 0) {
    rows.push([
      'cron',
      `${c.triggers} triggers, ${c.runs} runs (${c.tasks} tasks), ${c.collisions} collisions`,
    ]);
  }
  const m = s.maintenance;
  if (m && m.hostsDrained + m.slaDelayedKills + m.forcedKills > 0) {
    rows.push([
      'maintenance',
      `${m.hostsDrained} hosts drained, ${m.slaDelayedKills} kills delayed for SLA, ${m.forcedKills} forced kills`,
    ]);
  }
  return rows;
}
