import type { JobConfig } from '../model/job.js';
import type { Resources } from '../model/resources.js';
import type { UpdateInfo } from '../update/update-driver.js';
import type { HostSpec, MaintenanceMode } from './api.js';
import type { Change, StoredTask } from './changes.js';

export interface DurableHost {
  readonly spec: HostSpec;
  readonly up: boolean;
  readonly mode: MaintenanceMode;
}

/**
 * The core's durable state as storage holds it, one store per entity as in Aurora's storage: tasks,
 * jobs (cron included), quotas, hosts with their maintenance, the latest update of each job and the
 * task-id sequence. A snapshot encodes it (snapshot-codec.ts); the change log is replayed onto it
 * (`apply`); the core is recovered from it (`Scheduler.restore`). Map order is meaningful: it is the
 * order the core added hosts and jobs, which recovery keeps.
 */
export class DurableState {
  ids: { next: number; generation: number } = { next: 0, generation: 0 };
  readonly hosts = new Map<string, DurableHost>();
  readonly quotas = new Map<string, Resources>();
  readonly jobs = new Map<string, JobConfig>();
  readonly tasks = new Map<string, StoredTask>();
  readonly updates = new Map<string, UpdateInfo>();

  /** Replays one change of the log. */
  apply(change: Change): void {
    switch (change.kind) {
      case 'task-saved':
        this.tasks.set(change.task.taskId, change.task);
        break;
      case 'task-deleted':
        this.tasks.delete(change.taskId);
        break;
      case 'job-saved':
        this.jobs.set(jobKeyOf(change.job), change.job);
        break;
      case 'job-removed':
        this.jobs.delete(change.job);
        break;
      case 'quota-set':
        this.quotas.set(change.role, change.quota);
        break;
      case 'update-saved':
        this.updates.set(change.update.job, change.update);
        break;
      case 'host-saved': {
        const mode = this.hosts.get(change.host.id)?.mode ?? 'NONE';
        this.hosts.set(change.host.id, { spec: change.host, up: change.up, mode });
        break;
      }
      case 'host-removed':
        this.hosts.delete(change.host);
        break;
      case 'host-maintenance': {
        const host = this.hosts.get(change.host);
        if (host) this.hosts.set(change.host, { ...host, mode: change.mode });
        break;
      }
      case 'ids-advanced':
        this.ids = { next: change.next, generation: change.generation };
        break;
    }
  }

  applyAll(changes: Iterable<Change>): this {
    for (const c of changes) this.apply(c);
    return this;
  }
}

function jobKeyOf(job: JobConfig): string {
  return `${job.key.role}/${job.key.environment}/${job.key.name}`;
}
