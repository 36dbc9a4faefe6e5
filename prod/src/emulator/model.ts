import type { Amounts, Refused } from './agents.js';
import type { TaskBehaviour } from './behaviour.js';
import type {
  EventShape,
  FrameworkInfo,
  InverseOfferShape,
  Resource,
  TaskInfoShape,
  TaskStatusShape,
} from './shapes.js';
import type { TimerHandle } from './timers.js';

/** The subscribe stream of one framework, whatever its encoding (the HTTP layer makes it). */
export interface Stream {
  readonly id: string;
  send(event: EventShape): void;
  /** Ends the response (the client sees the stream close). */
  close(): void;
}

export interface Framework {
  readonly id: string;
  info: FrameworkInfo;
  /** The role offers are allocated to: roles[0] with MULTI_ROLE, else role, else "*". */
  role: string;
  partitionAware: boolean;
  killingState: boolean;
  stream: Stream | null;
  failoverTimer: TimerHandle | null;
  heartbeat: TimerHandle | null;
  suppressed: boolean;
  /** Refuse filters per agent: until when, and the resources refused (more free resources lift it). */
  filters: Map<number, { until: number; refused: Refused }>;
  inverseFilters: Map<number, number>;
  offers: Map<string, Offer>;
  inverseOffers: Map<string, InverseOffer>;
  /** Tasks the master knows: live ones and terminal ones whose last update is not yet acknowledged. */
  tasks: Map<string, Task>;
  /** Tasks on agents that became unreachable (partition-aware frameworks keep hearing of them). */
  unreachable: Map<string, Task>;
  completed: Task[];
  executors: Map<string, Executor>;
  allocatedCpus: number;
  allocatedMem: number;
  registeredTime: number;
  reregisteredTime: number | null;
}

export interface Offer {
  readonly id: string;
  readonly framework: Framework;
  readonly agent: number;
  /** The scalars offered; `ports` is left empty and the ports are kept as ranges (10,000 offers of
   * 1,001 ports would otherwise hold ten million numbers). `offerAmounts()` expands them. */
  readonly amounts: Amounts;
  readonly portRanges: [number, number][];
}

/** Everything the offer holds, ports listed one by one. */
export function offerAmounts(offer: Offer): Amounts {
  const ports: number[] = [];
  for (const [b, e] of offer.portRanges) for (let p = b; p <= e; p++) ports.push(p);
  return { ...offer.amounts, ports };
}

export interface InverseOffer {
  readonly id: string;
  readonly framework: Framework;
  readonly agent: number;
  readonly shape: InverseOfferShape;
}

/** A default (LAUNCH_GROUP) or custom executor on an agent; command executors are not modelled apart. */
export interface Executor {
  readonly key: string;
  readonly id: string;
  readonly agent: number;
  readonly framework: Framework;
  readonly amounts: Amounts;
  readonly resources: Resource[];
  readonly tasks: Set<Task>;
  failed: boolean;
}

export interface PendingUpdate {
  readonly status: TaskStatusShape;
}

export interface Task {
  readonly id: string;
  readonly framework: Framework;
  readonly agent: number;
  readonly info: TaskInfoShape;
  readonly resources: Resource[];
  readonly amounts: Amounts;
  readonly executorId: string;
  readonly executor: Executor | null;
  /** The latest state (what GET_TASKS and reconciliation report), even while earlier updates wait for an ACK. */
  state: string;
  latest: TaskStatusShape | null;
  healthy: boolean | undefined;
  /** Agent-sourced updates in order; the head is in flight until its uuid is acknowledged. */
  readonly pending: TaskStatusShape[];
  retry: TimerHandle | null;
  retryDelayMs: number;
  /** The step timer (virtual tasks) or the kill escalation timer. */
  timer: TimerHandle | null;
  behaviour: TaskBehaviour;
  killRequested: boolean;
  resourcesReleased: boolean;
  healthFailures: number;
  process: TaskProcess | null;
  readonly launchedAt: number;
}

/** A real local process behind a task (agent mode --real-processes). */
export interface TaskProcess {
  readonly pid: number | undefined;
  readonly sandbox: string;
  terminate(graceMs: number): void;
  stop(): void;
}

export const TERMINAL_STATES = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_LOST',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNREACHABLE',
  'TASK_UNKNOWN',
]);

export function isTerminal(state: string): boolean {
  return TERMINAL_STATES.has(state);
}
