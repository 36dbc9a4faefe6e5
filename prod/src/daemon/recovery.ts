import {
  type Change,
  type CoreSnapshot,
  DurableState,
  decodeSnapshot,
  type JobConfig,
  type Scheduler,
} from '@borealis/core';
import type { Logger } from 'pino';
import type { Recovered, Storage } from '../storage/types.js';

export interface RecoverySummary {
  readonly snapshot: boolean;
  readonly groups: number;
  readonly changes: number;
  readonly tasks: number;
  readonly jobs: number;
  readonly generation: number;
  readonly ms: number;
  /** The recovered jobs' desired configs (for the API's job index). */
  readonly jobConfigs: readonly JobConfig[];
}

/**
 * Startup: the store's snapshot plus the change groups after it become the core's state again
 * (DurableState replays the log), and the core continues issuing task ids in the store's new
 * generation, so no id of an earlier life, nor of a later one restored from a backup, is reused.
 */
export async function recoverCore(core: Scheduler, storage: Storage, log: Logger): Promise<RecoverySummary> {
  const started = performance.now();
  const recovered: Recovered = await storage.recover();
  if (recovered.torn) {
    log.warn(
      { file: recovered.torn.file, offset: recovered.torn.offset, bytes: recovered.torn.bytes },
      'storage: a torn last record (a crash mid-write) was cut off; it had not been acknowledged',
    );
  }
  const state = recovered.snapshot ? decodeSnapshot(recovered.snapshot as CoreSnapshot) : new DurableState();
  let changes = 0;
  for (const group of recovered.groups) {
    for (const change of group.records as readonly Change[]) state.apply(change);
    changes += group.records.length;
  }
  const generation = Math.max(recovered.meta.generation, state.ids.generation + 1);
  core.restore(state, { generation });
  const summary: RecoverySummary = {
    snapshot: recovered.snapshot !== undefined,
    groups: recovered.groups.length,
    changes,
    tasks: state.tasks.size,
    jobs: state.jobs.size,
    generation,
    ms: Math.round(performance.now() - started),
    jobConfigs: [...state.jobs.values()],
  };
  const { jobConfigs: _jobs, ...logged } = summary;
  log.info({ ...logged, storage: storage.description }, 'recovered the scheduler state');
  return summary;
}
