/**
 * Types of the run output folder (docs/run-output.md) as the visualizer reads them. The
 * simulator owns the writing side; these describe only what the pictures need, and every field
 * the page does not draw is optional so older or richer summaries still load.
 */

export const RESOURCES = ['cpu', 'ramMb', 'diskMb', 'gpus'] as const;
export type Resource = (typeof RESOURCES)[number];

export const TIER_NAMES = ['preferred', 'preemptible', 'revocable'] as const;
export type TierName = (typeof TIER_NAMES)[number];

export interface MeanPeak {
  readonly mean: number;
  readonly peak: number;
}

export interface RunSummary {
  readonly format?: string;
  readonly version?: number;
  readonly trace: string;
  readonly traceName?: string;
  readonly policy: string;
  readonly seed: number;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly hosts: number;
  readonly simulatedMs: number;
  readonly wallMs?: number;
  readonly events?: number;
  readonly tasks: Readonly<Record<string, number>>;
  readonly jobs?: Readonly<Record<string, number>>;
  /** Includes tasks never placed, as waiting until the end (`censored` of them). */
  readonly schedulingDelayMs: Readonly<Record<string, number>>;
  /** Placed tasks only (older runs lack it). */
  readonly placedDelayMs?: Readonly<Record<string, number>>;
  readonly utilization: Readonly<Partial<Record<Resource, MeanPeak>>>;
  readonly hostsUsed?: number;
  readonly preemptions: number;
  readonly violations: number;
  readonly pendingReasons?: Readonly<Record<string, number>>;
  readonly machine?: Readonly<Record<string, unknown>>;
  /** Later sections (updates, cron, maintenance) are shown generically when present. */
  readonly [extra: string]: unknown;
}

/** One line of events.jsonl. */
export interface TaskEventRecord {
  readonly t: number;
  readonly task: string;
  readonly job: string;
  readonly instance: number;
  readonly state: string;
  readonly host?: string;
  readonly reason?: string;
}

export interface PreemptionParty {
  readonly task: string;
  readonly job: string;
  readonly tier: string;
  readonly priority: number;
}

/** One line of preemptions.jsonl. */
export interface PreemptionRecord {
  readonly t: number;
  readonly host: string;
  readonly preemptor: PreemptionParty;
  readonly victims: readonly PreemptionParty[];
}

export interface HostInfo {
  readonly id: string;
  readonly rack?: string;
  readonly zone?: string;
  readonly cpu: number;
  readonly ramMb: number;
  /** Present on hosts with GPUs. */
  readonly gpus?: number;
}

/**
 * hosts.json as written: the load matrices are base64 of Uint8Array(hosts × samples); `gpus` only
 * when some host has GPUs.
 */
export interface HostsFile {
  readonly sampleTimes: readonly number[];
  readonly hosts: readonly HostInfo[];
  readonly cpu: string;
  readonly ramMb: string;
  readonly gpus?: string;
}

export interface ComparisonRun {
  readonly policy: string;
  readonly seed: number;
  readonly dir: string;
  readonly summary: RunSummary;
}

export interface AggregateMetric {
  readonly mean: number;
  readonly stdev: number;
  readonly min: number;
  readonly max: number;
}

/** comparison.json written by `sim compare`. */
export interface ComparisonFile {
  readonly trace: string;
  readonly policies: readonly string[];
  readonly seeds: readonly number[];
  readonly runs: readonly ComparisonRun[];
  readonly aggregate: readonly {
    readonly policy: string;
    readonly metrics: Record<string, AggregateMetric>;
  }[];
  /** Policies whose seeds all gave the same results (older comparisons lack it). */
  readonly seedInsensitive?: readonly string[];
  /** The winner of the objective given to `sim compare --objective`. */
  readonly verdict?: { readonly winner?: string; readonly text: string };
}
