import type { UpdateSettings, UpdateStrategy } from '../model/job.js';
import type { InstanceAction, InstanceOp, PlanStep, UpdateStatus } from './update-status.js';
import { isTerminalUpdate } from './update-status.js';

export type Phase = 'forward' | 'back';

/**
 * The whole decision state of one update. Values only: every input returns a new state, so the
 * driver (update-driver.ts) can keep, compare and log it, and tests can drive it without a cluster.
 */
export interface UpdateMachineState {
  readonly status: UpdateStatus;
  readonly settings: UpdateSettings;
  readonly phase: Phase;
  /** The current phase's plan, in visiting order. */
  readonly steps: readonly PlanStep[];
  /** Index in `steps` of the next instance to begin. */
  readonly next: number;
  /** Batches begun in this phase (picks the variable batch size). */
  readonly batches: number;
  /** Instances begun and not yet finished. */
  readonly inFlight: readonly number[];
  /** Failures of each instance's new task in this phase. */
  readonly failures: Readonly<Record<number, number>>;
  /** Instances that exceeded maxPerInstanceFailures in this phase. */
  readonly failedInstances: readonly number[];
  /** Forward steps begun, in order: what a rollback has to undo. */
  readonly begun: readonly PlanStep[];
  readonly message?: string;
}

export type MachineInput =
  | { readonly kind: 'instanceSucceeded'; readonly instance: number }
  | { readonly kind: 'instanceFailed'; readonly instance: number }
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'abort'; readonly message?: string }
  | { readonly kind: 'error'; readonly message: string };

export type MachineAction =
  /** Start driving the instance towards the phase's target (new config forward, old config back). */
  | { readonly kind: 'begin'; readonly instance: number; readonly op: InstanceOp; readonly phase: Phase }
  /** Stop driving the instance: it finished, failed, or the update ended or turned back. */
  | { readonly kind: 'stop'; readonly instance: number }
  | { readonly kind: 'instance'; readonly instance: number; readonly action: InstanceAction }
  | {
      readonly kind: 'status';
      readonly from: UpdateStatus;
      readonly to: UpdateStatus;
      readonly message?: string;
    };

export interface MachineStep {
  readonly state: UpdateMachineState;
  readonly actions: readonly MachineAction[];
  /** Set when a command (pause, resume, abort) was not valid in this status; the state is unchanged. */
  readonly rejected?: string;
}

/** A new update rolling forward over `steps`; the returned actions begin the first batch. */
export function startMachine(steps: readonly PlanStep[], settings: UpdateSettings): MachineStep {
  const state: UpdateMachineState = {
    status: 'ROLLING_FORWARD',
    settings,
    phase: 'forward',
    steps,
    next: 0,
    batches: 0,
    inFlight: [],
    failures: {},
    failedInstances: [],
    begun: [],
  };
  const actions: MachineAction[] = [];
  return { state: advance(state, actions), actions };
}

/**
 * Aurora's update semantics as a pure reducer: batches per strategy, per-instance and total failure
 * limits, automatic rollback, pause/resume/abort. Terminal statuses are final: every input to a
 * finished update returns it unchanged (commands are rejected with a reason).
 */
export function stepMachine(state: UpdateMachineState, input: MachineInput): MachineStep {
  if (isTerminalUpdate(state.status)) {
    return input.kind === 'instanceSucceeded' || input.kind === 'instanceFailed'
      ? { state, actions: [] }
      : { state, actions: [], rejected: `update is already ${state.status}` };
  }
  const actions: MachineAction[] = [];
  switch (input.kind) {
    case 'instanceSucceeded':
      return { state: succeeded(state, input.instance, actions), actions };
    case 'instanceFailed':
      return { state: failed(state, input.instance, actions), actions };
    case 'pause': {
      if (state.status === 'ROLL_FORWARD_PAUSED' || state.status === 'ROLL_BACK_PAUSED') {
        return { state, actions, rejected: `update is already ${state.status}` };
      }
      const to = state.phase === 'forward' ? 'ROLL_FORWARD_PAUSED' : 'ROLL_BACK_PAUSED';
      return { state: setStatus(state, to, actions, 'paused by user'), actions };
    }
    case 'resume': {
      if (state.status === 'ROLLING_FORWARD' || state.status === 'ROLLING_BACK') {
        return { state, actions, rejected: `update is ${state.status}, not paused` };
      }
      const to = state.phase === 'forward' ? 'ROLLING_FORWARD' : 'ROLLING_BACK';
      return { state: advance(setStatus(state, to, actions, 'resumed by user'), actions), actions };
    }
    case 'abort':
      return { state: end(state, 'ABORTED', actions, input.message ?? 'aborted by user'), actions };
    case 'error':
      return { state: end(state, 'ERROR', actions, input.message), actions };
  }
}

/** The size of batch `index` (0-based) under a strategy; variable batches repeat their last size. */
export function batchSize(strategy: UpdateStrategy, index: number): number {
  if (strategy.kind === 'variableBatch') {
    const sizes = strategy.groupSizes;
    return Math.max(1, sizes[Math.min(index, sizes.length - 1)] ?? 1);
  }
  return Math.max(1, strategy.groupSize);
}

function succeeded(
  state: UpdateMachineState,
  instance: number,
  actions: MachineAction[],
): UpdateMachineState {
  if (!state.inFlight.includes(instance)) return state;
  actions.push(
    {
      kind: 'instance',
      instance,
      action: state.phase === 'forward' ? 'INSTANCE_UPDATED' : 'INSTANCE_ROLLED_BACK',
    },
    { kind: 'stop', instance },
  );
  return finishInstance(state, instance, actions);
}

function failed(state: UpdateMachineState, instance: number, actions: MachineAction[]): UpdateMachineState {
  if (!state.inFlight.includes(instance)) return state;
  const count = (state.failures[instance] ?? 0) + 1;
  const withCount = { ...state, failures: { ...state.failures, [instance]: count } };
  if (count <= state.settings.maxPerInstanceFailures) {
    actions.push({ kind: 'instance', instance, action: 'INSTANCE_FAILURE' });
    return withCount;
  }
  const forward = state.phase === 'forward';
  actions.push(
    { kind: 'instance', instance, action: forward ? 'INSTANCE_UPDATE_FAILED' : 'INSTANCE_ROLLBACK_FAILED' },
    { kind: 'stop', instance },
  );
  const failedInstances = [...state.failedInstances, instance];
  const after = { ...withCount, failedInstances };
  if (failedInstances.length <= state.settings.maxTotalFailures)
    return finishInstance(after, instance, actions);
  const why = `${failedInstances.length} instance(s) failed, more than maxTotalFailures ${state.settings.maxTotalFailures}`;
  if (forward && state.settings.rollbackOnFailure) return rollBack(after, actions, why);
  return end(after, 'FAILED', actions, why);
}

/** The instance is done (updated, or failed within limits): pause after a finished batch, or go on. */
function finishInstance(
  state: UpdateMachineState,
  instance: number,
  actions: MachineAction[],
): UpdateMachineState {
  const inFlight = state.inFlight.filter((i) => i !== instance);
  let s: UpdateMachineState = { ...state, inFlight };
  const strategy = s.settings.strategy;
  const batchDone = strategy.kind !== 'queue' && inFlight.length === 0;
  if (batchDone && strategy.autoPause && s.next < s.steps.length && !isPaused(s.status)) {
    s = setStatus(
      s,
      s.phase === 'forward' ? 'ROLL_FORWARD_PAUSED' : 'ROLL_BACK_PAUSED',
      actions,
      'batch done',
    );
  }
  return advance(s, actions);
}

/** Begins what the strategy allows now, or ends the phase when everything is done. */
function advance(state: UpdateMachineState, actions: MachineAction[]): UpdateMachineState {
  if (isPaused(state.status) || isTerminalUpdate(state.status)) return state;
  let s = state;
  const strategy = s.settings.strategy;
  if (strategy.kind === 'queue') {
    const room = batchSize(strategy, 0) - s.inFlight.length;
    if (room > 0) s = begin(s, room, actions);
  } else if (s.inFlight.length === 0 && s.next < s.steps.length) {
    s = begin({ ...s, batches: s.batches + 1 }, batchSize(strategy, s.batches), actions);
  }
  if (s.inFlight.length === 0 && s.next >= s.steps.length) {
    return end(s, s.phase === 'forward' ? 'ROLLED_FORWARD' : 'ROLLED_BACK', actions);
  }
  return s;
}

function begin(state: UpdateMachineState, count: number, actions: MachineAction[]): UpdateMachineState {
  const upTo = Math.min(state.steps.length, state.next + count);
  if (upTo <= state.next) return state;
  const started = state.steps.slice(state.next, upTo);
  const forward = state.phase === 'forward';
  for (const step of started) {
    actions.push(
      {
        kind: 'instance',
        instance: step.instance,
        action: forward ? 'INSTANCE_UPDATING' : 'INSTANCE_ROLLING_BACK',
      },
      { kind: 'begin', instance: step.instance, op: step.op, phase: state.phase },
    );
  }
  return {
    ...state,
    next: upTo,
    inFlight: [...state.inFlight, ...started.map((s) => s.instance)],
    begun: forward ? [...state.begun, ...started] : state.begun,
  };
}

/** Undo every forward step begun, newest first, with the same strategy. */
function rollBack(state: UpdateMachineState, actions: MachineAction[], why: string): UpdateMachineState {
  for (const i of state.inFlight) actions.push({ kind: 'stop', instance: i });
  const steps = [...state.begun].reverse().map((s) => ({ instance: s.instance, op: inverse(s.op) }));
  const back: UpdateMachineState = {
    ...state,
    phase: 'back',
    steps,
    next: 0,
    batches: 0,
    inFlight: [],
    failures: {},
    failedInstances: [],
    message: why,
  };
  return advance(setStatus(back, 'ROLLING_BACK', actions, why), actions);
}

function inverse(op: InstanceOp): InstanceOp {
  return op === 'add' ? 'remove' : op === 'remove' ? 'add' : 'update';
}

function end(
  state: UpdateMachineState,
  to: UpdateStatus,
  actions: MachineAction[],
  why?: string,
): UpdateMachineState {
  for (const i of state.inFlight) actions.push({ kind: 'stop', instance: i });
  return setStatus({ ...state, inFlight: [] }, to, actions, why);
}

function setStatus(
  state: UpdateMachineState,
  to: UpdateStatus,
  actions: MachineAction[],
  message?: string,
): UpdateMachineState {
  actions.push({ kind: 'status', from: state.status, to, ...(message !== undefined && { message }) });
  return { ...state, status: to, ...(message !== undefined && { message }) };
}

function isPaused(s: UpdateStatus): boolean {
  return s === 'ROLL_FORWARD_PAUSED' || s === 'ROLL_BACK_PAUSED';
}
