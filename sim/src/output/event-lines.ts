import type { PreemptionRecord, TaskEvent, TaskRef } from '@borealis/core';
import { JSON_BYTES_PER_UNIT, type LineFile } from './line-file.js';

/**
 * One events.jsonl line. Written by hand rather than JSON.stringify of a fresh object: this runs
 * for every task transition, and the fixed key order keeps files byte-identical.
 */
export function taskEventLine(e: TaskEvent): string {
  let s = `{"t":${e.time},"task":${JSON.stringify(e.taskId)},"job":${JSON.stringify(e.job)},"instance":${e.instance},"state":"${e.state}"`;
  if (e.host !== undefined) s += `,"host":${JSON.stringify(e.host)}`;
  if (e.reason !== undefined) s += `,"reason":${JSON.stringify(e.reason)}`;
  return `${s}}`;
}

/**
 * Appends the taskEventLine of `e` to the file, encoded straight into its buffer: the same bytes
 * without building the line as a string (this runs several million times in a large run).
 */
export function writeTaskEvent(file: LineFile, e: TaskEvent): void {
  const units = e.taskId.length + e.job.length + (e.host?.length ?? 0) + (e.reason?.length ?? 0);
  // Fixed text, the state and two numbers stay well under 128 bytes.
  if (!file.reserve(128 + units * JSON_BYTES_PER_UNIT)) {
    file.write(taskEventLine(e));
    return;
  }
  file.ascii('{"t":');
  file.int(e.time);
  file.ascii(',"task":');
  file.jsonString(e.taskId);
  file.ascii(',"job":');
  file.jsonString(e.job);
  file.ascii(',"instance":');
  file.int(e.instance);
  file.ascii(',"state":"');
  file.ascii(e.state);
  if (e.host !== undefined) {
    file.ascii('","host":');
    file.jsonString(e.host);
  } else file.ascii('"');
  if (e.reason !== undefined) {
    file.ascii(',"reason":');
    file.jsonString(e.reason);
  }
  file.ascii('}');
  file.endLine();
}

const ref = (r: TaskRef): string =>
  `{"task":${JSON.stringify(r.task)},"job":${JSON.stringify(r.job)},"tier":"${r.tier}","priority":${r.priority}}`;

/** One preemptions.jsonl line. */
export function preemptionLine(p: PreemptionRecord): string {
  return `{"t":${p.time},"host":${JSON.stringify(p.host)},"preemptor":${ref(p.preemptor)},"victims":[${p.victims.map(ref).join(',')}]}`;
}
