import { http } from './processes.js';

interface LaunchRecord {
  readonly taskId: string;
  readonly agentId: string;
}

interface MasterTask {
  readonly id: string;
  readonly state: string;
}

/** The instance a task id belongs to: ids are `role-env-name-INSTANCE-seq` (or `-gG-seq` after restores). */
export function instanceOf(prefix: string, taskId: string): number | undefined {
  if (!taskId.startsWith(prefix)) return undefined;
  const n = Number(taskId.slice(prefix.length).split('-')[0]);
  return Number.isInteger(n) ? n : undefined;
}

export interface Verdict {
  readonly launches: number;
  readonly duplicateLaunches: readonly string[];
  /** Instances with no live task in Mesos. */
  readonly missing: readonly number[];
  /** Instances with more than one live task in Mesos. */
  readonly doubled: readonly number[];
  readonly live: number;
}

const LIVE = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);

/**
 * Judges a job by the emulator's own record (never by the scheduler's store): every accepted launch
 * and every task the master holds. A task id launched twice, an instance with no live task, or one
 * with two, is a failure of the scheduler's durability.
 */
export async function judge(emulatorUrl: string, job: string, instances: number): Promise<Verdict> {
  const prefix = `${job.replaceAll('/', '-')}-`;
  const launches = (await http<LaunchRecord[]>(emulatorUrl, 'GET', '/emulator/v1/launches')).json.filter(
    (l) => l.taskId.startsWith(prefix),
  );
  const seen = new Set<string>();
  const duplicateLaunches: string[] = [];
  for (const l of launches) {
    if (seen.has(l.taskId)) duplicateLaunches.push(l.taskId);
    seen.add(l.taskId);
  }
  const state = await http<{ frameworks: { tasks: MasterTask[] }[] }>(emulatorUrl, 'GET', '/master/state');
  const perInstance = new Map<number, number>();
  let live = 0;
  for (const f of state.json.frameworks) {
    for (const t of f.tasks) {
      if (!LIVE.has(t.state)) continue;
      const i = instanceOf(prefix, t.id);
      if (i === undefined) continue;
      live++;
      perInstance.set(i, (perInstance.get(i) ?? 0) + 1);
    }
  }
  const missing: number[] = [];
  const doubled: number[] = [];
  for (let i = 0; i < instances; i++) {
    const n = perInstance.get(i) ?? 0;
    if (n === 0) missing.push(i);
    if (n > 1) doubled.push(i);
  }
  return { launches: launches.length, duplicateLaunches, missing, doubled, live };
}
