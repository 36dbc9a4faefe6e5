import type { PreemptionRecord, TaskEvent, TaskRef } from '@borealis/core';

/**
 * One events.jsonl line: the reference text. EventLog's writer thread builds the same text; the
 * fixed key order keeps files byte-identical.
 */
export function taskEventLine(e: TaskEvent): string {
  let s = `{"t":${e.time},"task":${JSON.stringify(e.taskId)},"job":${JSON.stringify(e.job)},"instance":${e.instance},"state":"${e.state}"`;
  if (e.host !== undefined) s += `,"host":${JSON.stringify(e.host)}`;
  if (e.reason !== undefined) s += `,"reason":${JSON.stringify(e.reason)}`;
  return `${s}}`;
}

const ref = (r: TaskRef): string =>
  `{"task":${JSON.stringify(r.task)},"job":${JSON.stringify(r.job)},"tier":"${r.tier}","priority":${r.priority}}`;

/** One preemptions.jsonl line. */
export function preemptionLine(p: PreemptionRecord): string {
  return `{"t":${p.time},"host":${JSON.stringify(p.host)},"preemptor":${ref(p.preemptor)},"victims":[${p.victims.map(ref).join(',')}]}`;
}
