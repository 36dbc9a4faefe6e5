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
      `cpu ${pct(u.cpu.mean)} (peak ${pct(u.cpu.peak)}), ram ${pct(u.ramMb.mean)} (peak ${pct(u.ramMb.peak)})`,
    ],
    ['preemptions', `${s.preemptions} (${t.preempted} victims)`],
    ...lifecycleRows(s),
    ['violations', s.options.audit ? String(s.violations) : `${s.violations} (not audited; use --audit)`],
  ];
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
