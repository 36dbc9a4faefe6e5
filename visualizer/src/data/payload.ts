import type { TimeMarker } from '../transforms/markers.js';
import type { ComparisonFile, PreemptionRecord, RunSummary } from './run-files.js';

/**
 * What the page receives: built on the node side from a run folder (inlined into report.html,
 * or served by `borealis viz`). Large inputs are reduced to a budget here, and every reduction
 * is listed in `reductions` so the page can say what it is not showing; the full data stays in
 * the folder.
 */
export interface RunPayload {
  readonly kind: 'run';
  /** Folder name, shown as the run's label. */
  readonly label: string;
  readonly summary: RunSummary;
  /** timeseries.csv text (all rows, or a peak-keeping subset when over budget). */
  readonly timeseries: string;
  /** Scheduling-delay distribution from PENDING→ASSIGNED pairs of the full events.jsonl. */
  readonly delays: DelayDistribution;
  /** Every job seen in events.jsonl; `sampled` says whether its events are in `events`. */
  readonly jobs: readonly JobIndexEntry[];
  /** events.jsonl lines of the sampled jobs, in file order. */
  readonly events: string;
  readonly preemptions: { readonly total: number; readonly records: readonly PreemptionRecord[] };
  /** hosts.json, its time axis reduced by max-per-bucket when over budget; null if absent. */
  readonly hosts: HostsPayload | null;
  /** markers.jsonl (updates, rollbacks, drains, activations) as drawn; empty if absent. */
  readonly markers: readonly TimeMarker[];
  readonly reductions: readonly string[];
  /** True when served by `borealis viz`: the page may fetch `job?key=` for unsampled jobs. */
  readonly live?: boolean;
}

export interface HostsPayload {
  readonly sampleTimes: readonly number[];
  readonly hosts: readonly {
    id: string;
    rack?: string;
    zone?: string;
    cpu: number;
    ramMb: number;
    gpus?: number;
  }[];
  readonly cpu: string;
  readonly ramMb: string;
  /** GPU load, when the run had GPU hosts. */
  readonly gpus?: string;
}

export interface DelayDistribution {
  /** Number of PENDING→ASSIGNED pairs measured. */
  readonly count: number;
  /** Delay in ms at evenly spaced probabilities: quantiles[i] is the i/(n-1) quantile. */
  readonly quantiles: readonly number[];
}

export interface JobIndexEntry {
  readonly job: string;
  readonly tasks: number;
  readonly events: number;
  readonly sampled: boolean;
}

/** One run in a comparison: no events or hosts, just what overlays on shared axes. */
export interface CompareRunPayload {
  readonly label: string;
  readonly policy: string;
  readonly seed: number;
  readonly summary: RunSummary;
  readonly timeseries: string;
  readonly delays: DelayDistribution;
}

export interface ComparePayload {
  readonly kind: 'compare';
  readonly label: string;
  readonly comparison: ComparisonFile;
  readonly runs: readonly CompareRunPayload[];
  readonly reductions: readonly string[];
}

export type Payload = RunPayload | ComparePayload;

/** The id of the `<script type="application/json">` element that carries an inlined payload. */
export const PAYLOAD_ELEMENT_ID = 'borealis-data';
