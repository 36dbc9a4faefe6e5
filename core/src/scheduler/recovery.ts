import { parseCrontab } from '../cron/crontab.js';
import type { JobKey } from '../model/job-key.js';
import type { UpdateDriver } from '../update/update-driver.js';
import type { RestoreOptions } from './api.js';
import { type StoredTask, storedTask } from './changes.js';
import { DurableState } from './durable-state.js';
import type { HostLifecycle } from './host-lifecycle.js';
import type { SchedulerParts } from './scheduler-parts.js';
import {
  type CoreSnapshot,
  compareIds,
  decodeSnapshot,
  encodeSnapshot,
  jobKeyOfTask,
  snapshotRows,
  storedTaskRow,
} from './snapshot-codec.js';
import type { StateChanges } from './state-changes.js';

/**
 * The core's durable state out (durableState, snapshot) and back in (restore into a fresh core):
 * hosts, quotas, jobs and cron schedules, updates as history, and every task at its state with
 * its indexes rebuilt (StateChanges.adopt), emitting no event and no effect.
 */
export class Recovery {
  constructor(
    private readonly parts: SchedulerParts,
    private readonly hosts: HostLifecycle,
    private readonly changes: StateChanges,
    private readonly updates: UpdateDriver,
  ) {}

  durableState(): DurableState {
    const state = this.durableHeader();
    for (const t of this.parts.store.all()) {
      state.tasks.set(t.id, storedTask(t, undefined, this.parts.health.healthySinceOfSlot(t.slot)));
    }
    return state;
  }

  /** Every durable entity but the tasks. */
  private durableHeader(): DurableState {
    const { ids, quotas, jobs } = this.parts;
    const state = new DurableState();
    state.ids = { next: ids.next, generation: ids.generation };
    for (const h of this.hosts.presentHosts()) state.hosts.set(h.spec.id, h);
    for (const role of quotas.roles()) state.quotas.set(role, quotas.usage(role).quota!);
    for (const [key, job] of jobs) state.jobs.set(key, job);
    for (const job of this.updates.jobsWithUpdates()) state.updates.set(job, this.updates.latestUpdate(job)!);
    return state;
  }

  snapshot(): CoreSnapshot {
    return encodeSnapshot(this.durableHeader(), this.liveRows());
  }

  /** The live tasks as stored tasks, in one reused object (encodeSnapshot reads each at once). */
  private *liveRows(): IterableIterator<StoredTask> {
    const health = this.parts.health;
    const row = storedTaskRow(undefined as unknown as StoredTask['config']);
    for (const t of this.parts.store.all()) {
      row.taskId = t.id;
      row.job = t.job;
      row.kind = t.kind;
      row.instance = t.instance;
      row.config = t.config;
      row.state = t.state;
      row.stateSince = t.stateSince;
      row.failures = t.failureCount;
      row.consecutiveFlaps = t.consecutiveFlaps;
      row.host = t.host;
      row.ports = t.ports;
      row.ancestorId = t.ancestorId;
      row.runningSince = t.runningSince;
      row.notBefore = t.notBefore === 0 ? undefined : t.notBefore;
      row.userKill = t.userKill ? true : undefined;
      row.beforePartition = t.beforePartition;
      row.healthySince = health.healthySinceOfSlot(t.slot);
      yield row;
    }
  }

  restore(from: CoreSnapshot | DurableState, options: RestoreOptions = {}): void {
    const { store, inventory, ids, quotas, jobs, cron, clock, recorder } = this.parts;
    if (store.size > 0 || inventory.hostCount > 0 || jobs.size > 0)
      throw new Error('restore needs a fresh core (no hosts, jobs or tasks yet)');
    const state = from instanceof DurableState ? from : decodeSnapshot(from, false);
    const rows = from instanceof DurableState ? from.tasks.values() : snapshotRows(from);
    ids.restoreFrom(state.ids, options.generation);
    for (const h of state.hosts.values()) this.hosts.restoreHost(h.spec, h.up, h.mode);
    for (const [role, quota] of state.quotas) quotas.setQuota(role, quota);
    for (const [key, job] of state.jobs) {
      jobs.set(key, job);
      if (job.kind === 'cron' && job.cron) {
        const tab = parseCrontab(job.cron.schedule);
        if (tab.ok) cron.schedule(key, tab.value, job.cron.collisionPolicy, clock.now());
      }
    }
    for (const u of state.updates.values()) this.updates.restoreLatest(u);
    // PENDING tasks join the queue last, in the order they became pending; the rest in storage order.
    const pending: StoredTask[] = [];
    const keys = new Map<string, JobKey>();
    const put = (t: StoredTask) => {
      let key = keys.get(t.job);
      if (key === undefined) {
        key = jobKeyOfTask(t);
        keys.set(t.job, key);
      }
      this.changes.adopt(store.restore(t, key), t.healthySince);
    };
    for (const t of rows) {
      // Rows of a snapshot share one object: a pending one is copied to be put back later.
      if (t.state === 'PENDING') pending.push({ ...t });
      else put(t);
    }
    pending.sort(pendingOrder);
    for (const t of pending) put(t);
    // What recovery rebuilt is what storage already holds: only the new id generation is news.
    recorder.reset();
    if (recorder.on) recorder.add({ kind: 'ids-advanced', next: ids.next, generation: ids.generation });
  }
}

/** PENDING tasks by the time they became pending, then in id order. */
function pendingOrder(a: StoredTask, b: StoredTask): number {
  if (a.stateSince !== b.stateSince) return a.stateSince - b.stateSince;
  return compareIds(a.taskId, b.taskId);
}
