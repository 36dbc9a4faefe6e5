/**
 * Standard Workload Format (Parallel Workloads Archive, Feitelson et al.) → trace v1.
 *
 * Header comments `; MaxNodes: N` and `; MaxProcs: P` give the machine: N hosts of P/N cpus
 * (only MaxProcs: that many 1-cpu hosts). `; Queue: q name` names queues.
 * Each job line has 18 whitespace-separated fields (-1 = unknown):
 *   1 job  2 submit(s)  3 wait  4 run time(s)  5 allocated procs  6 avg cpu  7 used mem (KB/proc)
 *   8 requested procs  9 requested time  10 requested mem (KB/proc)  11 status  12 user  13 group
 *   14 executable  15 queue  16 partition  17 preceding job  18 think time
 * A job of p processors becomes ceil(p / cpusPerHost) instances of p / instances cpus, one per
 * host (`host: limit:1`: a parallel job spans nodes). Status 1 → finished, 0 → failed,
 * 5 (cancelled) → killed. Queue and partition are kept on the record as `swf.queue` /
 * `swf.partition` and the queue name becomes the job's environment.
 */
import { UserError } from '@borealis/core';
import type { JobSubmitRecord, Outcome } from '../format/record.js';
import { readLines } from '../io/lines.js';
import { identifier } from './csv-rows.js';
import { ImportSummary } from './import-summary.js';
import { SortedOutput } from './sorted-output.js';

export interface SwfOptions {
  readonly file: string;
  readonly out: string;
  /** RAM per host (SWF does not say; default 4096). */
  readonly hostRamMb?: number;
  /** Used when the header has neither MaxNodes nor MaxProcs. */
  readonly hosts?: number;
}

const STATUS_OUTCOME: Readonly<Record<number, Outcome>> = { 0: 'failed', 1: 'finished', 5: 'killed' };

interface SwfHeader {
  maxNodes?: number;
  maxProcs?: number;
  queues: Map<number, string>;
}

export async function importSwf(opts: SwfOptions): Promise<ImportSummary> {
  const summary = new ImportSummary();
  const out = await SortedOutput.create(opts.out, { name: 'swf', source: `SWF: ${opts.file}` });
  const header: SwfHeader = { queues: new Map() };
  let machine: { hosts: number; cpusPerHost: number } | undefined;
  const hostWidth = (n: number): number => Math.max(3, String(n - 1).length);

  const startMachine = async (): Promise<{ hosts: number; cpusPerHost: number }> => {
    const hosts = header.maxNodes ?? header.maxProcs ?? opts.hosts;
    if (!hosts || hosts < 1) {
      throw new UserError(`${opts.file}: the header gives neither MaxNodes nor MaxProcs; pass --hosts N`);
    }
    const cpusPerHost = header.maxProcs && header.maxNodes ? header.maxProcs / header.maxNodes : 1;
    for (let i = 0; i < hosts; i++) {
      await out.add({
        t: 0,
        type: 'host_add',
        host: `n${String(i).padStart(hostWidth(hosts), '0')}`,
        cpu: cpusPerHost,
        ramMb: opts.hostRamMb ?? 4096,
        diskMb: 0,
        gpus: 0,
        ports: [[31000, 32000]],
        attributes: {},
      });
    }
    return { hosts, cpusPerHost };
  };

  for await (const line of readLines(opts.file)) {
    const text = line.trim();
    if (text.length === 0) continue;
    if (text.startsWith(';')) {
      parseHeaderLine(text, header);
      continue;
    }
    summary.rowsRead++;
    machine ??= await startMachine();
    const f = text.split(/\s+/).map(Number);
    if (f.length < 18 || f.some((x) => !Number.isFinite(x))) {
      summary.skip('malformed line (expected 18 numeric fields)');
      continue;
    }
    const [
      id,
      submit,
      ,
      runTime,
      allocProcs,
      ,
      usedMem,
      reqProcs,
      ,
      reqMem,
      status,
      user,
      ,
      ,
      queue,
      partition,
    ] = f as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const procs = reqProcs > 0 ? reqProcs : allocProcs;
    if (procs <= 0) summary.skip('no processor count');
    else if (submit < 0) summary.skip('no submit time');
    else if (runTime < 0) summary.skip('unknown run time');
    else {
      const instances = Math.ceil(procs / machine.cpusPerHost);
      if (instances > machine.hosts) {
        summary.skip('wider than the machine');
        continue;
      }
      const cpu = procs / instances;
      // Requested memory per processor if known, else what was used (Math.max maps −1 to 0).
      const memKbPerProc = reqMem > 0 ? reqMem : Math.max(usedMem, 0);
      const queueName = header.queues.get(queue);
      const record: JobSubmitRecord & { swf: Record<string, number> } = {
        t: Math.round(submit * 1000),
        type: 'job_submit',
        job: `${user >= 0 ? `u${user}` : 'unknown'}/${queueName ? identifier(queueName) : queue >= 0 ? `q${queue}` : 'batch'}/j${id}`,
        kind: 'adhoc',
        instances,
        tier: 'preemptible',
        priority: 0,
        task: { cpu, ramMb: Math.round((memKbPerProc * cpu) / 1024), diskMb: 0, gpus: 0, ports: [] },
        constraints: instances > 1 ? { host: 'limit:1' } : {},
        durationMs: Math.round(runTime * 1000),
        ...(STATUS_OUTCOME[status] && STATUS_OUTCOME[status] !== 'finished'
          ? { outcomes: STATUS_OUTCOME[status] }
          : {}),
        maxTaskFailures: 1,
        swf: { job: id, queue, partition, status },
      };
      await out.add(record);
    }
  }
  if (!machine) await startMachine();
  summary.recordsWritten = await out.close();
  return summary;
}

function parseHeaderLine(text: string, header: SwfHeader): void {
  const m = /^;\s*(\w+):\s*(.*)$/.exec(text);
  if (!m) return;
  const [, key, value] = m as unknown as [string, string, string];
  if (key === 'MaxNodes') header.maxNodes = Number.parseInt(value, 10) || undefined;
  else if (key === 'MaxProcs') header.maxProcs = Number.parseInt(value, 10) || undefined;
  else if (key === 'Queue') {
    const q = /^(\d+)\s+(\S+)/.exec(value);
    if (q) header.queues.set(Number(q[1]), q[2]!);
  }
}
