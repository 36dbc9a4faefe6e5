/** One job's live tasks by instance number. */
class JobInstances {
  /**
   * Instance → its live task's id, or the ids (oldest first) while a replacement overlaps the old
   * run. A dense array by instance number: instances run 0 … n-1, and a bare string for the common
   * single task saves an array per task.
   */
  readonly tasks: (string | string[] | undefined)[] = [];
  /** Instances with at least one live task. */
  live = 0;
}

/**
 * Live tasks by job and instance. The store indexes tasks by job; updates, restarts and cron
 * need one instance's tasks, and scanning a 4,000-instance job per instance step would make an
 * update quadratic. Usually one task per instance; briefly two while a replacement waits for the
 * old task to die. (Was a Map of Maps of arrays: 0.38 s self for ~180k removals in a 4 h 10k-host
 * google-2011 profile, most of it Map rehashing as jobs emptied.)
 */
export class InstanceIndex {
  private readonly jobs = new Map<string, JobInstances>();

  add(job: string, instance: number, taskId: string): void {
    let entry = this.jobs.get(job);
    if (!entry) {
      entry = new JobInstances();
      this.jobs.set(job, entry);
    }
    const tasks = entry.tasks;
    // Grown by push so the array stays packed (no holes).
    while (tasks.length <= instance) tasks.push(undefined);
    const ids = tasks[instance];
    if (ids === undefined) {
      tasks[instance] = taskId;
      entry.live++;
    } else if (typeof ids === 'string') {
      if (ids !== taskId) tasks[instance] = [ids, taskId];
    } else if (!ids.includes(taskId)) ids.push(taskId);
  }

  remove(job: string, instance: number, taskId: string): void {
    const entry = this.jobs.get(job);
    if (!entry) return;
    const tasks = entry.tasks;
    const ids = tasks[instance];
    if (ids === undefined) return;
    if (typeof ids === 'string') {
      if (ids !== taskId) return;
      tasks[instance] = undefined;
      if (--entry.live === 0) this.jobs.delete(job);
      return;
    }
    const i = ids.indexOf(taskId);
    if (i === -1) return;
    ids.splice(i, 1);
    if (ids.length === 1) tasks[instance] = ids[0];
  }

  tasksOf(job: string, instance: number): readonly string[] {
    const ids = this.jobs.get(job)?.tasks[instance];
    if (ids === undefined) return [];
    return typeof ids === 'string' ? [ids] : ids;
  }

  /** Live instances of the job, ascending. */
  instancesOf(job: string): number[] {
    const entry = this.jobs.get(job);
    if (!entry) return [];
    const out: number[] = [];
    const tasks = entry.tasks;
    for (let i = 0; i < tasks.length; i++) if (tasks[i] !== undefined) out.push(i);
    return out;
  }

  hasLive(job: string): boolean {
    return this.jobs.has(job);
  }
}
