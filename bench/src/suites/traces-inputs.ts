import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { instanceDurationMs, readTrace, type TraceRecord } from '@borealis/traces';

/**
 * Import-benchmark inputs in the source formats, derived from a generated trace so their size and
 * shape are known: Google task_events (SUBMIT, SCHEDULE, FINISH per batch task) with its
 * machine_events, and an SWF log (one line per job). Replays the trace with shifted times until
 * `rows` rows are written.
 */
export async function writeGoogleTaskEvents(
  trace: string,
  taskEventsPath: string,
  machineEventsPath: string,
  rows: number,
): Promise<number> {
  const machines = new Lines(machineEventsPath);
  const tasks = new Lines(taskEventsPath);
  let written = 0;
  let jobId = 1;
  for (let pass = 0; written < rows; pass++) {
    let span = 0;
    for await (const r of readTrace(trace)) {
      span = r.t;
      if (pass === 0 && r.type === 'host_add') {
        await machines.write(`0,${r.host.slice(1)},0,P1,${r.cpu / 32},${r.ramMb / 131072}`);
      }
      if (r.type !== 'job_submit' || r.kind !== 'adhoc' || written >= rows) continue;
      const base = (pass * (span + 1) + r.t) * 1000;
      const req = `${r.task.cpu / 32},${r.task.ramMb / 131072},${r.task.diskMb / 1048576}`;
      const id = jobId++;
      for (let i = 0; i < r.instances && written < rows; i++) {
        const d = (instanceDurationMs(r, i) ?? 0) * 1000;
        await tasks.write(`${base},,${id},${i},,0,user${id % 97},1,${r.priority},${req},0`);
        await tasks.write(`${base + 1_000_000},,${id},${i},1,1,user${id % 97},1,${r.priority},${req},0`);
        await tasks.write(`${base + 1_000_000 + d},,${id},${i},1,4,user${id % 97},1,${r.priority},${req},0`);
        written += 3;
      }
    }
  }
  await machines.close();
  await tasks.close();
  return written;
}

export async function writeSwf(trace: string, path: string, rows: number): Promise<number> {
  const out = new Lines(path);
  let hosts = 0;
  for await (const r of readTrace(trace)) {
    if (r.type === 'host_add') hosts++;
    else break;
  }
  for (const h of ['; Version: 2.2', `; MaxNodes: ${hosts}`, `; MaxProcs: ${hosts * 16}`]) await out.write(h);
  let written = 0;
  let span = 0;
  for (let pass = 0; written < rows; pass++) {
    const offset = pass * (span + 1);
    for await (const r of readTrace(trace) as AsyncIterable<TraceRecord>) {
      span = Math.max(span, r.t);
      if (r.type !== 'job_submit' || r.kind !== 'adhoc' || written >= rows) continue;
      const procs = Math.max(1, Math.min(hosts * 16, Math.round(r.instances * r.task.cpu)));
      const run = Math.round((instanceDurationMs(r, 0) ?? 0) / 1000);
      const submit = Math.floor((offset + r.t) / 1000);
      await out.write(
        `${written + 1} ${submit} -1 ${run} ${procs} -1 -1 ${procs} -1 ${r.task.ramMb} 1 1 1 -1 1 -1 -1 -1`,
      );
      written++;
    }
  }
  await out.close();
  return written;
}

/** Buffered line writer with backpressure. */
class Lines {
  private readonly stream: WriteStream;
  private buffer = '';

  constructor(path: string) {
    this.stream = createWriteStream(path);
  }

  async write(line: string): Promise<void> {
    this.buffer += `${line}\n`;
    if (this.buffer.length > 1 << 18) {
      const chunk = this.buffer;
      this.buffer = '';
      if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    }
  }

  async close(): Promise<void> {
    this.stream.end(this.buffer);
    await once(this.stream, 'close');
  }
}
