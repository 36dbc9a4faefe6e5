/**
 * Deterministic work counters of placement and preemption, for benchmarks on shared machines where
 * wall time is noisy: what a query did (hosts looked at, cells bounded, classes built, victim
 * searches run or skipped) does not depend on the load. Process-wide and only ever incremented by
 * the engine; a benchmark reads them around a run and resets them between runs. No decision reads
 * them.
 */
export interface WorkCounters {
  /** Placements the FreeIndex answered (walks). */
  indexQueries: number;
  /** Hosts the FreeIndex looked at over those walks. */
  indexHostsExamined: number;
  /** Grid cells (or rows) whose score bound a walk computed. */
  indexCellsBounded: number;
  /** Placement classes built by a full columnar scan. */
  classBuilds: number;
  /** Victim searches run to the end. */
  victimSearches: number;
  /** Victim searches skipped: the same demand failed and nothing that could make room changed since. */
  victimSearchesSkipped: number;
  /** Hosts a victim search examined task by task. */
  victimHostsExamined: number;
}

export const WORK: WorkCounters = {
  indexQueries: 0,
  indexHostsExamined: 0,
  indexCellsBounded: 0,
  classBuilds: 0,
  victimSearches: 0,
  victimSearchesSkipped: 0,
  victimHostsExamined: 0,
};

/** Zeroes every counter (benchmarks, between runs). */
export function resetWork(): void {
  for (const k of Object.keys(WORK) as (keyof WorkCounters)[]) WORK[k] = 0;
}

/** A copy of the counters now. */
export function readWork(): WorkCounters {
  return { ...WORK };
}
