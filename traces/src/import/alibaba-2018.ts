/**
 * Alibaba cluster-trace-v2018 → trace v1 (alibaba/clusterdata, schema in trace_2018.md).
 *
 * machine_meta: machine_id, time_stamp, failure_domain_1, failure_domain_2, cpu_num, mem_size, status
 *   first row of a machine → host_add (mem_size is normalized to 0–100: × --machine-ram-mb / 100),
 *   failure domains as attributes `failureDomain1` / `failureDomain2`; later rows whose status
 *   leaves USING → host_down, back to USING → host_up.
 * batch_task: task_name, instance_num, job_name, task_type, status, start_time, end_time,
 *   plan_cpu (100 = 1 core), plan_mem (normalized 0–100)
 *   one job per (job_name, task_name) submitted at start_time, every instance running
 *   end_time − start_time; Terminated → finished, Failed → failed, Cancelled/Interrupted → killed,
 *   Running (no end) → service. Batch tasks are preemptible.
 * container_meta: container_id, machine_id, time_stamp, app_du, status, cpu_request (100 = 1 core),
 *   cpu_limit, mem_size (normalized) → one preferred service job per app_du, one instance per
 *   container, submitted at its first container's time, asking for the largest request.
 */
import type { JobSubmitRecord, Outcome } from '../format/record.js';
import { csvRows, identifier, num } from './csv-rows.js';
import { ImportSummary } from './import-summary.js';
import { checkInputs, type InputSpec } from './input-check.js';
import { SortedOutput } from './sorted-output.js';

export interface Alibaba2018Options {
  readonly machines: string;
  readonly batchTasks: string;
  readonly containers?: string;
  readonly out: string;
  /** RAM of a machine with mem_size 100 (default 96 GiB, the v2018 machines' size). */
  readonly machineRamMb?: number;
  readonly machineDiskMb?: number;
}

const STATUS_OUTCOME: Readonly<Record<string, Outcome>> = {
  Terminated: 'finished',
  Failed: 'failed',
  Cancelled: 'killed',
  Interrupted: 'killed',
};

const MACHINE_COLUMNS = [
  'machine_id',
  'time_stamp',
  'failure_domain_1',
  'failure_domain_2',
  'cpu_num',
  'mem_size',
  'status',
];
const BATCH_TASK_COLUMNS = [
  'task_name',
  'instance_num',
  'job_name',
  'task_type',
  'status',
  'start_time',
  'end_time',
  'plan_cpu',
  'plan_mem',
];
const CONTAINER_COLUMNS = [
  'container_id',
  'machine_id',
  'time_stamp',
  'app_du',
  'status',
  'cpu_request',
  'cpu_limit',
  'mem_size',
];

export function alibaba2018Inputs(opts: Alibaba2018Options): InputSpec[] {
  return [
    {
      flag: '--machines',
      path: opts.machines,
      what: 'machine_meta file',
      columns: MACHINE_COLUMNS,
      header: false,
    },
    {
      flag: '--batch-tasks',
      path: opts.batchTasks,
      what: 'batch_task file',
      columns: BATCH_TASK_COLUMNS,
      header: false,
    },
    ...(opts.containers
      ? [
          {
            flag: '--containers',
            path: opts.containers,
            what: 'container_meta file',
            columns: CONTAINER_COLUMNS,
            header: false,
          },
        ]
      : []),
  ];
}

export async function importAlibaba2018(opts: Alibaba2018Options): Promise<ImportSummary> {
  const [machinesIn, tasksIn, containersIn] = await checkInputs(alibaba2018Inputs(opts));
  const summary = new ImportSummary();
  const ramMb = opts.machineRamMb ?? 98_304;
  const out = await SortedOutput.create(opts.out, {
    name: 'alibaba-2018',
    source: `alibaba cluster-trace-v2018: ${[opts.machines, opts.batchTasks, opts.containers].filter(Boolean).join(', ')}`,
  });

  const using = new Map<string, boolean>();
  for await (const row of csvRows(opts.machines, { header: machinesIn!.hasHeader })) {
    summary.rowsRead++;
    const [id, ts, fd1, fd2, cpuNum, memSize, status] = row.fields;
    const t = num(ts);
    if (row.fields.length !== 7 || !id || t === undefined || t < 0) {
      summary.skip('machine: malformed row (expected 7 columns)');
      continue;
    }
    const host = identifier(id);
    const isUsing = status === 'USING';
    const known = using.get(host);
    if (known === undefined) {
      const cpu = num(cpuNum);
      const mem = num(memSize);
      if (cpu === undefined || mem === undefined || cpu <= 0 || mem < 0) {
        summary.skip('machine: missing capacity');
        continue;
      }
      using.set(host, true);
      await out.add({
        t: Math.round(t * 1000),
        type: 'host_add',
        host,
        cpu,
        ramMb: Math.round((mem / 100) * ramMb),
        diskMb: opts.machineDiskMb ?? 1_048_576,
        gpus: 0,
        ports: [[31000, 32000]],
        attributes: { ...(fd1 ? { failureDomain1: fd1 } : {}), ...(fd2 ? { failureDomain2: fd2 } : {}) },
      });
      if (!isUsing) {
        using.set(host, false);
        await out.add({ t: Math.round(t * 1000), type: 'host_down', host });
      }
    } else if (known !== isUsing) {
      using.set(host, isUsing);
      await out.add({ t: Math.round(t * 1000), type: isUsing ? 'host_up' : 'host_down', host });
    } else {
      summary.skip('machine: status unchanged');
    }
  }

  const seen = new Set<string>();
  for await (const row of csvRows(opts.batchTasks, { header: tasksIn!.hasHeader })) {
    summary.rowsRead++;
    const [taskName, instanceNum, jobName, , status, start, end, planCpu, planMem] = row.fields;
    const n = num(instanceNum);
    const startS = num(start);
    const endS = num(end);
    const cpu = num(planCpu);
    const mem = num(planMem);
    const job = `alibaba/batch/${identifier(jobName ?? '')}.${identifier(taskName ?? '')}`;
    const outcome = STATUS_OUTCOME[status ?? ''];
    if (!taskName || !jobName || row.fields.length !== 9)
      summary.skip('batch task: malformed row (expected 9 columns)');
    else if (n === undefined || n < 1 || !Number.isInteger(n)) summary.skip('batch task: no instances');
    else if (cpu === undefined || cpu <= 0) summary.skip('batch task: no cpu request');
    else if (startS === undefined || startS <= 0) summary.skip('batch task: never started');
    else if (seen.has(job)) summary.skip('batch task: duplicate task name');
    else if (status === 'Running') {
      seen.add(job);
      await out.add({
        ...batchJob(job, startS, n, cpu, mem ?? 0, ramMb),
        kind: 'service',
        maxTaskFailures: -1,
      });
    } else if (!outcome) summary.skip(`batch task: status "${status}" never ran to an end`);
    else if (endS === undefined || endS < startS) summary.skip('batch task: end before start');
    else {
      seen.add(job);
      await out.add({
        ...batchJob(job, startS, n, cpu, mem ?? 0, ramMb),
        durationMs: Math.round((endS - startS) * 1000),
        ...(outcome !== 'finished' ? { outcomes: outcome } : {}),
      });
    }
  }

  if (opts.containers) await importContainers(opts.containers, containersIn!.hasHeader, ramMb, out, summary);
  summary.recordsWritten = await out.close();
  return summary;
}

function batchJob(
  job: string,
  startS: number,
  n: number,
  planCpu: number,
  planMem: number,
  ramMb: number,
): JobSubmitRecord {
  return {
    t: Math.round(startS * 1000),
    type: 'job_submit',
    job,
    kind: 'adhoc',
    instances: n,
    tier: 'preemptible',
    priority: 0,
    task: { cpu: planCpu / 100, ramMb: Math.round((planMem / 100) * ramMb), diskMb: 0, gpus: 0, ports: [] },
    constraints: {},
    maxTaskFailures: 1,
  };
}

/** Containers are grouped per application (app_du) in memory, then written as services. */
async function importContainers(
  path: string,
  hasHeader: boolean,
  ramMb: number,
  out: SortedOutput,
  summary: ImportSummary,
): Promise<void> {
  const apps = new Map<string, { t: number; cpu: number; mem: number; containers: Set<string> }>();
  for await (const row of csvRows(path, { header: hasHeader })) {
    summary.rowsRead++;
    const [id, , ts, app, , cpuReq, , memSize] = row.fields;
    const t = num(ts);
    const cpu = num(cpuReq);
    if (row.fields.length !== 8 || !id || !app || t === undefined || t < 0) {
      summary.skip('container: malformed row (expected 8 columns)');
      continue;
    }
    if (cpu === undefined || cpu <= 0) {
      summary.skip('container: no cpu request');
      continue;
    }
    let a = apps.get(app);
    if (!a) {
      a = { t, cpu: 0, mem: 0, containers: new Set() };
      apps.set(app, a);
    }
    a.t = Math.min(a.t, t);
    a.cpu = Math.max(a.cpu, cpu);
    a.mem = Math.max(a.mem, num(memSize) ?? 0);
    if (a.containers.has(id)) summary.skip('container: further row of a known container (merged into it)');
    a.containers.add(id);
  }
  for (const [app, a] of apps) {
    await out.add({
      t: Math.round(a.t * 1000),
      type: 'job_submit',
      job: `alibaba/online/${identifier(app)}`,
      kind: 'service',
      instances: a.containers.size,
      tier: 'preferred',
      priority: 0,
      task: { cpu: a.cpu / 100, ramMb: Math.round((a.mem / 100) * ramMb), diskMb: 0, gpus: 0, ports: [] },
      constraints: {},
      maxTaskFailures: -1,
    });
  }
}
