/** The shape of summary.json (docs/run-output.md). Fields are only ever added. */
export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface MeanPeak {
  readonly mean: number;
  readonly peak: number;
}

export interface TaskCounts {
  /** Tasks created by accepted job submissions and by cron triggers (runs). */
  submitted: number;
  /** Replacement tasks the core created (after LOST, FAILED with retries left, preemption, ...). */
  rescheduled: number;
  /** submitted + rescheduled: every task id the core created. */
  created: number;
  /** Tasks that were ever ASSIGNED to a host. */
  launched: number;
  finished: number;
  failed: number;
  /** Killed after launch, by users or by preemption (preempted victims are included). */
  killed: number;
  lost: number;
  preempted: number;
  /** Ended the run PENDING or THROTTLED. */
  pendingAtEnd: number;
  /** Killed while still pending. */
  killedBeforeLaunch: number;
  /** Ended the run on a host (ASSIGNED, STARTING, RUNNING, KILLING, ...). */
  runningAtEnd: number;
}

/** Rolling updates and restarts (the core's update counters). */
export interface UpdateSummary {
  /** Rolling updates (job_update records the core accepted) started. */
  readonly started: number;
  readonly rolledForward: number;
  readonly rolledBack: number;
  /** Ended FAILED or ERROR. */
  readonly failed: number;
  readonly aborted: number;
  /** Rolling restarts started. */
  readonly restarts: number;
  /** Mean start-to-end time of the updates and restarts that ended; 0 if none did. */
  readonly meanDurationMs: number;
}

export interface CronSummary {
  /** Fire times of cron schedules reached during the run. */
  readonly triggers: number;
  /** Triggers that started a run (at once, or after KILL_EXISTING's kills). */
  readonly runs: number;
  /** Triggers that found the previous run still active (CANCEL_NEW skips them, KILL_EXISTING kills it). */
  readonly collisions: number;
  /** Tasks the runs created (included in tasks.submitted). */
  readonly tasks: number;
}

export interface MaintenanceSummary {
  /** Hosts that reached DRAINED. */
  readonly hostsDrained: number;
  /** Drained tasks whose kill waited at least once for their job's SLA. */
  readonly slaDelayedKills: number;
  /** Tasks killed at a drain's deadline although their job's SLA did not allow it. */
  readonly forcedKills: number;
}

export interface RunSummary {
  readonly format: 'borealis-run';
  readonly version: 1;
  readonly trace: string;
  readonly traceName: string;
  readonly policy: string;
  readonly seed: number;
  readonly options: Readonly<Record<string, unknown>>;
  readonly hosts: number;
  readonly simulatedMs: number;
  wallMs: number;
  readonly events: number;
  readonly tasks: TaskCounts;
  readonly jobs: {
    readonly submitted: number;
    readonly rejected: number;
    readonly killed: number;
    /** Why jobs were rejected, by the core's first problem message. */
    readonly rejectReasons: Readonly<Record<string, number>>;
  };
  /**
   * PENDING → ASSIGNED delay of every task, where a task still waiting at the end counts as
   * waiting until the end (censored; a lower bound). `censored` says how many such tasks there are.
   */
  readonly schedulingDelayMs: Percentiles & { readonly censored: number };
  /** The delay of the tasks that were placed only (what schedulingDelayMs was before censoring). */
  readonly placedDelayMs: Percentiles;
  readonly utilization: Readonly<Record<'cpu' | 'ramMb' | 'diskMb' | 'gpus', MeanPeak>>;
  readonly hostsUsed: number;
  readonly preemptions: number;
  readonly updates: UpdateSummary;
  readonly cron: CronSummary;
  readonly maintenance: MaintenanceSummary;
  readonly violations: number;
  /** The first audit findings, in order (at most 100), when --audit found any. */
  readonly violationSamples: readonly string[];
  readonly pendingReasons: Readonly<Record<string, number>>;
  /** Trace records the run could not apply (unknown hosts or jobs, sampled-out jobs), by reason. */
  readonly ignoredRecords: Readonly<Record<string, number>>;
  /** Host failures injected with --fail, in the order they happened. */
  readonly injectedFailures: readonly {
    readonly spec: string;
    readonly hosts: number;
    readonly atMs: number;
    readonly untilMs: number | null;
  }[];
  machine: { readonly cpu: string; readonly cores: number; readonly node: string };
}
