import { CronRuntime } from '../cron/cron-runtime.js';
import { HealthTracker } from '../health/health-tracker.js';
import { DEFAULT_THROTTLE } from '../lifecycle/throttle.js';
import { DEFAULT_MAX_INSTANCES, type JobConfig } from '../model/job.js';
import { mulberry32 } from '../model/mulberry32.js';
import { TASK_STATES, type TaskState } from '../model/task-state.js';
import { PlacementEngine } from '../placement/engine/placement-engine.js';
import type { CompiledChain } from '../placement/filters/chain.js';
import { HostInventory } from '../placement/inventory/host-inventory.js';
import { createPolicy, DEFAULT_POLICY } from '../placement/policies/registry.js';
import { PreemptionIndex } from '../preemption/preemption-index.js';
import { VictimSearch } from '../preemption/victim-search.js';
import { DEFAULT_BACKOFF } from '../queue/backoff.js';
import { PendingQueue } from '../queue/pending-queue.js';
import { type QueueOrder, queueOrder } from '../queue/queue-order.js';
import { QuotaLedger } from '../quota/quota-ledger.js';
import { TaskIds } from '../store/ids.js';
import { TaskStore } from '../store/task-store.js';
import { AllocationLedger } from './allocation-ledger.js';
import type { RandomSource, SchedulerOptions } from './api.js';
import { ChangeRecorder, JobRegistry } from './changes.js';
import { InstanceIndex } from './instance-index.js';
import { Reservations } from './reservations.js';
import { TaskColumns } from './task-columns.js';
import { TimerQueue } from './timer-queue.js';

export interface Settings {
  readonly preemption: boolean;
  readonly preemptionDelayMs: number;
  readonly reservationTtlMs: number;
  readonly maxInstances: number;
  readonly offerMode: boolean;
  readonly drainTimeoutMs: number;
  readonly slaCheckIntervalMs: number;
  readonly simulatedHealth: boolean;
  readonly partitionDelayMs: number;
}

/**
 * The state the scheduler's parts share: the task store, the host inventory and placement engine,
 * the pending queue, preemption, quotas and the per-task indexes. Each part (state-changes.ts,
 * placement-round.ts, preemption-driver.ts, host-lifecycle.ts, job-operations.ts) works on these;
 * the store listener in state-changes.ts keeps them in step with every task transition.
 */
export interface SchedulerParts {
  readonly clock: SchedulerOptions['clock'];
  readonly settings: Settings;
  readonly store: TaskStore;
  readonly inventory: HostInventory;
  readonly engine: PlacementEngine;
  readonly room: PreemptionIndex;
  readonly search: VictimSearch;
  readonly queue: PendingQueue;
  readonly order: QueueOrder;
  readonly quotas: QuotaLedger;
  readonly allocation: AllocationLedger;
  readonly reservations: Reservations;
  readonly timers: TimerQueue;
  /** Desired config of every job (kept after its tasks end; dropped when the whole job is killed). */
  readonly jobs: Map<string, JobConfig>;
  readonly instances: InstanceIndex;
  readonly health: HealthTracker;
  readonly cron: CronRuntime;
  /** Cron jobs whose KILL_EXISTING trigger waits for the previous run to end before starting. */
  readonly cronAwaiting: Set<string>;
  /** Tasks whose drain kill has already been counted as SLA-delayed. */
  readonly slaDelayed: Set<string>;
  /** Per task: its host, whether it holds quota, its placement decision. */
  readonly columns: TaskColumns;
  /** Filter chains compiled for preemptors; addHost clears them (they may hold inventory columns). */
  readonly chains: Map<string, CompiledChain>;
  /** Tasks that ended, by end state (the store forgets them at once). */
  readonly ended: Record<TaskState, number>;
  /** Work that must wait until the current transition is complete (CoreScheduler runs it). */
  readonly deferred: (() => void)[];
  /** Hosts launched on this tick (offer mode consumes their offers). */
  readonly launchedOn: Set<number>;
  /** The task-id sequence (persisted through `ids-advanced` changes and snapshots). */
  readonly ids: TaskIds;
  /** The changes of the current step (SchedulerOptions.recordChanges). */
  readonly recorder: ChangeRecorder;
}

export function createParts(options: SchedulerOptions): SchedulerParts {
  const random = options.random ?? fixedSeedRandom();
  const settings: Settings = {
    preemption: options.preemption?.enabled ?? true,
    preemptionDelayMs: options.preemption?.delayMs ?? 180_000,
    reservationTtlMs: options.preemption?.reservationTtlMs ?? 300_000,
    maxInstances: options.maxInstances ?? DEFAULT_MAX_INSTANCES,
    offerMode: options.offerMode ?? false,
    drainTimeoutMs: options.maintenance?.drainTimeoutMs ?? 3_600_000,
    slaCheckIntervalMs: options.maintenance?.slaCheckIntervalMs ?? 60_000,
    simulatedHealth: options.healthChecks === 'simulated',
    partitionDelayMs: options.partitionDelayMs ?? 0,
  };
  const inventory = new HostInventory();
  inventory.offerMode = settings.offerMode;
  const room = new PreemptionIndex();
  const ids = new TaskIds();
  const store = new TaskStore({
    clock: options.clock,
    random,
    ids: ids.generate,
    keepEvents: false,
    throttle: { ...DEFAULT_THROTTLE, flappingThresholdMs: options.flappingThresholdMs ?? 300_000 },
  });
  const recorder = new ChangeRecorder(options.recordChanges ?? false, store, ids);
  return {
    clock: options.clock,
    settings,
    store,
    inventory,
    engine: new PlacementEngine(inventory, {
      policy: createPolicy(options.policy ?? DEFAULT_POLICY, { random }),
    }),
    room,
    search: new VictimSearch(room, { maxHostsExamined: options.preemption?.maxHostsExamined ?? 256 }),
    queue: new PendingQueue({
      initialMs: options.backoff?.initialMs ?? DEFAULT_BACKOFF.initialMs,
      maxMs: options.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs,
    }),
    order: queueOrder(options.queueOrder ?? 'priority'),
    quotas: new QuotaLedger(options.quotasMandatory ?? false),
    allocation: new AllocationLedger(),
    reservations: new Reservations(),
    timers: new TimerQueue(),
    jobs: new JobRegistry(recorder),
    instances: new InstanceIndex(),
    health: new HealthTracker((taskId) => store.get(taskId)?.slot ?? -1),
    cron: new CronRuntime(),
    cronAwaiting: new Set(),
    slaDelayed: new Set(),
    columns: new TaskColumns(),
    chains: new Map(),
    ended: Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>,
    deferred: [],
    launchedOn: new Set(),
    ids,
    recorder,
  };
}

/** Used when no random source is given: the default policies do not draw, and runs stay reproducible. */
const fixedSeedRandom = (): RandomSource => mulberry32(0x9e3779b9);
