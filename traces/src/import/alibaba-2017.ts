/**
 * Alibaba cluster-trace-v2017 → trace v1 (alibaba/clusterdata, schema in trace_201708.md).
 *
 * batch_task (no header): task_create_time, task_end_time, job_id, task_id, number_of_instances,
 *   status, plan_cpu (100 = 1 core), plan_mem (normalized 0–1 of a machine's memory)
 *   one preemptible adhoc job per (job_id, task_id), submitted at task_create_time with
 *   number_of_instances instances each running task_end_time − task_create_time (the 2017 table
 *   has no start time, so the source's own wait is part of the run time);
 *   Terminated → finished, Failed → failed, Cancelled / Interrupted → killed;
 *   Running and Waiting (no end in the window) → a service that runs to the end of the run.
 * Every row is accounted for: it becomes one job or is counted under the reason it was skipped.
 *
 * server_event (no header, optional): timestamp, machine_id, event_type, event_detail,
 *   number_of_cpus, normalized_memory, normalized_disk
 *   add → host_add (or host_up for a known machine), softerror / harderror → host_down,
 *   remove → host_remove. Without it the trace gets `--hosts N` machines of the given size.
 */
import type { JobSubmitRecord, Outcome } from '../format/record.js';
import { csvRows, identifier, num } from './csv-rows.js';
import { ImportSummary } from './import-summary.js';
import { checkInputs, type InputSpec } from './input-check.js';
import { SortedOutput } from './sorted-output.js';

export interface Alibaba2017Options {
  readonly batchTasks: string;
  readonly serverEvents?: string;
  /** Machines to add at t=0 when there is no server_event file. */
  readonly hosts?: number;
  readonly out: string;
  /** Cores of a machine (when the server events give none, or with --hosts). Default 64. */
  readonly machineCpu?: number;
  /** RAM of a machine with normalized memory 1.0 (default 96 GiB). */
  readonly machineRamMb?: number;
  readonly machineDiskMb?: number;
}

export const BATCH_TASK_2017_COLUMNS = [
  'task_create_time',
  'task_end_time',
  'job_id',
  'task_id',
  'number_of_instances',
  'status',
  'plan_cpu',
  'plan_mem',
];
export const SERVER_EVENT_2017_COLUMNS = [
  'timestamp',
  'machine_id',
  'event_type',
  'event_detail',
  'number_of_cpus',
  'normalized_memory',
  'normalized_disk',
];

const STATUS_OUTCOME: Readonly<Record<string, Outcome>> = {
  Terminated: 'finished',
  Failed: 'failed',
  Cancelled: 'killed',
  Interrupted: 'killed',
};
const OPEN_STATUS = new Set(['Running', 'Waiting']);

export function alibaba2017Inputs(opts: Alibaba2017Options): InputSpec[] {
  return [
    {
      flag: '--batch-tasks',
      path: opts.batchTasks,
      what: '2017 batch_task file',
      columns: BATCH_TASK_2017_COLUMNS,
      header: false,
    },
    ...(opts.serverEvents
      ? [
          {
            flag: '--server-events',
            path: opts.serverEvents,
            what: '2017 server_event file',
            columns: SERVER_EVENT_2017_COLUMNS,
            header: false,
          },
        ]
      : []),
  ];
}

export async function importAlibaba2017(opts: Alibaba2017Options): Promise<ImportSummary> {
  const [tasksIn, serversIn] = await checkInputs(alibaba2017Inputs(opts));
  const summary = new ImportSummary();
  const ramMb = opts.machineRamMb ?? 98_304;
  const out = await SortedOutput.create(opts.out, {
    name: 'alibaba-2017',
    source: `alibaba cluster-trace-v2017: ${[opts.serverEvents, opts.batchTasks].filter(Boolean).join(', ')}`,
  });
  if (opts.serverEvents) await importServers(opts, serversIn!.hasHeader, out, summary);
  else {
    for (let i = 0; i < (opts.hosts ?? 0); i++) {
      await out.add(machine(0, `m${String(i + 1).padStart(5, '0')}`, opts.machineCpu ?? 64, ramMb, opts));
    }
  }

  const seen = new Set<string>();
  for await (const row of csvRows(opts.batchTasks, { header: tasksIn!.hasHeader })) {
    summary.rowsRead++;
    const [created, ended, jobId, taskId, instances, status, planCpu, planMem] = row.fields;
    const createdS = num(created);
    const endedS = num(ended);
    const n = num(instances);
    const cpu = num(planCpu);
    const mem = num(planMem);
    const job = `alibaba/batch/j${identifier(jobId ?? '')}.t${identifier(taskId ?? '')}`;
    const outcome = STATUS_OUTCOME[status ?? ''];
    if (row.fields.length !== 8 || !jobId || !taskId)
      summary.skip('batch task: malformed row (expected 8 columns)');
    else if (createdS === undefined || createdS < 0) summary.skip('batch task: no create time');
    else if (n === undefined || n < 1 || !Number.isInteger(n)) summary.skip('batch task: no instances');
    else if (cpu === undefined || cpu <= 0) summary.skip('batch task: no cpu request');
    else if (seen.has(job)) summary.skip('batch task: duplicate (job_id, task_id)');
    else if (OPEN_STATUS.has(status ?? '')) {
      seen.add(job);
      await out.add({
        ...taskJob(job, createdS, n, cpu, mem ?? 0, ramMb),
        kind: 'service',
        maxTaskFailures: -1,
      });
    } else if (!outcome) summary.skip(`batch task: unknown status "${status}"`);
    else if (endedS === undefined || endedS < createdS) summary.skip('batch task: end before create');
    else {
      seen.add(job);
      await out.add({
        ...taskJob(job, createdS, n, cpu, mem ?? 0, ramMb),
        durationMs: Math.round((endedS - createdS) * 1000),
        ...(outcome !== 'finished' ? { outcomes: outcome } : {}),
      });
    }
  }
  summary.recordsWritten = await out.close();
  return summary;
}

function taskJob(job: string, createdS: number, n: number, planCpu: number, planMem: number, ramMb: number) {
  return {
    t: Math.round(createdS * 1000),
    type: 'job_submit',
    job,
    kind: 'adhoc',
    instances: n,
    tier: 'preemptible',
    priority: 0,
    task: { cpu: planCpu / 100, ramMb: Math.round(planMem * ramMb), diskMb: 0, gpus: 0, ports: [] },
    constraints: {},
    maxTaskFailures: 1,
  } satisfies JobSubmitRecord;
}

function machine(tS: number, host: string, cpu: number, ramMb: number, opts: Alibaba2017Options) {
  return {
    t: Math.round(tS * 1000),
    type: 'host_add' as const,
    host,
    cpu,
    ramMb,
    diskMb: opts.machineDiskMb ?? 1_048_576,
    gpus: 0,
    ports: [[31000, 32000]] as [number, number][],
    attributes: {},
  };
}

async function importServers(
  opts: Alibaba2017Options,
  hasHeader: boolean,
  out: SortedOutput,
  summary: ImportSummary,
): Promise<void> {
  const ramMb = opts.machineRamMb ?? 98_304;
  const state = new Map<string, 'up' | 'down' | 'removed'>();
  for await (const row of csvRows(opts.serverEvents!, { header: hasHeader })) {
    summary.rowsRead++;
    const [ts, id, type, , cpus, mem] = row.fields;
    const tS = num(ts);
    if (row.fields.length !== 7 || !id || tS === undefined || tS < 0) {
      summary.skip('server event: malformed row (expected 7 columns)');
      continue;
    }
    const host = `m${identifier(id)}`;
    const t = Math.round(tS * 1000);
    const now = state.get(host);
    if (type === 'add') {
      if (now === undefined || now === 'removed') {
        const cores = num(cpus) ?? opts.machineCpu ?? 64;
        const memory = num(mem);
        state.set(host, 'up');
        await out.add(machine(tS, host, cores, Math.round((memory ?? 1) * ramMb), opts));
      } else if (now === 'down') {
        state.set(host, 'up');
        await out.add({ t, type: 'host_up', host });
      } else summary.skip('server event: add of a machine already up');
    } else if (type === 'softerror' || type === 'harderror') {
      if (now === 'up') {
        state.set(host, 'down');
        await out.add({ t, type: 'host_down', host });
      } else summary.skip(`server event: ${type} of a machine not up`);
    } else if (type === 'remove') {
      if (now === 'up' || now === 'down') {
        state.set(host, 'removed');
        await out.add({ t, type: 'host_remove', host });
      } else summary.skip('server event: remove of a machine not present');
    } else summary.skip(`server event: unknown event type "${type}"`);
  }
}
