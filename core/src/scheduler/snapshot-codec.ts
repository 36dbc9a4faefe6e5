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
 * Tasks as columns, one entry per task in the order the core holds them. Ids are not stored
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

/**
 * [generation, seq] of `id` if it is exactly the id TaskIds gives this job's `instance` (the job's
 * id prefix is `role-env-name-`); undefined otherwise. Parses the tail only: no string is built.
 */
function ownIdParts(id: string, prefix: string, instance: number): [number, number] | undefined {
  if (!id.startsWith(prefix)) return undefined;
  let i = prefix.length;
  const dash = id.indexOf('-', i);
  if (dash < 0 || id.slice(i, dash) !== String(instance)) return undefined;
  i = dash + 1;
  let generation = 0;
  if (id.charCodeAt(i) === 103 /* g */) {
    const end = id.indexOf('-', i);
    if (end < 0) return undefined;
    const g = id.slice(i + 1, end);
    generation = Number(g);
    if (!(generation > 0) || String(generation) !== g) return undefined;
    i = end + 1;
  }
  const s = id.slice(i);
  const seq = Number(s);
  if (!Number.isInteger(seq) || seq < 0 || String(seq) !== s) return undefined;
  return [generation, seq];
}

const prefixOf = (job: string): string => `${job.replaceAll('/', '-')}-`;

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

/**
 * The snapshot of a durable state. `tasks` (default: the state's) may yield one reused object per
 * task (the live core's rows): each is read at once and not kept.
 */
export function encodeSnapshot(
  state: DurableState,
  tasks: Iterable<StoredTask> = state.tasks.values(),
): CoreSnapshot {
  const configs = new ConfigTable();
  const jobs: StoredJobV1[] = [];
  for (const job of state.jobs.values()) jobs.push({ ...job, task: configs.of(job.task) });
  const jobTable = new Table<string>();
  const prefixes: string[] = [];
  const jobKinds: JobKind[] = [];
  const hostTable = new Table<string>();
  const messageTable = new Table<string>();
  const col = (): number[] => [];
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
  let i = -1;
  for (const t of tasks) {
    i++;
    const j = jobTable.of(t.job);
    jobKinds[j] = t.kind;
    let prefix = prefixes[j];
    if (prefix === undefined) {
      prefix = prefixOf(t.job);
      prefixes[j] = prefix;
    }
    const own = ownIdParts(t.taskId, prefix, t.instance);
    if (own === undefined) idOverrides.push([i, t.taskId]);
    const generation = own?.[0] ?? 0;
    const seq = own?.[1] ?? -1;
    c.job[i] = j;
    c.instance[i] = t.instance;
    c.config[i] = configs.of(t.config);
    c.state[i] = STATE_NUMBER.get(t.state)!;
    c.generation[i] = generation;
    c.seq[i] = seq;
    c.since[i] = t.stateSince;
    c.host[i] = t.host === undefined ? -1 : hostTable.of(t.host);
    if (t.host !== undefined) for (const name of t.config.ports) ports.push(t.ports?.[name] ?? -1);
    c.failures[i] = t.failures;
    c.flaps[i] = t.consecutiveFlaps;
    const ancestor = t.ancestorId === undefined ? undefined : ownIdParts(t.ancestorId, prefix, t.instance);
    if (t.ancestorId !== undefined && ancestor === undefined) idOverrides.push([-1 - i, t.ancestorId]);
    c.ancestorSeq[i] = ancestor?.[1] ?? -1;
    c.ancestorGeneration[i] = ancestor?.[0] ?? 0;
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

/** Reads a snapshot back; a snapshot of another format or version is refused with a message. */
export function decodeSnapshot(snapshot: CoreSnapshot, withTasks = true): DurableState {
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
  if (withTasks) for (const row of snapshotRows(snapshot)) state.tasks.set(row.taskId, { ...row });
  return state;
}

/**
 * The tasks of a snapshot, one row at a time, in one reused object (copy it to keep it): recovery
 * puts a million tasks back without building a million intermediate objects.
 */
export function* snapshotRows(snapshot: CoreSnapshot): IterableIterator<StoredTask> {
  const t = snapshot.tasks;
  const configs = snapshot.configs;
  const overrides = new Map(t.idOverrides);
  const prefixes = t.jobs.map(prefixOf);
  const ownId = (j: number, instance: number, generation: number, seq: number) =>
    generation === 0 ? `${prefixes[j]}${instance}-${seq}` : `${prefixes[j]}${instance}-g${generation}-${seq}`;
  // One shape for every task, keys in storedTask's order (absent fields undefined, which JSON drops).
  const row = storedTaskRow(configs[0]!);
  let p = 0;
  for (let i = 0; i < t.job.length; i++) {
    const j = t.job[i]!;
    const instance = t.instance[i]!;
    const config = configs[t.config[i]!]!;
    let ports: Record<string, number> | undefined;
    if (t.host[i]! >= 0) {
      ports = {};
      for (const name of config.ports) ports[name] = t.ports[p++]!;
    }
    const m = t.message[i]!;
    const ancestorSeq = t.ancestorSeq[i]!;
    const before = t.beforePartition[i]!;
    row.taskId = overrides.get(i) ?? ownId(j, instance, t.generation[i]!, t.seq[i]!);
    row.job = t.jobs[j]!;
    row.kind = t.jobKinds[j]!;
    row.instance = instance;
    row.config = config;
    row.state = TASK_STATES[t.state[i]!]!;
    row.stateSince = t.since[i]!;
    row.failures = t.failures[i]!;
    row.consecutiveFlaps = t.flaps[i]!;
    row.message = m >= 0 ? t.messages[m] : undefined;
    row.host = t.host[i]! >= 0 ? t.hosts[t.host[i]!] : undefined;
    row.ports = ports;
    row.ancestorId =
      overrides.get(-1 - i) ??
      (ancestorSeq >= 0 ? ownId(j, instance, t.ancestorGeneration[i]!, ancestorSeq) : undefined);
    row.runningSince = t.runningSince[i]! >= 0 ? t.runningSince[i] : undefined;
    row.notBefore = t.notBefore[i]! !== 0 ? t.notBefore[i] : undefined;
    row.userKill = t.userKill[i] === 1 ? true : undefined;
    row.beforePartition = before >= 0 ? TASK_STATES[before] : undefined;
    row.healthySince = t.healthySince[i]! >= 0 ? t.healthySince[i] : undefined;
    yield row;
  }
}

/** The job key of a stored task, as restore needs it. */
export const jobKeyOfTask = (t: StoredTask) => {
  const key = parseJobKey(t.job);
  if (!key.ok) throw new Error(`stored task ${t.taskId}: bad job key ${t.job}`);
  return key.value;
};

/** A writable task row with every key present, in storedTask's order, for loops that reuse one row per task. */
export function storedTaskRow(config: StoredTask['config']): {
  -readonly [K in keyof StoredTask]: StoredTask[K];
} {
  return {
    taskId: '',
    job: '',
    kind: 'service',
    instance: 0,
    config,
    state: 'PENDING',
    stateSince: 0,
    failures: 0,
    consecutiveFlaps: 0,
    message: undefined,
    host: undefined,
    ports: undefined,
    ancestorId: undefined,
    runningSince: undefined,
    notBefore: undefined,
    userKill: undefined,
    beforePartition: undefined,
    healthySince: undefined,
  };
}
