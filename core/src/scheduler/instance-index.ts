/**
 * Live tasks by job and instance. The store indexes tasks by job; updates, restarts and cron
 * need one instance's tasks, and scanning a 4,000-instance job per instance step would make an
 * update quadratic. Usually one task per instance; briefly two while a replacement waits for the
 * old task to die.
 */
export class InstanceIndex {
  private readonly jobs = new Map<string, Map<number, string[]>>();

  add(job: string, instance: number, taskId: string): void {
    let instances = this.jobs.get(job);
    if (!instances) {
      instances = new Map();
      this.jobs.set(job, instances);
    }
    const ids = instances.get(instance);
    if (!ids) instances.set(instance, [taskId]);
    else if (!ids.includes(taskId)) ids.push(taskId);
  }

  remove(job: string, instance: number, taskId: string): void {
    const instances = this.jobs.get(job);
    const ids = instances?.get(instance);
    if (!instances || !ids) return;
    const i = ids.indexOf(taskId);
    if (i === -1) return;
    ids.splice(i, 1);
    if (ids.length === 0) {
      instances.delete(instance);
      if (instances.size === 0) this.jobs.delete(job);
    }
  }

  tasksOf(job: string, instance: number): readonly string[] {
    return this.jobs.get(job)?.get(instance) ?? [];
  }

  /** Live instances of the job, ascending. */
  instancesOf(job: string): number[] {
    const instances = this.jobs.get(job);
    return instances ? [...instances.keys()].sort((a, b) => a - b) : [];
  }

  hasLive(job: string): boolean {
    return this.jobs.has(job);
  }
}
