import type { JobKey } from '../model/job-key.js';

/** Makes the id of a new task. Deterministic for a given sequence of calls. */
export type IdGenerator = (job: JobKey, instance: number) => string;

/**
 * The task-id sequence of a store: `role-environment-name-instance-seq` in generation 0 (every
 * simulation), `role-environment-name-instance-gG-seq` after G restores. Aurora ids carry a
 * timestamp and a UUID; a counter keeps runs byte-identical and ids readable.
 *
 * Why a generation: a new leader restores the last snapshot plus the changes after it, so it goes
 * on from the sequence the old leader last persisted. Restoring an older backup, though, rewinds
 * the counter while tasks launched after that backup may still run in the cluster; every restore
 * therefore advances the generation (`restoreFrom`), and ids of different generations never meet.
 */
export class TaskIds {
  /** The next sequence number to issue. */
  next: number;
  /** How many restores this sequence has been through (0 = never restored). */
  generation: number;
  /** The generator to hand to a TaskStore; reads `next` and `generation` when called. */
  readonly generate: IdGenerator;

  constructor(next = 0, generation = 0) {
    this.next = next;
    this.generation = generation;
    // The store passes one JobKey object for all tasks of a job, so the job's part is built once per
    // run of calls for the same job rather than once per task.
    let lastJob: JobKey | undefined;
    let lastGeneration = -1;
    let prefix = '';
    this.generate = (job, instance) => {
      if (job !== lastJob || this.generation !== lastGeneration) {
        lastJob = job;
        lastGeneration = this.generation;
        prefix = `${job.role}-${job.environment}-${job.name}-`;
      }
      const seq = this.next++;
      return lastGeneration === 0
        ? `${prefix}${instance}-${seq}`
        : `${prefix}${instance}-g${lastGeneration}-${seq}`;
    };
  }

  /**
   * Takes over a persisted sequence on restore: the counter goes on from it, in a new generation.
   * `generation` is the storage's to choose: one above every generation it has ever recorded (the
   * first change after a restore records it), so that restoring an older backup, whose own
   * generation is behind, still never reissues an id. Default: the persisted generation + 1, enough
   * when the snapshot is the latest one.
   */
  restoreFrom(persisted: { readonly next: number; readonly generation: number }, generation?: number): void {
    const g = generation ?? persisted.generation + 1;
    if (!Number.isInteger(g) || g <= persisted.generation)
      throw new Error(`restore generation ${g} must be above the snapshot's ${persisted.generation}`);
    this.next = persisted.next;
    this.generation = g;
  }
}

/** `new TaskIds(start).generate`: ids of generation 0 counting from `start`. */
export function sequentialIds(start = 0): IdGenerator {
  return new TaskIds(start).generate;
}
