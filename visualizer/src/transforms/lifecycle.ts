import type { TaskEventRecord } from '../data/run-files.js';

/**
 * A job's history as Aurora's job page shows it: one row per instance, each row the successive
 * tasks of that instance (a reschedule after a preemption or a lost host makes a new task), each
 * task a run of state segments from one transition to the next.
 */
export interface Segment {
  readonly task: string;
  readonly state: string;
  readonly start: number;
  /** Where the state ended: the next transition, or the run's end for a task still alive. */
  readonly end: number;
  readonly host?: string;
  readonly reason?: string;
  /** A terminal state (FINISHED, FAILED, KILLED, LOST) is an instant, drawn as an end mark. */
  readonly terminal: boolean;
}

export interface InstanceRow {
  readonly instance: number;
  readonly tasks: readonly string[];
  readonly segments: readonly Segment[];
}

const TERMINAL = new Set(['FINISHED', 'FAILED', 'KILLED', 'LOST', 'DELETED']);

/** `events` are one job's records in time order (as events.jsonl has them); `endMs` is the run's end. */
export function lifecycleRows(events: readonly TaskEventRecord[], endMs: number): InstanceRow[] {
  const byTask = new Map<string, TaskEventRecord[]>();
  for (const e of events) {
    let list = byTask.get(e.task);
    if (!list) {
      list = [];
      byTask.set(e.task, list);
    }
    list.push(e);
  }
  const rows = new Map<number, { tasks: string[]; segments: Segment[] }>();
  for (const [task, list] of byTask) {
    // Stable sort: equal-time transitions keep their file order, which is causal order.
    list.sort((a, b) => a.t - b.t);
    const instance = list[0]!.instance;
    let row = rows.get(instance);
    if (!row) {
      row = { tasks: [], segments: [] };
      rows.set(instance, row);
    }
    row.tasks.push(task);
    let host: string | undefined;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      host = e.host ?? host;
      const terminal = TERMINAL.has(e.state);
      const next = list[i + 1];
      const end = terminal ? e.t : next ? next.t : Math.max(endMs, e.t);
      const seg: Segment = { task, state: e.state, start: e.t, end, terminal };
      row.segments.push({
        ...seg,
        ...(host !== undefined ? { host } : {}),
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
      });
      if (terminal) break;
    }
  }
  return [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([instance, r]) => ({ instance, tasks: r.tasks, segments: r.segments }));
}

/** Groups events.jsonl records by job, keeping file order within each job. */
export function eventsByJob(events: readonly TaskEventRecord[]): Map<string, TaskEventRecord[]> {
  const out = new Map<string, TaskEventRecord[]>();
  for (const e of events) {
    let list = out.get(e.job);
    if (!list) {
      list = [];
      out.set(e.job, list);
    }
    list.push(e);
  }
  return out;
}
