import type { Effect, StepResult } from '../scheduler/api.js';

/** The part of the core the loop takes steps from. */
export interface StepSource {
  takeStep(): StepResult;
}

export interface DriverLoopOptions {
  readonly core: StepSource;
  /**
   * Makes a step's changes durable before its effects run. Production returns a Promise (one group
   * commit per step); the simulator passes none. Called only for steps with changes.
   */
  readonly persist?: (step: StepResult, seq: number) => void | Promise<void>;
  /** Carries out a step's effects (launch, kill, decline, reconcile), in order. */
  readonly carryOut: (effects: readonly Effect[]) => void;
}

/**
 * The one loop every driver runs around the core (simulator, test harness, production):
 *
 *   input (command, offer, status update, tick, …) ─► core ─► step {changes, effects}
 *     ─► persist(changes)   (prod: durable, async; sim: none)
 *     ─► carryOut(effects) and run what waited for durability (prod: ACK the status updates)
 *
 * The driver feeds an input by calling the core, then `flush` (or `flushSync` when its persist hook
 * is synchronous or absent). Work registered with `afterDurable` (e.g. acknowledging the Mesos
 * status update just fed) runs once the step that input caused is persisted. Inputs must not be fed
 * while an asynchronous flush is in progress: the step would mix two inputs' changes.
 */
export class DriverLoop {
  private readonly core: StepSource;
  private readonly persist: DriverLoopOptions['persist'];
  private readonly carryOut: DriverLoopOptions['carryOut'];
  private waiting: (() => void)[] = [];
  private flushing = false;
  /** Steps taken with changes or effects so far (the sequence number of the last one). */
  seq = 0;

  constructor(options: DriverLoopOptions) {
    this.core = options.core;
    this.persist = options.persist;
    this.carryOut = options.carryOut;
  }

  /** Runs `fn` after the next step is durable (an input fed since the last flush is in that step). */
  afterDurable(fn: () => void): void {
    this.waiting.push(fn);
  }

  /**
   * Takes the core's step, persists its changes, carries out its effects. Returns whether the step
   * had any effects. Throws if the persist hook returns a Promise: use `flush` then.
   */
  flushSync(): boolean {
    const step = this.core.takeStep();
    const effects = step.effects;
    if (step.changes.length === 0 && effects.length === 0) {
      if (this.waiting.length > 0) this.runWaiting();
      return false;
    }
    const seq = ++this.seq;
    if (step.changes.length > 0 && this.persist !== undefined) {
      const done = this.persist(step, seq);
      if (done !== undefined)
        throw new Error('DriverLoop.flushSync: the persist hook is asynchronous; use flush()');
    }
    if (this.waiting.length > 0) this.runWaiting();
    if (effects.length > 0) this.carryOut(effects);
    return effects.length > 0;
  }

  /** `flushSync` for an asynchronous persist hook: effects and waiting work run after it resolves. */
  async flush(): Promise<boolean> {
    if (this.flushing) throw new Error('DriverLoop.flush: a flush is already in progress');
    this.flushing = true;
    try {
      const step = this.core.takeStep();
      const effects = step.effects;
      if (step.changes.length === 0 && effects.length === 0) {
        if (this.waiting.length > 0) this.runWaiting();
        return false;
      }
      const seq = ++this.seq;
      if (step.changes.length > 0 && this.persist !== undefined) await this.persist(step, seq);
      if (this.waiting.length > 0) this.runWaiting();
      if (effects.length > 0) this.carryOut(effects);
      return effects.length > 0;
    } finally {
      this.flushing = false;
    }
  }

  private runWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const fn of waiting) fn();
  }
}
