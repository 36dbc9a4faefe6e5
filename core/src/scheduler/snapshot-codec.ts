import type { JobConfig } from '../model/job.js';
import { parseJobKey } from '../model/job-key.js';
import type { Resources } from '../model/resources.js';
import type { TaskConfig } from '../model/task-config.js';
import { TASK_STATES, type TaskState } from '../model/task-state.js';
import type { JobKind } from '../model/tier.js';
import type { UpdateInfo } from '../update/update-driver.js';
import type { StoredTask } from './changes.js';
import { type DurableHost, DurableState } from './durable-state.js';

export const SNAPSHOT_FORMAT = 'borealis-core-snapshot';
export const SNAPSHOT_VERSION = 1;

/**
 * Tasks as columns, one entry per task in id order (generation, then sequence). Ids are not stored
 * but rebuilt from job, instance, generation and sequence (`idOverrides` holds any id that does not
 * follow that pattern); configs, jobs, hosts and messages are tables referred to by index; -1 means
 * "none". Columns of small numbers compress far better than a million task objects.
 */
export interface TaskColumnsV1 {
  readonly jobs: readonly string[];
  readonly jobKinds: readonly JobKind[];
  readonly hosts: readonly string[];
  readonly messages: readonly string[];
  readonly job: readonly number[];
  readonly instance: readonly number[];
  readonly config: readonly number[];
  readonly state: readonly number[];
  readonly generation: readonly number[];
  readonly seq: readonly number[];
  readonly since: readonly number[];
  readonly host: readonly number[];
  /** The task's ports in its config's port order, tasks with a host only, one after another. */
  readonly ports: readonly number[];
  readonly failures: readonly number[];
  readonly flaps: readonly number[];
  /** Sequence number of the task this one replaces (same job and instance), -1 if none. */
  readonly ancestorSeq: readonly number[];
  readonly ancestorGeneration: readonly number[];
  readonly runningSince: readonly number[];
  readonly notBefore: readonly number[];
  readonly userKill: readonly number[];
  readonly beforePartition: readonly number[];
  readonly message: readonly number[];
  readonly healthySince: readonly number[];
  /** [row, id] for ids that do not follow `role-env-name-instance[-gG]-seq`. */
  readonly idOverrides: readonly (readonly [number, string])[];
}

/** A job with its task config given as an index into `configs`. */
export type StoredJobV1 = Omit<JobConfig, 'task'> & { readonly task: number };

/** The versioned, JSON-compatible image of the core's durable state. */
export interface CoreSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SNAPSHOT_VERSION;
  readonly ids: { readonly next: number; readonly generation: number };
  readonly hosts: readonly DurableHost[];
  readonly quotas: readonly (readonly [string, Resources])[];
  /** Every distinct task config once; jobs and tasks refer to them by index. */
  readonly configs: readonly TaskConfig[];
  readonly jobs: readonly StoredJobV1[];
  readonly updates: readonly UpdateInfo[];
  readonly tasks: TaskColumnsV1;
}

const STATE_NUMBER = new Map<TaskState, number>(TASK_STATES.map((s, i) => [s, i]));

/** The id the core's TaskIds gives this task (store/ids.ts). */
export function taskIdOf(job: string, instance: number, generation: number, seq: number): string {
  const prefix = job.replaceAll('/', '-');
  return generation === 0 ? `${prefix}-${instance}-${seq}` : `${prefix}-${instance}-g${generation}-${seq}`;
}

/** [generation, seq] read off an id of the core's pattern, or undefined. */
function idParts(id: string): [number, number] | undefined {
  const last = id.lastIndexOf('-');
  const seq = Number(id.slice(last + 1));
  if (last < 0 || !Number.isInteger(seq)) return undefined;
  const before = id.lastIndexOf('-', last - 1);
  const g = id.slice(before + 1, last);
  if (g.startsWith('g')) {
    const generation = Number(g.slice(1));
    if (Number.isInteger(generation) && generation > 0) return [generation, seq];
  }
  return [0, seq];
}

/** A table that hands out indexes for values, first come first numbered. */
class Table<T> {
  readonly values: T[] = [];
  private readonly index = new Map<T, number>();
  of(value: T): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

/** Configs by reference, and equal configs by content, once each. */
class ConfigTable {
  readonly values: TaskConfig[] = [];
  private readonly byRef = new Map<TaskConfig, number>();
  private readonly byContent = new Map<string, number>();
  of(config: TaskConfig): number {
    let i = this.byRef.get(config);
    if (i !== undefined) return i;
    const key = JSON.stringify(config);
    i = this.byContent.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(config);
      this.byContent.set(key, i);
    }
    this.byRef.set(config, i);
    return i;
  }
}

export function encodeSnapshot(state: DurableState): CoreSnapshot {
  const configs = new ConfigTable();
  const jobs: StoredJobV1[] = [];
  for (const job of state.jobs.values()) jobs.push({ ...job, task: configs.of(job.task) });
  const ordered = orderTasks(state.tasks.values());
  const n = ordered.length;
  const jobTable = new Table<string>();
  const jobKinds: JobKind[] = [];
  const hostTable = new Table<string>();
  const messageTable = new Table<string>();
  const col = () => new Array<number>(n);
  const c = {
    job: col(),
    instance: col(),
    config: col(),
    state: col(),
    generation: col(),
    seq: col(),
    since: col(),
    host: col(),
    failures: col(),
    flaps: col(),
    ancestorSeq: col(),
    ancestorGeneration: col(),
    runningSince: col(),
    notBefore: col(),
    userKill: col(),
    beforePartition: col(),
    message: col(),
    healthySince: col(),
  };
  const ports: number[] = [];
  const idOverrides: [number, string][] = [];
  for (let i = 0; i < n; i++) {
    const { task: t, generation, seq } = ordered[i]!;
    const j = jobTable.of(t.job);
    jobKinds[j] = t.kind;
    c.job[i] = j;
    c.instance[i] = t.instance;
    c.config[i] = configs.of(t.config);
    c.state[i] = STATE_NUMBER.get(t.state)!;
    c.generation[i] = generation;
    c.seq[i] = seq;
    if (taskIdOf(t.job, t.instance, generation, seq) !== t.taskId) idOverrides.push([i, t.taskId]);
    c.since[i] = t.stateSince;
    c.host[i] = t.host === undefined ? -1 : hostTable.of(t.host);
    if (t.host !== undefined) for (const name of t.config.ports) ports.push(t.ports?.[name] ?? -1);
    c.failures[i] = t.failures;
    c.flaps[i] = t.consecutiveFlaps;
    const ancestor = t.ancestorId === undefined ? undefined : idParts(t.ancestorId);
    const ancestorOk =
      ancestor !== undefined && taskIdOf(t.job, t.instance, ancestor[0], ancestor[1]) === t.ancestorId;
    if (t.ancestorId !== undefined && !ancestorOk) idOverrides.push([-1 - i, t.ancestorId]);
    c.ancestorSeq[i] = ancestorOk ? ancestor![1] : -1;
    c.ancestorGeneration[i] = ancestorOk ? ancestor![0] : 0;
    c.runningSince[i] = t.runningSince ?? -1;
    c.notBefore[i] = t.notBefore ?? 0;
    c.userKill[i] = t.userKill ? 1 : 0;
    c.beforePartition[i] = t.beforePartition === undefined ? -1 : STATE_NUMBER.get(t.beforePartition)!;
    c.message[i] = t.message === undefined ? -1 : messageTable.of(t.message);
    c.healthySince[i] = t.healthySince ?? -1;
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    ids: { ...state.ids },
    hosts: [...state.hosts.values()],
    quotas: [...state.quotas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    configs: configs.values,
    jobs,
    updates: [...state.updates.values()].sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0)),
    tasks: {
      jobs: jobTable.values,
      jobKinds,
      hosts: hostTable.values,
      messages: messageTable.values,
      ports,
      idOverrides,
      ...c,
    },
  };
}

/** Orders task ids as the core issued them: generation, then sequence (other ids last, by text). */
export function compareIds(a: string, b: string): number {
  const pa = idParts(a) ?? [Number.MAX_SAFE_INTEGER, -1];
  const pb = idParts(b) ?? [Number.MAX_SAFE_INTEGER, -1];
  if (pa[0] !== pb[0]) return pa[0] - pb[0];
  if (pa[1] !== pb[1]) return pa[1] - pb[1];
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Tasks in id order: generation, then sequence (ids of other patterns last, by id). */
function orderTasks(tasks: Iterable<StoredTask>): { task: StoredTask; generation: number; seq: number }[] {
  const out: { task: StoredTask; generation: number; seq: number }[] = [];
  for (const task of tasks) {
    const parts = idParts(task.taskId) ?? [Number.MAX_SAFE_INTEGER, -1];
    out.push({ task, generation: parts[0], seq: parts[1] });
  }
  out.sort((a, b) =>
    a.generation !== b.generation
      ? a.generation - b.generation
      : a.seq !== b.seq
        ? a.seq - b.seq
        : a.task.taskId < b.task.taskId
          ? -1
          : 1,
  );
  return out;
}

/** Reads a snapshot back; a snapshot of another format or version is refused with a message. */
export function decodeSnapshot(snapshot: CoreSnapshot): DurableState {
  if (snapshot.format !== SNAPSHOT_FORMAT) throw new Error(`not a core snapshot (format ${snapshot.format})`);
  if (snapshot.version !== SNAPSHOT_VERSION)
    throw new Error(
      `core snapshot version ${snapshot.version} is not supported (this core reads ${SNAPSHOT_VERSION})`,
    );
  const state = new DurableState();
  state.ids = { ...snapshot.ids };
  for (const h of snapshot.hosts) state.hosts.set(h.spec.id, h);
  for (const [role, quota] of snapshot.quotas) state.quotas.set(role, quota);
  const configs = snapshot.configs;
  for (const job of snapshot.jobs) {
    const config: JobConfig = { ...job, key: job.key, task: configs[job.task]! };
    state.jobs.set(`${job.key.role}/${job.key.environment}/${job.key.name}`, config);
  }
  for (const u of snapshot.updates) state.updates.set(u.job, u);
  const t = snapshot.tasks;
  const overrides = new Map(t.idOverrides);
  let p = 0;
  for (let i = 0; i < t.job.length; i++) {
    const job = t.jobs[t.job[i]!]!;
    const instance = t.instance[i]!;
    const config = configs[t.config[i]!]!;
    const taskId = overrides.get(i) ?? taskIdOf(job, instance, t.generation[i]!, t.seq[i]!);
    const out: { -readonly [K in keyof StoredTask]: StoredTask[K] } = {
      taskId,
      job,
      kind: t.jobKinds[t.job[i]!]!,
      instance,
      config,
      state: TASK_STATES[t.state[i]!]!,
      stateSince: t.since[i]!,
      failures: t.failures[i]!,
      consecutiveFlaps: t.flaps[i]!,
    };
    if (t.message[i]! >= 0) out.message = t.messages[t.message[i]!]!;
    if (t.host[i]! >= 0) {
      out.host = t.hosts[t.host[i]!]!;
      const ports: Record<string, number> = {};
      for (const name of config.ports) ports[name] = t.ports[p++]!;
      out.ports = ports;
    }
    const ancestor = overrides.get(-1 - i);
    if (ancestor !== undefined) out.ancestorId = ancestor;
    else if (t.ancestorSeq[i]! >= 0)
      out.ancestorId = taskIdOf(job, instance, t.ancestorGeneration[i]!, t.ancestorSeq[i]!);
    if (t.runningSince[i]! >= 0) out.runningSince = t.runningSince[i]!;
    if (t.notBefore[i]! !== 0) out.notBefore = t.notBefore[i]!;
    if (t.userKill[i] === 1) out.userKill = true;
    if (t.beforePartition[i]! >= 0) out.beforePartition = TASK_STATES[t.beforePartition[i]!]!;
    if (t.healthySince[i]! >= 0) out.healthySince = t.healthySince[i]!;
    state.tasks.set(taskId, out);
  }
  return state;
}

/** The job key of a stored task, as restore needs it. */
export const jobKeyOfTask = (t: StoredTask) => {
  const key = parseJobKey(t.job);
  if (!key.ok) throw new Error(`stored task ${t.taskId}: bad job key ${t.job}`);
  return key.value;
};
