import { type Scheduler, TASK_STATES } from '@borealis/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CoreAccess } from '../core-access.js';

/** Mesos subscription states as the scheduler client names them. */
export const MESOS_STATES = ['disconnected', 'subscribing', 'subscribed'] as const;
export type MesosState = (typeof MESOS_STATES)[number];

/**
 * The process's one Prometheus registry and every metric Borealis exports. The API feeds the
 * request counter and reads the core's state at scrape time; the daemon feeds the rest
 * (offers, launch latency, storage, leadership, the Mesos subscription) through these handles.
 */
export interface BorealisMetrics {
  readonly registry: Registry;
  readonly apiRequests: Counter<'method' | 'route' | 'status'>;
  readonly placements: Counter;
  readonly offersReceived: Counter;
  readonly offersDeclined: Counter;
  readonly offersRescinded: Counter;
  /** Seconds from a launch decision to the task's RUNNING report. */
  readonly launchLatency: Histogram;
  /** Seconds per durable group commit. */
  readonly storageWriteLatency: Histogram;
  readonly storageLogBytes: Gauge;
  readonly leader: Gauge;
  readonly mesosReconnects: Counter;
  setMesosState(state: MesosState): void;
  /** Reads tasks per state and pending rejection reasons from the core on every scrape. */
  watchCore(access: CoreAccess): void;
}

export function createMetrics(): BorealisMetrics {
  const registry = new Registry();
  const registers = [registry];
  let core: CoreAccess | undefined;

  const tasks = new Gauge({
    name: 'borealis_tasks',
    help: 'Tasks per state (ended tasks count until the core prunes them)',
    labelNames: ['state'] as const,
    registers,
    collect() {
      if (!core) return;
      const counts = core.read((c: Scheduler) => c.taskCounts());
      for (const s of TASK_STATES) tasks.set({ state: s }, counts[s] ?? 0);
    },
  });
  const rejections = new Gauge({
    name: 'borealis_pending_rejections',
    help: 'Pending tasks whose latest placement attempt was rejected for this reason on at least one host',
    labelNames: ['reason'] as const,
    registers,
    collect() {
      if (!core) return;
      rejections.reset();
      const totals = core.read((c: Scheduler) => c.pendingReasonTotals());
      for (const [reason, n] of Object.entries(totals)) rejections.set({ reason }, n);
    },
  });
  const placements = new Counter({
    name: 'borealis_placements_total',
    help: 'Tasks placed on a host (ASSIGNED)',
    registers,
  });
  const mesosState = new Gauge({
    name: 'borealis_mesos_subscription',
    help: '1 for the Mesos subscription state the scheduler is in, else 0',
    labelNames: ['state'] as const,
    registers,
  });
  for (const s of MESOS_STATES) mesosState.set({ state: s }, s === 'disconnected' ? 1 : 0);
  const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

  return {
    registry,
    apiRequests: new Counter({
      name: 'borealis_api_requests_total',
      help: 'API requests by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    placements,
    offersReceived: new Counter({
      name: 'borealis_offers_received_total',
      help: 'Mesos offers received',
      registers,
    }),
    offersDeclined: new Counter({
      name: 'borealis_offers_declined_total',
      help: 'Mesos offers declined',
      registers,
    }),
    offersRescinded: new Counter({
      name: 'borealis_offers_rescinded_total',
      help: 'Mesos offers rescinded',
      registers,
    }),
    launchLatency: new Histogram({
      name: 'borealis_launch_latency_seconds',
      help: 'From launch decision to RUNNING',
      buckets: latencyBuckets,
      registers,
    }),
    storageWriteLatency: new Histogram({
      name: 'borealis_storage_write_seconds',
      help: 'Durable group commit latency',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    storageLogBytes: new Gauge({
      name: 'borealis_storage_log_bytes',
      help: 'Change log size since the last snapshot',
      registers,
    }),
    leader: new Gauge({ name: 'borealis_leader', help: '1 while this replica leads', registers }),
    mesosReconnects: new Counter({
      name: 'borealis_mesos_reconnects_total',
      help: 'Resubscriptions to the Mesos master',
      registers,
    }),
    setMesosState(state) {
      for (const s of MESOS_STATES) mesosState.set({ state: s }, s === state ? 1 : 0);
    },
    watchCore(access) {
      core = access;
      access.read((c) => c.onTaskEvent((e) => e.state === 'ASSIGNED' && placements.inc()));
    },
  };
}
