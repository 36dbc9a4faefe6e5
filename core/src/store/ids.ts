import type { JobKey } from '../model/job-key.js';

/** Makes the id of a new task. Deterministic for a given sequence of calls. */
export type IdGenerator = (job: JobKey, instance: number) => string;

/**
 * `role-environment-name-instance-seq`, the sequence counting every id this generator made. Aurora
 * ids carry a timestamp and a UUID; a counter keeps runs byte-identical and ids readable.
 */
export function sequentialIds(start = 0): IdGenerator {
  let seq = start;
  // The store passes one JobKey object for all tasks of a job, so the job's part is built once per
  // run of calls for the same job rather than once per task.
  let lastJob: JobKey | undefined;
  let prefix = '';
  return (job, instance) => {
    if (job !== lastJob) {
      lastJob = job;
      prefix = `${job.role}-${job.environment}-${job.name}-`;
    }
    return `${prefix}${instance}-${seq++}`;
  };
}
