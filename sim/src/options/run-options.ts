import { existsSync } from 'node:fs';
import { POLICY_NAMES, UserError } from '@borealis/core';
import { parseFailure } from '../run/failure-injection.js';
import { DEFAULTS, type SimOptions } from '../run/sim-options.js';
import {
  durationFlag,
  hostShapeKeys,
  integerFlag,
  latencyPairFlag,
  listFlag,
  positiveDurationFlag,
  positiveNumberFlag,
} from './flags.js';

/** `sim run` flags as commander hands them over (strings; booleans for switches). */
export interface RunFlags {
  readonly trace?: string;
  readonly policy?: string;
  readonly seed?: string;
  readonly out?: string;
  readonly hosts?: string;
  readonly hostShape?: string;
  readonly sampleInterval?: string;
  readonly until?: string;
  readonly loadScale?: string;
  readonly loadJitter?: string;
  readonly loadScaleStanding?: boolean;
  readonly audit?: boolean;
  readonly queueOrder?: string;
  readonly preemption?: boolean;
  readonly preemptionDelay?: string;
  readonly launchLatency?: string;
  readonly killLatency?: string;
  readonly offers?: string | boolean;
  readonly eventLog?: boolean;
  readonly maxInstances?: string;
  /** --fail, repeatable. */
  readonly fail?: readonly string[];
}

const QUEUE_ORDERS = ['fifo', 'priority', 'drf'] as const;

/** Validates `sim run` flags once, at the boundary; every error names its flag. */
export function parseRunFlags(f: RunFlags): SimOptions {
  if (f.trace === undefined) throw new UserError('--trace FILE is required', 2);
  if (!existsSync(f.trace)) throw new UserError(`--trace: no such file "${f.trace}"`);
  if (f.hostShape !== undefined && f.hosts === undefined) {
    throw new UserError('--host-shape needs --hosts N (the number of hosts of that shape)', 2);
  }
  const queueOrder = f.queueOrder;
  if (queueOrder !== undefined && !(QUEUE_ORDERS as readonly string[]).includes(queueOrder)) {
    throw new UserError(`--queue-order: "${queueOrder}" must be one of ${QUEUE_ORDERS.join(', ')}`, 2);
  }
  if (f.policy !== undefined) policyFlag('--policy', f.policy);
  return {
    trace: f.trace,
    ...(f.policy !== undefined ? { policy: f.policy } : {}),
    seed: f.seed !== undefined ? integerFlag('--seed', f.seed, 0, 2 ** 32 - 1) : DEFAULTS.seed,
    ...(f.out !== undefined ? { out: f.out } : {}),
    ...(f.hosts !== undefined ? { hosts: integerFlag('--hosts', f.hosts, 1, 1_000_000) } : {}),
    // Resources --host-shape does not name stay each trace host's own (see scaleHosts).
    ...(f.hosts !== undefined && f.hostShape !== undefined
      ? { hostShape: hostShapeKeys('--host-shape', f.hostShape) }
      : {}),
    sampleIntervalMs:
      f.sampleInterval !== undefined
        ? positiveDurationFlag('--sample-interval', f.sampleInterval)
        : DEFAULTS.sampleIntervalMs,
    ...(f.until !== undefined ? { untilMs: durationFlag('--until', f.until) } : {}),
    loadScale:
      f.loadScale !== undefined ? positiveNumberFlag('--load-scale', f.loadScale) : DEFAULTS.loadScale,
    loadJitterMs:
      f.loadJitter !== undefined ? durationFlag('--load-jitter', f.loadJitter) : DEFAULTS.loadJitterMs,
    ...(f.loadScaleStanding === true ? { loadScaleStanding: true } : {}),
    audit: f.audit === true,
    ...(f.maxInstances !== undefined
      ? { maxInstances: integerFlag('--max-instances', f.maxInstances, 1, 10_000_000) }
      : {}),
    ...(queueOrder !== undefined ? { queueOrder: queueOrder as (typeof QUEUE_ORDERS)[number] } : {}),
    preemption: f.preemption !== false,
    ...(f.preemptionDelay !== undefined
      ? { preemptionDelayMs: durationFlag('--preemption-delay', f.preemptionDelay) }
      : {}),
    launchLatencyMs:
      f.launchLatency !== undefined
        ? latencyPairFlag('--launch-latency', f.launchLatency)
        : DEFAULTS.launchLatencyMs,
    killLatencyMs:
      f.killLatency !== undefined ? durationFlag('--kill-latency', f.killLatency) : DEFAULTS.killLatencyMs,
    ...(f.offers !== undefined && f.offers !== false ? { offers: parseOffers(f.offers) } : {}),
    eventLog: f.eventLog !== false,
    ...(f.fail !== undefined && f.fail.length > 0
      ? { failures: f.fail.map((text) => parseFailure('--fail', text)) }
      : {}),
  };
}

/** `--offers` alone: defaults; `--offers 1s,5m,5s`: allocation interval, offer hold, refuse filter. */
function parseOffers(value: string | true): NonNullable<SimOptions['offers']> {
  if (value === true) return DEFAULTS.offers;
  const parts = listFlag('--offers', value).map((p) => positiveDurationFlag('--offers', p));
  if (parts.length !== 3) {
    throw new UserError(
      `--offers: "${value}" must be three durations: allocation interval, offer hold, refuse filter`,
      2,
    );
  }
  return { allocationIntervalMs: parts[0]!, offerHoldMs: parts[1]!, refuseMs: parts[2]! };
}

/** A placement policy name the core knows. */
export function policyFlag(flag: string, name: string): string {
  if (!POLICY_NAMES.includes(name)) {
    throw new UserError(`${flag}: unknown placement policy "${name}" (known: ${POLICY_NAMES.join(', ')})`, 2);
  }
  return name;
}
