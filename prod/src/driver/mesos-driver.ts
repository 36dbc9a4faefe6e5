import { DriverLoop, type Effect, type Scheduler, type StepResult } from '@borealis/core';
import type { Logger } from 'pino';
import type { Offer, TaskInfo, TaskStatus } from '../mesos/mesos-types.js';
import type { Storage } from '../storage/types.js';
import { AgentBook } from './agent-book.js';
import { OfferBook } from './offer-book.js';
import { type CoreOffer, offerInput } from './offers-in.js';
import { needsAck, statusInput } from './status-in.js';
import { buildTaskInfo, DEFAULT_KILL_GRACE_SECONDS } from './task-info.js';

/** The calls the driver makes to Mesos (SchedulerClient has them; tests may pass a recorder). */
export interface MesosCalls {
  launch(
    offerIds: readonly string[],
    tasks: readonly TaskInfo[],
    filters?: { refuse_seconds?: number },
  ): Promise<void>;
  decline(offerIds: readonly string[], filters?: { refuse_seconds?: number }): Promise<void>;
  kill(
    taskId: string,
    agentId?: string,
    killPolicy?: { grace_period?: { nanoseconds: string } },
  ): Promise<void>;
  acknowledge(status: TaskStatus): Promise<boolean>;
  reconcile(tasks?: readonly { task_id: { value: string }; agent_id?: { value: string } }[]): Promise<void>;
  suppress(roles?: readonly string[]): Promise<void>;
  revive(roles?: readonly string[]): Promise<void>;
}

export interface MesosDriverOptions {
  /** A core made with recordChanges and offerMode on, restored from storage. */
  readonly core: Scheduler;
  readonly storage: Storage;
  readonly mesos: MesosCalls;
  readonly log: Logger;
  /** Wall clock (ms); tests pass a manual one. */
  readonly now?: () => number;
  readonly cluster?: string;
  readonly killGraceSeconds?: number;
  /** Kills not confirmed by a terminal update are sent again after this. Default 30 s. */
  readonly killRetryMs?: number;
  /**
   * A task launched or killed that Mesos has not moved on from (no RUNNING, no terminal update)
   * within this is LOST (and rescheduled if it should run), as Aurora's task timeout does. Default 5 min.
   */
  readonly transientTimeoutMs?: number;
  /** Explicit reconciliation of every task, then implicit, this often. Default 15 min. */
  readonly reconcileIntervalMs?: number;
  /** Delay between the explicit and the implicit reconciliation. Default 5 s. */
  readonly implicitReconcileDelayMs?: number;
  /**
   * When more than this share of the tasks the first reconciliation reports are unknown to the core
   * (a restore from an old backup), their kills are held until an operator releases them.
   */
  readonly unknownTaskAlarmShare?: number;
  /** An offer not used within this is declined. Default 10 s. */
  readonly offerHoldMs?: number;
  /** How long a declined offer's resources stay away (Mesos's refuse_seconds). Default 5 s. */
  readonly refuseSeconds?: number;
  /** Called when the loop cannot go on (storage failed): the process should exit. */
  readonly onFatal?: (error: Error) => void;
  /** Observation hooks for metrics. */
  readonly observe?: DriverObserver;
}

export interface DriverObserver {
  offersReceived?(count: number): void;
  offersDeclined?(count: number): void;
  offersRescinded?(count: number): void;
  launched?(count: number): void;
  persisted?(changes: number, ms: number): void;
  callFailed?(call: string, error: Error): void;
}

type Input =
  | { readonly kind: 'offers'; readonly offers: readonly CoreOffer[] }
  | { readonly kind: 'rescind'; readonly offerId: string }
  | { readonly kind: 'expire-offers'; readonly all?: boolean }
  | { readonly kind: 'status'; readonly status: TaskStatus }
  | { readonly kind: 'tick' }
  | { readonly kind: 'transient-timeout' }
  | { readonly kind: 'reconcile'; readonly how: 'explicit' | 'implicit' }
  | {
      readonly kind: 'command';
      readonly fn: (core: Scheduler) => unknown;
      readonly resolve: (value: unknown) => void;
      readonly reject: (error: unknown) => void;
    };

/**
 * The production loop: Mesos events and API commands go into the core one batch at a time; each
 * batch is one core step whose changes are committed to storage (one group commit) before its
 * effects go to Mesos, its status updates are acknowledged and its commands answered.
 *
 *   events, commands ─► inbox ─► core (one batch) ─► step ─► storage.commit ─► ACKs, answers
 *                                                                        └──► ACCEPT / DECLINE / KILL / RECONCILE
 *
 * While a commit is in flight new inputs wait in the inbox and go together into the next step, so
 * a burst of updates costs one fsync, not one each.
 */
export class MesosDriver {
  private readonly core: Scheduler;
  private readonly loop: DriverLoop;
  private readonly agents = new AgentBook();
  private readonly offerBook = new OfferBook();
  private offerTimer: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private readonly now: () => number;
  private inbox: Input[] = [];
  private pumping = false;
  private paused = false;
  private stopped = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private suppressed = false;
  /** Kills sent and not yet confirmed by a terminal update: task → when to send again. */
  private readonly killsInFlight = new Map<string, { host: string; agentId?: string; retryAt: number }>();
  private killRetryTimer: NodeJS.Timeout | undefined;
  /** Tasks in a transient state (launched, starting, being killed): task → since when. */
  private readonly transient = new Map<string, number>();
  private transientTimer: NodeJS.Timeout | undefined;
  /** First reconciliation after (re)subscribing: unknown-task kills are counted, maybe held. */
  private heldKills: Effect[] = [];
  private holdingKills = false;
  private firstReconcile: { known: number; unknown: number } | undefined;

  constructor(private readonly options: MesosDriverOptions) {
    this.core = options.core;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.loop = new DriverLoop({
      core: this.core,
      persist: (step) => this.persist(step),
      carryOut: (effects) => this.carryOut(effects),
    });
  }

  // ---- inputs -----------------------------------------------------------------------------------

  offers(offers: readonly Offer[]): void {
    for (const offer of offers) this.agents.sawOffer(offer.hostname, offer.agent_id.value);
    this.options.observe?.offersReceived?.(offers.length);
    this.push({ kind: 'offers', offers: offers.map(offerInput) });
  }

  rescind(offerId: string): void {
    this.options.observe?.offersRescinded?.(1);
    this.push({ kind: 'rescind', offerId });
  }

  status(status: TaskStatus): void {
    this.push({ kind: 'status', status });
  }

  /** Runs a user command in the loop; resolves with its result once its changes are durable. */
  command<T>(fn: (core: Scheduler) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.push({ kind: 'command', fn, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /** Reads the core between steps. */
  read<T>(fn: (core: Scheduler) => T): T {
    return fn(this.core);
  }

  /** The subscription is (re)established: offers from before are void; reconcile everything. */
  subscribed(): void {
    this.suppressed = false;
    this.push({ kind: 'expire-offers', all: true });
    this.firstReconcile = { known: 0, unknown: 0 };
    this.holdingKills = true;
    this.push({ kind: 'reconcile', how: 'explicit' });
    setTimeout(() => {
      this.push({ kind: 'reconcile', how: 'implicit' });
      // Unknown tasks reported so far decide whether their kills go out (see releaseHeldKills).
      setTimeout(() => this.settleFirstReconcile(), this.options.implicitReconcileDelayMs ?? 5000).unref();
    }, this.options.implicitReconcileDelayMs ?? 5000).unref();
    this.armReconcile();
  }

  /** Stop Mesos calls and storage writes at once (lost ZooKeeper session, shutdown). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  /** Stops the loop: waits for the step in flight; nothing is started after. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.wakeTimer);
    clearTimeout(this.reconcileTimer);
    clearTimeout(this.killRetryTimer);
    clearInterval(this.offerTimer);
    clearInterval(this.transientTimer);
    while (this.pumping) await new Promise((r) => setTimeout(r, 5));
    for (const input of this.inbox)
      if (input.kind === 'command') input.reject(new Error('scheduler stopping'));
    this.inbox = [];
  }

  /** Kills of unknown tasks held back by the unknown-task alarm, and whether the alarm is on. */
  alarm(): { readonly holding: boolean; readonly heldKills: number } {
    return { holding: this.holdingKills && this.heldKills.length > 0, heldKills: this.heldKills.length };
  }

  /** An operator decided: the held kills of unknown tasks go out (true) or are dropped (false). */
  releaseHeldKills(kill: boolean): number {
    const held = this.heldKills;
    this.heldKills = [];
    this.holdingKills = false;
    if (kill) this.sendKills(held);
    return held.length;
  }

  // ---- the loop ---------------------------------------------------------------------------------

  private push(input: Input): void {
    if (this.stopped) {
      if (input.kind === 'command') input.reject(new Error('scheduler stopping'));
      return;
    }
    this.inbox.push(input);
    this.kick();
  }

  private kick(): void {
    if (this.pumping || this.paused || this.stopped) return;
    this.pumping = true;
    queueMicrotask(() => {
      this.pump().then(
        () => {
          this.pumping = false;
          if (this.inbox.length > 0) this.kick();
          else this.armWakeup();
        },
        (error: Error) => {
          this.pumping = false;
          this.stopped = true;
          this.log.fatal({ err: error }, 'the scheduler loop failed; stopping');
          this.options.onFatal?.(error);
        },
      );
    });
  }

  private async pump(): Promise<void> {
    while (this.inbox.length > 0 && !this.paused && !this.stopped) {
      const batch = this.inbox;
      this.inbox = [];
      for (const input of batch) this.apply(input);
      this.core.tick();
      await this.loop.flush();
      this.afterStep();
    }
  }

  private apply(input: Input): void {
    const core = this.core;
    switch (input.kind) {
      case 'offers':
        for (const offer of input.offers) this.takeOffer(offer);
        return;
      case 'rescind': {
        const emptied = this.offerBook.remove(input.offerId);
        if (emptied !== undefined) core.rescind(emptied);
        return;
      }
      case 'expire-offers':
        this.expireOffers(input.all === true);
        return;
      case 'status': {
        const status = input.status;
        const update = statusInput(status);
        this.agents.sawTask(update.taskId, update.agentId);
        this.logStatus(update.taskId, update.agentId, update.state, update.message);
        if (this.firstReconcile && status.reason === 'REASON_RECONCILIATION') {
          if (core.task(update.taskId)) this.firstReconcile.known++;
          else this.firstReconcile.unknown++;
        }
        core.mesosStatus(update);
        if (isTerminal(update.state)) {
          this.killsInFlight.delete(update.taskId);
          this.agents.forgetTask(update.taskId);
          this.transient.delete(update.taskId);
        } else if (update.state === 'RUNNING') {
          if (!this.killsInFlight.has(update.taskId)) this.transient.delete(update.taskId);
        } else if (update.state === 'STARTING') {
          if (this.transient.has(update.taskId)) this.transient.set(update.taskId, this.now());
        }
        if (needsAck(status)) {
          this.loop.afterDurable(() => {
            if (this.paused || this.stopped) return;
            this.options.mesos.acknowledge(status).catch((e: Error) => this.callFailed('ACKNOWLEDGE', e));
          });
        }
        return;
      }
      case 'tick':
        return;
      case 'transient-timeout':
        this.expireTransient();
        return;
      case 'reconcile':
        core.requestReconciliation(input.how);
        return;
      case 'command': {
        let result: unknown;
        try {
          result = input.fn(core);
        } catch (error) {
          input.reject(error);
          return;
        }
        this.loop.afterDurable(() => input.resolve(result));
        return;
      }
    }
  }

  private async persist(step: StepResult): Promise<void> {
    if (this.paused) throw new Error('storage writes are paused');
    const started = performance.now();
    await this.options.storage.commit(step.changes);
    this.options.observe?.persisted?.(step.changes.length, performance.now() - started);
  }

  // ---- effects ----------------------------------------------------------------------------------

  private carryOut(effects: readonly Effect[]): void {
    if (this.paused || this.stopped) return;
    const launches = new Map<string, { offerIds: readonly string[]; agentId: string; tasks: TaskInfo[] }>();
    const kills: Effect[] = [];
    for (const effect of effects) {
      switch (effect.kind) {
        case 'launch': {
          let group = launches.get(effect.host);
          if (!group) {
            const offers = this.offerBook.take(effect.host);
            if (offers.length === 0) {
              // The core placed on a host whose offers are gone (rescinded in the same step): Mesos
              // cannot take it; reconciliation reports it LOST and the core reschedules it.
              this.log.warn({ task: effect.taskId, host: effect.host }, 'no offer left for a placed task');
              break;
            }
            group = { offerIds: offers.map((o) => o.id), agentId: offers[0]!.agentId, tasks: [] };
            launches.set(effect.host, group);
          }
          this.agents.sawTask(effect.taskId, group.agentId);
          this.markTransient(effect.taskId);
          group.tasks.push(
            buildTaskInfo(
              {
                taskId: effect.taskId,
                job: effect.job,
                instance: effect.instance,
                agentId: group.agentId,
                hostname: effect.host,
                ports: effect.ports,
                config: effect.config,
                ...(this.options.cluster ? { cluster: this.options.cluster } : {}),
              },
              { killGraceSeconds: this.killGrace() },
            ),
          );
          break;
        }
        case 'kill':
          if (this.holdingKills && effect.reason === 'unknown-task') this.heldKills.push(effect);
          else kills.push(effect);
          break;
        case 'reconcile':
          this.options.mesos
            .reconcile(
              effect.tasks.map((t) => {
                const agent = this.agents.agentOf(t.taskId, t.host);
                return { task_id: { value: t.taskId }, ...(agent ? { agent_id: { value: agent } } : {}) };
              }),
            )
            .catch((e: Error) => this.callFailed('RECONCILE', e));
          break;
      }
    }
    for (const group of launches.values()) {
      this.options.observe?.launched?.(group.tasks.length);
      for (const t of group.tasks) {
        this.log.debug(
          {
            task: t.task_id.value,
            job: labelOf(t, 'borealis.job'),
            instance: labelOf(t, 'borealis.instance'),
            agent: group.agentId,
          },
          'launching',
        );
      }
      this.log.info(
        { agent: group.agentId, tasks: group.tasks.length, offers: group.offerIds.length },
        'ACCEPT',
      );
      this.options.mesos
        .launch(group.offerIds, group.tasks)
        .catch((e: Error) => this.callFailed('ACCEPT', e));
    }
    this.sendKills(kills);
  }

  private sendKills(kills: readonly Effect[]): void {
    const now = this.now();
    for (const effect of kills) {
      if (effect.kind !== 'kill') continue;
      const agentId = effect.agentId ?? this.agents.agentOf(effect.taskId, effect.host);
      this.killsInFlight.set(effect.taskId, {
        host: effect.host,
        ...(agentId ? { agentId } : {}),
        retryAt: now + this.killRetryMs(),
      });
      this.log.info(
        { task: effect.taskId, agent: agentId, host: effect.host, reason: effect.reason },
        'killing',
      );
      this.sendKill(effect.taskId, agentId);
      this.markTransient(effect.taskId);
    }
    if (kills.length > 0) this.armKillRetry();
  }

  private sendKill(taskId: string, agentId: string | undefined): void {
    const grace = { grace_period: { nanoseconds: String(this.killGrace() * 1e9) } };
    this.options.mesos.kill(taskId, agentId, grace).catch((e: Error) => this.callFailed('KILL', e));
  }

  /**
   * An offer: the host joins the core the first time it is offered (its spec from the offer: on a
   * host Borealis has nothing on, what Mesos offers is what the core may use), and the core may
   * place on it while the driver holds one of its offers.
   */
  private takeOffer(offer: CoreOffer): void {
    const core = this.core;
    if (core.hostAllocated(offer.hostname) === undefined) {
      core.addHost({
        id: offer.hostname,
        resources: offer.resources,
        ports: offer.ports,
        attributes: offer.attributes,
      });
    }
    this.offerBook.add(offer, this.now());
    core.offer(offer.hostname);
    this.armOfferTimer();
  }

  /** Declines held offers: those past the hold time, or all (resubscribed: they are void anyway). */
  private expireOffers(all: boolean): void {
    const hosts = all ? this.offerBook.hosts() : this.offerBook.stale(this.now(), this.offerHoldMs());
    this.declineHosts(hosts, !all);
  }

  private declineHosts(hosts: readonly string[], tellMesos: boolean): void {
    const ids: string[] = [];
    for (const host of hosts) {
      for (const offer of this.offerBook.take(host)) ids.push(offer.id);
      this.core.rescind(host);
    }
    if (!tellMesos || ids.length === 0 || this.paused || this.stopped) return;
    this.options.observe?.offersDeclined?.(ids.length);
    this.options.mesos
      .decline(ids, { refuse_seconds: this.options.refuseSeconds ?? 5 })
      .catch((e: Error) => this.callFailed('DECLINE', e));
  }

  private armOfferTimer(): void {
    if (this.offerTimer) return;
    this.offerTimer = setInterval(
      () => {
        if (this.offerBook.size === 0) {
          clearInterval(this.offerTimer);
          this.offerTimer = undefined;
          return;
        }
        this.push({ kind: 'expire-offers' });
      },
      Math.max(100, Math.min(1000, this.offerHoldMs() / 4)),
    );
    this.offerTimer.unref();
  }

  private offerHoldMs(): number {
    return this.options.offerHoldMs ?? 10_000;
  }

  /** Offers are wanted while tasks wait for them: SUPPRESS when none wait, REVIVE when some do. */
  private afterStep(): void {
    if (this.paused || this.stopped) return;
    const counts = this.core.taskCounts();
    const waiting = (counts.PENDING ?? 0) > 0;
    // Nothing waits for offers: give back what is held at once, so other frameworks get it.
    if (!waiting && this.offerBook.size > 0) this.declineHosts(this.offerBook.hosts(), true);
    if (waiting && this.suppressed) {
      this.suppressed = false;
      this.options.mesos.revive().catch((e: Error) => this.callFailed('REVIVE', e));
    } else if (!waiting && !this.suppressed && (counts.THROTTLED ?? 0) === 0) {
      this.suppressed = true;
      this.options.mesos.suppress().catch((e: Error) => this.callFailed('SUPPRESS', e));
    }
  }

  // ---- timers -----------------------------------------------------------------------------------

  /** Wakes the core when its next timer is due (backoff, throttling, updates, cron, …). */
  private armWakeup(): void {
    if (this.stopped) return;
    const next = this.core.nextWakeup();
    if (next === undefined) return;
    if (this.wakeTimer && next >= this.wakeAt) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = next;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wakeAt = Number.POSITIVE_INFINITY;
        this.push({ kind: 'tick' });
      },
      Math.max(0, Math.min(next - this.now(), 2 ** 31 - 1)),
    );
  }

  private armReconcile(): void {
    clearTimeout(this.reconcileTimer);
    const every = this.options.reconcileIntervalMs ?? 15 * 60_000;
    this.reconcileTimer = setTimeout(() => {
      this.push({ kind: 'reconcile', how: 'explicit' });
      setTimeout(
        () => this.push({ kind: 'reconcile', how: 'implicit' }),
        this.options.implicitReconcileDelayMs ?? 5000,
      ).unref();
      this.armReconcile();
    }, every);
    this.reconcileTimer.unref();
  }

  private armKillRetry(): void {
    if (this.killRetryTimer) return;
    this.killRetryTimer = setTimeout(() => {
      this.killRetryTimer = undefined;
      if (this.paused || this.stopped) return;
      const now = this.now();
      for (const [taskId, kill] of this.killsInFlight) {
        if (kill.retryAt > now) continue;
        kill.retryAt = now + this.killRetryMs();
        this.log.info({ task: taskId, agent: kill.agentId }, 'kill not confirmed yet; sending it again');
        this.sendKill(taskId, kill.agentId);
      }
      if (this.killsInFlight.size > 0) this.armKillRetry();
    }, this.killRetryMs());
    this.killRetryTimer.unref();
  }

  /**
   * After the first reconciliation: if most tasks Mesos reported are unknown to the core, the store
   * is probably older than the cluster (a restore from an old backup). Killing them would destroy
   * the cluster's work, so their kills wait for an operator; otherwise they go out.
   */
  private settleFirstReconcile(): void {
    const seen = this.firstReconcile;
    this.firstReconcile = undefined;
    if (!seen) return;
    const share = this.options.unknownTaskAlarmShare ?? 0.5;
    const total = seen.known + seen.unknown;
    if (seen.unknown > 0 && total >= 10 && seen.unknown / total > share) {
      this.log.error(
        { unknown: seen.unknown, known: seen.known, heldKills: this.heldKills.length },
        'most tasks Mesos reports are unknown to this scheduler (restored from an old backup?): their kills are held until an operator decides (admin reconcile)',
      );
      return;
    }
    this.releaseHeldKills(true);
  }

  private markTransient(taskId: string): void {
    this.transient.set(taskId, this.now());
    if (this.transientTimer) return;
    const every = Math.max(1000, Math.min(30_000, this.transientTimeoutMs() / 4));
    this.transientTimer = setInterval(() => {
      if (this.transient.size === 0) {
        clearInterval(this.transientTimer);
        this.transientTimer = undefined;
        return;
      }
      this.push({ kind: 'transient-timeout' });
    }, every);
    this.transientTimer.unref();
  }

  /** Tasks stuck in a transient state past the timeout become LOST in the core (Aurora's TaskTimeout). */
  private expireTransient(): void {
    const limit = this.now() - this.transientTimeoutMs();
    for (const [taskId, since] of this.transient) {
      if (since > limit) continue;
      this.transient.delete(taskId);
      this.killsInFlight.delete(taskId);
      const task = this.core.task(taskId);
      if (!task) continue;
      this.log.warn(
        { task: taskId, state: task.state, agent: this.agents.agentOf(taskId, task.host) },
        'no word from Mesos on a task in a transient state: marking it LOST',
      );
      this.core.mesosStatus({
        taskId,
        state: 'LOST',
        message: `stuck in ${task.state} for ${Math.round(this.transientTimeoutMs() / 1000)} s`,
      });
    }
  }

  private transientTimeoutMs(): number {
    return this.options.transientTimeoutMs ?? 5 * 60_000;
  }

  /** Status updates at debug; the ones that end a task badly at warn, with Mesos's reason. */
  private logStatus(
    taskId: string,
    agentId: string | undefined,
    state: string,
    message: string | undefined,
  ): void {
    const fields = { task: taskId, agent: agentId, state, ...(message ? { reason: message } : {}) };
    if (
      state === 'FAILED' ||
      state === 'LOST' ||
      state === 'ERROR' ||
      state === 'DROPPED' ||
      state === 'GONE'
    )
      this.log.warn(fields, 'task ended badly');
    else this.log.debug(fields, 'status update');
  }

  private killGrace(): number {
    return this.options.killGraceSeconds ?? DEFAULT_KILL_GRACE_SECONDS;
  }

  private killRetryMs(): number {
    return this.options.killRetryMs ?? 30_000;
  }

  private callFailed(call: string, error: Error): void {
    // Calls cut off by our own shutdown are not failures worth a warning.
    if (this.stopped) return;
    this.options.observe?.callFailed?.(call, error);
    this.log.warn({ err: error, call }, `Mesos ${call} failed`);
  }
}

function labelOf(task: TaskInfo, key: string): string | undefined {
  return task.labels?.labels?.find((l) => l.key === key)?.value;
}

function isTerminal(state: string): boolean {
  return (
    state === 'FINISHED' ||
    state === 'FAILED' ||
    state === 'KILLED' ||
    state === 'ERROR' ||
    state === 'LOST' ||
    state === 'DROPPED' ||
    state === 'GONE' ||
    state === 'GONE_BY_OPERATOR'
  );
}
