import type {
  Effect,
  HostSpec,
  JobConfig,
  JobKey,
  ReportedState,
  Scheduler,
  SchedulerOptions,
  StepResult,
  TaskEvent,
  TaskState,
} from '@borealis/core';
import { formatJobKey, ok } from '@borealis/core';

const NO_CHANGES: StepResult['changes'] = [];
const NO_STEP: StepResult = { changes: NO_CHANGES, effects: [] };

/**
 * The "null policy" baseline of the sim benchmark: a scheduler that makes no decisions worth the
 * name. It places every pending task on the next host in turn, with no feasibility checks, no
 * queue order, no preemption. Driving it measures what the simulator itself costs (trace reading,
 * event engine, simulated cluster, metrics, output) so the real core's share can be read off by
 * difference. It exists only in bench/ and never ships as a simulator option.
 *
 * It must itself cost next to nothing, or the baseline overstates the simulator: a host failure
 * visits only that host's tasks (not every live task), a job's list of tasks goes once its last
 * task ended (not kept for the whole run), and there is one object per live task.
 */
export function nullScheduler(o: SchedulerOptions): Scheduler {
  return new NullScheduler(o) as unknown as Scheduler;
}

/** The tasks of a job's latest submission, by instance; dropped once none of them is live. */
interface JobTasks {
  readonly ids: string[];
  live: number;
}

class NullTask {
  state: TaskState = 'INIT';
  host: string | undefined = undefined;
  /** Index of the host in NullScheduler.hosts (-1: not placed). */
  hostIndex = -1;
  /** The host's list of live tasks, linked through the tasks themselves (no Set to hash into). */
  prevOnHost: NullTask | undefined = undefined;
  nextOnHost: NullTask | undefined = undefined;
  constructor(
    readonly id: string,
    readonly job: string,
    readonly instance: number,
    readonly config: JobConfig,
    readonly entry: JobTasks,
    /** Creation order: a failed host's tasks are reported LOST in this order. */
    readonly seq: number,
  ) {}
}

/** Launch effects carry no ports: one shared empty object rather than a fresh one per launch. */
const NO_PORTS: Readonly<Record<string, number>> = Object.freeze({});

function ended(state: TaskState): boolean {
  return state === 'FINISHED' || state === 'FAILED' || state === 'KILLED' || state === 'LOST';
}

class NullScheduler {
  private readonly hosts: string[] = [];
  private readonly hostIndex = new Map<string, number>();
  /** Ids reported down or removed (hostCounts() counts them, known hosts or not). */
  private readonly down = new Set<string>();
  /** Per host index: 1 while down; and its live tasks. */
  private readonly downFlag: number[] = [];
  private readonly onHost: (NullTask | undefined)[] = [];
  /**
   * Live tasks by creation number (seq - 1), which ends every task id: taskStatus() reads the
   * number off the id instead of hashing it into a Map of every live task.
   */
  private readonly bySeq: (NullTask | undefined)[] = [];
  private readonly byJob = new Map<string, JobTasks>();
  private pending: NullTask[] = [];
  private readonly listeners: ((e: TaskEvent) => void)[] = [];
  private effects: Effect[] = [];
  private next = 0;
  private ids = 0;

  constructor(private readonly o: SchedulerOptions) {}

  private emit(t: NullTask, state: TaskState): void {
    t.state = state;
    const e: TaskEvent = {
      time: this.o.clock.now(),
      taskId: t.id,
      job: t.job,
      instance: t.instance,
      state,
      host: t.host,
    };
    for (let i = 0; i < this.listeners.length; i++) this.listeners[i]!(e);
    if (ended(state)) {
      this.bySeq[t.seq - 1] = undefined;
      if (t.hostIndex >= 0) this.unlink(t);
      if (--t.entry.live === 0 && this.byJob.get(t.job) === t.entry) this.byJob.delete(t.job);
    }
  }

  private unlink(t: NullTask): void {
    const { prevOnHost: prev, nextOnHost: next } = t;
    if (prev !== undefined) prev.nextOnHost = next;
    else this.onHost[t.hostIndex] = next;
    if (next !== undefined) next.prevOnHost = prev;
    t.prevOnHost = undefined;
    t.nextOnHost = undefined;
  }

  addHost(spec: HostSpec): void {
    this.hostIndex.set(spec.id, this.hosts.length);
    this.hosts.push(spec.id);
    this.downFlag.push(0);
    this.onHost.push(undefined);
  }

  hostDown(id: string): void {
    this.down.add(id);
    const h = this.hostIndex.get(id);
    if (h === undefined) return;
    this.downFlag[h] = 1;
    // Every live task on the host is lost, in the order the tasks were created.
    const lost: NullTask[] = [];
    for (let t = this.onHost[h]; t !== undefined; t = t.nextOnHost) lost.push(t);
    lost.sort((a, b) => a.seq - b.seq);
    for (const t of lost) this.emit(t, 'LOST');
  }

  hostUp(id: string): void {
    this.down.delete(id);
    const h = this.hostIndex.get(id);
    if (h !== undefined) this.downFlag[h] = 0;
  }

  removeHost(id: string): void {
    this.hostDown(id);
  }

  setQuota(): void {}
  setMaintenance(): void {}

  submitJob(config: JobConfig) {
    const job = formatJobKey(config.key);
    const entry: JobTasks = { ids: [], live: config.instances };
    for (let i = 0; i < config.instances; i++) {
      const id = `${job}/${i}/${++this.ids}`;
      const t = new NullTask(id, job, i, config, entry, this.ids);
      this.bySeq.push(t);
      entry.ids.push(id);
      this.pending.push(t);
      this.emit(t, 'PENDING');
    }
    if (entry.live > 0) this.byJob.set(job, entry);
    else this.byJob.delete(job);
    return ok({ taskIds: entry.ids });
  }

  killJob(key: JobKey, instances?: readonly number[]) {
    const list = this.byJob.get(formatJobKey(key))?.ids ?? [];
    // The list is indexed by instance: a recorded kill of one instance must not scan the job
    // (that made large jobs quadratic and the baseline slower than what it measures).
    const ids = instances ? [...new Set(instances)].sort((a, b) => a - b).map((i) => list[i]) : list;
    let killed = 0;
    for (const id of ids) {
      const t = id === undefined ? undefined : this.live(id);
      if (t === undefined) continue;
      killed++;
      if (t.host === undefined) this.emit(t, 'KILLED');
      else this.effects.push({ kind: 'kill', taskId: t.id, host: t.host, reason: 'user' });
    }
    return ok({ killed });
  }

  taskStatus(id: string, state: ReportedState): void {
    const t = this.live(id);
    if (t) this.emit(t, state);
  }

  /** The live task with this id: its number is the id's last segment (checked against the id). */
  private live(id: string): NullTask | undefined {
    let n = 0;
    let scale = 1;
    for (let i = id.length - 1; i >= 0; i--) {
      const c = id.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      n += c * scale;
      scale *= 10;
    }
    const t = n > 0 ? this.bySeq[n - 1] : undefined;
    return t !== undefined && t.id === id ? t : undefined;
  }

  tick(): void {
    const hosts = this.hosts;
    const pending = this.pending;
    this.pending = [];
    for (const t of pending) {
      if (t.state !== 'PENDING') continue;
      // No host at all: the task is "placed" nowhere (host undefined), as it always was.
      let h = hosts.length === 0 ? -1 : this.next++ % hosts.length;
      for (let tries = 0; h >= 0 && this.downFlag[h] === 1 && tries < hosts.length; tries++)
        h = this.next++ % hosts.length;
      if (h >= 0) {
        t.host = hosts[h];
        t.hostIndex = h;
        const head = this.onHost[h];
        t.nextOnHost = head;
        if (head !== undefined) head.prevOnHost = t;
        this.onHost[h] = t;
      } else this.next++;
      this.emit(t, 'ASSIGNED');
      this.effects.push({
        kind: 'launch',
        taskId: t.id,
        job: t.job,
        instance: t.instance,
        host: t.host!,
        ports: NO_PORTS,
        config: t.config.task,
      });
    }
  }

  nextWakeup(): number | undefined {
    return this.pending.length > 0 ? this.o.clock.now() : undefined;
  }

  takeEffects(): Effect[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }

  takeStep(): StepResult {
    if (this.effects.length === 0) return NO_STEP;
    return { changes: NO_CHANGES, effects: this.takeEffects() };
  }

  onTaskEvent(l: (e: TaskEvent) => void): void {
    this.listeners.push(l);
  }
  /** The job's live tasks (the trace applier asks whether an ended job can be forgotten). */
  activeTasks(key: JobKey): readonly string[] {
    const entry = this.byJob.get(formatJobKey(key));
    if (!entry || entry.live === 0) return [];
    return entry.ids.filter((id) => this.live(id) !== undefined);
  }

  updateInfo(): undefined {
    return undefined;
  }

  onPreemption(): void {}
  onUpdateEvent(): void {}
  onMaintenanceEvent(): void {}

  lifecycleCounters() {
    return {
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
    };
  }

  pendingReasonTotals(): Record<string, number> {
    return {};
  }

  hostCounts() {
    return { total: this.hosts.length, usable: this.hosts.length - this.down.size };
  }
}
