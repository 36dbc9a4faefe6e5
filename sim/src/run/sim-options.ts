import type { Resources } from '@borealis/core';
import type { FailureSpec } from './failure-injection.js';

/** Everything that shapes a run; recorded in summary.json's `options`. */
export interface SimOptions {
  readonly trace: string;
  /** Placement policy; undefined = the core's default. */
  readonly policy?: string;
  readonly seed: number;
  /** Output folder; undefined = run without writing files (the summary is still returned). */
  readonly out?: string;
  /**
   * Replace the trace's hosts by this many: its starting population scaled (same mix of kinds and
   * attributes), or uniform hosts when the trace starts with none.
   */
  readonly hosts?: number;
  /**
   * With `hosts`: every host gets these resources; those not named stay each trace host's own
   * (attributes always follow the trace's mix).
   */
  readonly hostShape?: Partial<Resources>;
  readonly sampleIntervalMs: number;
  readonly untilMs?: number;
  readonly loadScale: number;
  readonly loadJitterMs: number;
  /** --load-scale also scales the services submitted at t=0 (default: they stay as they are). */
  readonly loadScaleStanding?: boolean;
  readonly audit: boolean;
  readonly queueOrder?: 'fifo' | 'priority' | 'drf';
  readonly preemption: boolean;
  readonly preemptionDelayMs?: number;
  readonly launchLatencyMs: readonly [number, number];
  readonly killLatencyMs: number;
  /** Mesos offer cycle; undefined = the core sees every host's free resources at once. */
  readonly offers?: OfferCycleOptions;
  /** --fail: hosts taken down (and maybe back) at given times. */
  readonly failures?: readonly FailureSpec[];
  /** Write events.jsonl (one line per task transition); off for very large sweeps. */
  readonly eventLog: boolean;
  /** Per-job instance limit; undefined = the core's default (4000, as Aurora). */
  readonly maxInstances?: number;
}

export interface OfferCycleOptions {
  /** How often the allocator offers free hosts. */
  readonly allocationIntervalMs: number;
  /** How long an unused offer is held before it is declined. */
  readonly offerHoldMs: number;
  /** After a decline the host is not offered again for this long (Mesos' refuse_seconds filter). */
  readonly refuseMs: number;
}

export const DEFAULTS = {
  seed: 1,
  sampleIntervalMs: 60_000,
  loadScale: 1,
  loadJitterMs: 60_000,
  launchLatencyMs: [1000, 2000] as const,
  killLatencyMs: 1000,
  // Mesos' allocation interval (1 s) and refuse_seconds (5 s); Aurora holds offers 5 min.
  offers: { allocationIntervalMs: 1000, offerHoldMs: 300_000, refuseMs: 5000 },
} as const;

/** The options as written to summary.json (stable key order, no output path). */
export function describeOptions(o: SimOptions): Record<string, unknown> {
  return {
    untilMs: o.untilMs ?? null,
    sampleIntervalMs: o.sampleIntervalMs,
    loadScale: o.loadScale,
    loadJitterMs: o.loadJitterMs,
    loadScaleStanding: o.loadScaleStanding ?? false,
    hostsOverride: o.hosts ?? null,
    hostShape: o.hosts !== undefined ? (o.hostShape ?? null) : null,
    queueOrder: o.queueOrder ?? null,
    preemption: o.preemption,
    preemptionDelayMs: o.preemptionDelayMs ?? null,
    launchLatencyMs: [...o.launchLatencyMs],
    killLatencyMs: o.killLatencyMs,
    offers: o.offers ?? null,
    audit: o.audit,
    eventLog: o.eventLog,
    failures: (o.failures ?? []).map((f) => f.text),
    // Only when set, so runs without it keep their summary.json byte for byte.
    ...(o.maxInstances !== undefined ? { maxInstances: o.maxInstances } : {}),
  };
}
