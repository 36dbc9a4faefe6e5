/**
 * Google clusterdata-2011-2 → trace v1 (Reiss, Wilkes & Hellerstein, "Google cluster-usage
 * traces: format + schema", 2011).
 *
 * machine_events: time(µs), machine ID, event type (0 ADD, 1 REMOVE, 2 UPDATE), platform ID, CPUs, memory
 *   ADD → host_add (capacity × --machine-cpu / --machine-ram-mb), REMOVE → host_remove. Trace v1
 *   has no capacity change, so UPDATE rows are counted as skipped.
 * task_events: time(µs), missing info, job ID, task index, machine ID, event type, user,
 *   scheduling class, priority, CPU, memory, disk requests (normalized), different-machines
 *   0 SUBMIT: first one is the job's submit time; 1 SCHEDULE starts a run; 2 EVICT, 3 FAIL,
 *   4 FINISH, 5 KILL, 6 LOST end it. A task's duration is the sum of its runs, its outcome the
 *   end of its last run. Tasks never ended in the trace run as services (a separate `.svc` job
 *   when the job also has ended tasks). A job asks for the largest request of its tasks.
 *   Priority 0–1 → revocable, 2–8 → preemptible, 9–11 → preferred (priority kept);
 *   different-machines → `host: limit:1`.
 * Memory: one small entry per task (the output needs every task of a job before the job is written).
 */
import type { Tier } from '@borealis/core';
import type { JobSubmitRecord, Outcome, TraceRecord } from '../format/record.js';
import { csvRows, num } from './csv-rows.js';
import { ImportSummary } from './import-summary.js';
import { checkInputs, type InputSpec } from './input-check.js';
import { SortedOutput } from './sorted-output.js';

export interface Google2011Options {
  readonly taskEvents: string;
  readonly machineEvents: string;
  readonly out: string;
  /** Absolute capacity of a machine with normalized capacity 1.0. */
  readonly machineCpu: number;
  readonly machineRamMb: number;
  readonly machineDiskMb: number;
}

/** Trace timestamps: 0 means "before the trace window", 2^63−1 "after it". */
const END_OF_TRACE = 2 ** 63 - 1;

interface TaskState {
  submitUs: number;
  runStartUs: number;
  runMs: number;
  ended: Outcome | undefined;
}

interface JobState {
  firstSubmitUs: number;
  user: string;
  priority: number;
  cpu: number;
  ram: number;
  disk: number;
  differentMachines: boolean;
  tasks: Map<number, TaskState>;
}

const END_OUTCOME: Readonly<Record<number, Outcome>> = {
  2: 'killed',
  3: 'failed',
  4: 'finished',
  5: 'killed',
  6: 'failed',
};

export function tierOfPriority(p: number): Tier {
  return p <= 1 ? 'revocable' : p <= 8 ? 'preemptible' : 'preferred';
}

const TASK_EVENT_COLUMNS = [
  'time',
  'missing_info',
  'job_id',
  'task_index',
  'machine_id',
  'event_type',
  'user',
  'scheduling_class',
  'priority',
  'cpu_request',
  'memory_request',
  'disk_request',
  'different_machines',
];
const MACHINE_EVENT_COLUMNS = ['time', 'machine_id', 'event_type', 'platform_id', 'cpus', 'memory'];

export function google2011Inputs(taskEvents: string, machineEvents: string): InputSpec[] {
  return [
    {
      flag: '--task-events',
      path: taskEvents,
      what: 'task_events file',
      columns: TASK_EVENT_COLUMNS,
      header: false,
    },
    {
      flag: '--machine-events',
      path: machineEvents,
      what: 'machine_events file',
      columns: MACHINE_EVENT_COLUMNS,
      header: false,
    },
  ];
}

export async function importGoogle2011(opts: Google2011Options): Promise<ImportSummary> {
  const [tasksIn, machinesIn] = await checkInputs(google2011Inputs(opts.taskEvents, opts.machineEvents));
  const summary = new ImportSummary();
  const out = await SortedOutput.create(opts.out, {
    name: 'google-2011',
    source: `google clusterdata-2011-2: ${opts.machineEvents}, ${opts.taskEvents}`,
  });
  await importMachines(opts, machinesIn!.hasHeader, out, summary);

  const jobs = new Map<string, JobState>();
  let lastUs = 0;
  for await (const row of csvRows(opts.taskEvents, { header: tasksIn!.hasHeader })) {
    summary.rowsRead++;
    const f = row.fields;
    const time = num(f[0]);
    const jobId = f[2];
    const index = num(f[3]);
    const type = num(f[5]);
    if (f.length < 13 || time === undefined || !jobId || index === undefined || type === undefined) {
      summary.skip('task event: malformed row (expected 13 columns)');
      continue;
    }
    if (time >= END_OF_TRACE) {
      summary.skip('task event: after the end of the trace');
      continue;
    }
    lastUs = Math.max(lastUs, time);
    let job = jobs.get(jobId);
    if (type === 0) {
      if (!job) {
        job = {
          firstSubmitUs: time,
          user: f[6] ?? '',
          priority: num(f[8]) ?? 0,
          cpu: 0,
          ram: 0,
          disk: 0,
          differentMachines: false,
          tasks: new Map(),
        };
        jobs.set(jobId, job);
      }
      job.cpu = Math.max(job.cpu, num(f[9]) ?? 0);
      job.ram = Math.max(job.ram, num(f[10]) ?? 0);
      job.disk = Math.max(job.disk, num(f[11]) ?? 0);
      if (f[12] === '1') job.differentMachines = true;
      if (!job.tasks.has(index))
        job.tasks.set(index, { submitUs: time, runStartUs: -1, runMs: 0, ended: undefined });
      continue;
    }
    const task = job?.tasks.get(index);
    if (!task) {
      // Tasks that were already running when the trace began have no SUBMIT in the window.
      summary.skip('task event: task not submitted in the trace');
      continue;
    }
    if (type === 1) {
      task.runStartUs = time;
      task.ended = undefined;
    } else if (END_OUTCOME[type]) {
      if (task.runStartUs >= 0) task.runMs += Math.round((time - task.runStartUs) / 1000);
      task.runStartUs = -1;
      task.ended = END_OUTCOME[type];
    } else if (type !== 7 && type !== 8) {
      summary.skip(`task event: unknown event type ${type}`);
    }
    // 7/8 UPDATE_PENDING / UPDATE_RUNNING change requests; the job keeps its largest request.
  }

  const users = new Map<string, string>();
  for (const [jobId, job] of jobs) {
    for (const r of jobRecords(jobId, job, opts, users, summary)) await out.add(r);
  }
  summary.recordsWritten = await out.close();
  return summary;
}

function* jobRecords(
  jobId: string,
  job: JobState,
  opts: Google2011Options,
  users: Map<string, string>,
  summary: ImportSummary,
): Generator<TraceRecord> {
  // User names are hashes with characters a job key cannot hold: number them in order of appearance.
  let role = users.get(job.user);
  if (!role) {
    role = `u${users.size}`;
    users.set(job.user, role);
  }
  const tier = tierOfPriority(job.priority);
  const ended: TaskState[] = [];
  const running: TaskState[] = [];
  const indices = [...job.tasks.keys()].sort((a, b) => a - b);
  for (const i of indices) {
    const t = job.tasks.get(i)!;
    if (t.ended) ended.push(t);
    else running.push(t);
  }
  let cpu = Math.round(job.cpu * opts.machineCpu * 1000) / 1000;
  if (cpu <= 0) {
    cpu = 0.001;
    summary.adjust('job with no CPU request given 0.001 cpu');
  }
  const base: Omit<JobSubmitRecord, 'job' | 'instances' | 'kind'> = {
    t: Math.floor(job.firstSubmitUs / 1000),
    type: 'job_submit',
    tier,
    priority: job.priority,
    task: {
      cpu,
      ramMb: Math.round(job.ram * opts.machineRamMb),
      diskMb: Math.round(job.disk * opts.machineDiskMb),
      gpus: 0,
      ports: [],
    },
    constraints: job.differentMachines ? { host: 'limit:1' } : {},
    maxTaskFailures: 1,
  };
  const name = `${role}/${tier === 'preferred' ? 'prod' : 'batch'}/j${jobId}`;
  if (ended.length) {
    const outcomes = ended.map((t) => t.ended!);
    yield {
      ...base,
      job: name,
      kind: 'adhoc',
      instances: ended.length,
      durationMs: ended.length === 1 ? ended[0]!.runMs : ended.map((t) => t.runMs),
      ...(outcomes.some((o) => o !== 'finished')
        ? { outcomes: outcomes.length === 1 ? outcomes[0]! : outcomes }
        : {}),
    };
  }
  if (running.length) {
    yield {
      ...base,
      job: ended.length ? `${name}.svc` : name,
      kind: 'service',
      instances: running.length,
      maxTaskFailures: -1,
    };
  }
}

async function importMachines(
  opts: Google2011Options,
  hasHeader: boolean,
  out: SortedOutput,
  summary: ImportSummary,
): Promise<void> {
  const present = new Set<string>();
  for await (const row of csvRows(opts.machineEvents, { header: hasHeader })) {
    summary.rowsRead++;
    const f = row.fields;
    const time = num(f[0]);
    const id = f[1];
    const type = num(f[2]);
    if (f.length !== 6 || time === undefined || !id || type === undefined) {
      summary.skip('machine event: malformed row (expected 6 columns)');
      continue;
    }
    if (time >= END_OF_TRACE) {
      summary.skip('machine event: after the end of the trace');
      continue;
    }
    const host = `m${id}`;
    const t = Math.floor(time / 1000);
    if (type === 0) {
      const cpus = num(f[4]);
      const mem = num(f[5]);
      if (present.has(host)) summary.skip('machine event: ADD of a machine already present');
      else if (cpus === undefined || mem === undefined) summary.skip('machine event: ADD without capacity');
      else {
        present.add(host);
        await out.add({
          t,
          type: 'host_add',
          host,
          cpu: Math.round(cpus * opts.machineCpu * 1000) / 1000,
          ramMb: Math.round(mem * opts.machineRamMb),
          diskMb: opts.machineDiskMb,
          gpus: 0,
          ports: [[31000, 32000]],
          attributes: f[3] ? { platform: f[3] } : {},
        });
      }
    } else if (type === 1) {
      if (!present.has(host)) summary.skip('machine event: REMOVE of a machine not present');
      else {
        present.delete(host);
        await out.add({ t, type: 'host_remove', host });
      }
    } else if (type === 2) {
      summary.skip('machine event: UPDATE (capacity changes are not in trace v1)');
    } else {
      summary.skip(`machine event: unknown event type ${type}`);
    }
  }
}
