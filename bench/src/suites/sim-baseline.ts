import type {
  Effect,
  JobConfig,
  ReportedState,
  Scheduler,
  SchedulerOptions,
  TaskEvent,
  TaskState,
} from '@borealis/core';
import { formatJobKey, ok } from '@borealis/core';

/**
 * The "null policy" baseline of the sim benchmark: a scheduler that makes no decisions worth the
 * name. It places every pending task on the next host in turn, with no feasibility checks, no
 * queue order, no preemption. Driving it measures what the simulator itself costs (trace reading,
 * event engine, simulated cluster, metrics, output) so the real core's share can be read off by
 * difference. It exists only in bench/ and never ships as a simulator option.
 */
export function nullScheduler(o: SchedulerOptions): Scheduler {
  const hosts: string[] = [];
  const down = new Set<string>();
  interface T {
    job: string;
    instance: number;
    state: TaskState;
    host?: string;
    config: JobConfig;
  }
  const tasks = new Map<string, T>();
  const byJob = new Map<string, string[]>();
  let pending: string[] = [];
  const listeners: ((e: TaskEvent) => void)[] = [];
  let effects: Effect[] = [];
  let next = 0;
  let ids = 0;
  const emit = (id: string, t: T, state: TaskState): void => {
    t.state = state;
    const e: TaskEvent = {
      time: o.clock.now(),
      taskId: id,
      job: t.job,
      instance: t.instance,
      state,
      host: t.host,
    };
    for (const l of listeners) l(e);
    if (state === 'FINISHED' || state === 'FAILED' || state === 'KILLED' || state === 'LOST')
      tasks.delete(id);
  };
  const s: Partial<Scheduler> = {
    addHost: (spec) => void hosts.push(spec.id),
    hostDown: (id) => {
      down.add(id);
      for (const [tid, t] of tasks) if (t.host === id) emit(tid, t, 'LOST');
    },
    hostUp: (id) => void down.delete(id),
    removeHost: (id) => {
      down.add(id);
      for (const [tid, t] of tasks) if (t.host === id) emit(tid, t, 'LOST');
    },
    setQuota: () => {},
    setMaintenance: () => {},
    submitJob: (config) => {
      const job = formatJobKey(config.key);
      const list: string[] = [];
      for (let i = 0; i < config.instances; i++) {
        const id = `${job}/${i}/${++ids}`;
        const t: T = { job, instance: i, state: 'INIT', config };
        tasks.set(id, t);
        list.push(id);
        pending.push(id);
        emit(id, t, 'PENDING');
      }
      byJob.set(job, list);
      return ok({ taskIds: list });
    },
    killJob: (key, instances) => {
      const wanted = instances ? new Set(instances) : undefined;
      let killed = 0;
      const list = byJob.get(formatJobKey(key)) ?? [];
      // The list is indexed by instance: a recorded kill of one instance must not scan the job
      // (that made large jobs quadratic and the baseline slower than what it measures).
      const ids = wanted ? [...wanted].sort((a, b) => a - b).map((i) => list[i]) : list;
      for (const id of ids) {
        const t = id === undefined ? undefined : tasks.get(id);
        if (!t || id === undefined) continue;
        killed++;
        if (t.host === undefined) emit(id, t, 'KILLED');
        else effects.push({ kind: 'kill', taskId: id, host: t.host, reason: 'user' });
      }
      return ok({ killed });
    },
    taskStatus: (id, state: ReportedState) => {
      const t = tasks.get(id);
      if (t) emit(id, t, state);
    },
    tick: () => {
      for (const id of pending) {
        const t = tasks.get(id);
        if (t?.state !== 'PENDING') continue;
        let host = hosts[next++ % hosts.length]!;
        for (let tries = 0; down.has(host) && tries < hosts.length; tries++)
          host = hosts[next++ % hosts.length]!;
        t.host = host;
        emit(id, t, 'ASSIGNED');
        effects.push({
          kind: 'launch',
          taskId: id,
          job: t.job,
          instance: t.instance,
          host,
          ports: {},
          config: t.config.task,
        });
      }
      pending = [];
    },
    nextWakeup: () => (pending.length > 0 ? o.clock.now() : undefined),
    takeEffects: () => {
      const out = effects;
      effects = [];
      return out;
    },
    onTaskEvent: (l) => void listeners.push(l),
    onPreemption: () => {},
    onUpdateEvent: () => {},
    onMaintenanceEvent: () => {},
    lifecycleCounters: () => ({
      updates: {
        started: 0,
        rolledForward: 0,
        rolledBack: 0,
        failed: 0,
        aborted: 0,
        meanDurationMs: 0,
        restarts: 0,
      },
      cron: { triggers: 0, runs: 0, collisions: 0 },
      maintenance: { hostsDrained: 0, slaDelayedKills: 0, forcedKills: 0 },
    }),
    pendingReasonTotals: () => ({}),
    hostCounts: () => ({ total: hosts.length, usable: hosts.length - down.size }),
  };
  return s as Scheduler;
}
