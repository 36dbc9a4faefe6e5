import { EventEmitter, setMaxListeners } from 'node:events';
import { formatProblems } from '@borealis/core';
import type {
  AgentID,
  ExecutorInfo,
  Filters,
  FrameworkInfo,
  KillPolicy,
  OfferOperation,
  TaskGroupInfo,
  TaskID,
  TaskInfo,
  TaskStatus,
} from '../mesos-types.js';
import type { Call, Event, OfferConstraints } from '../scheduler-types.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { CallSender, sleep } from './call-sender.js';
import * as calls from './calls.js';
import { type ClientInput, type ClientState, nextState } from './client-state.js';
import { codecFor, type Encoding } from './codec.js';
import { MesosCallError, MesosConnectionError, NotSubscribedError } from './errors.js';
import { readEvents } from './event-stream.js';
import { HeartbeatWatchdog } from './heartbeat-watchdog.js';
import { type HttpCredentials, MesosHttp } from './http.js';
import { AbortedError, type LeaderDetector, StaticLeaderDetector } from './leader-detector.js';
import { parseMasterSource } from './masters.js';
import { followRedirects, masterBase } from './redirects.js';
import { ZooKeeperLeaderDetector } from './zk-leader-detector.js';

export interface SchedulerClientOptions {
  /** `zk://h:2181,h2:2181/mesos`, master URLs (`http://m1:5050,http://m2:5050`), or a detector of your own. */
  readonly masters: string | readonly string[] | LeaderDetector;
  readonly frameworkInfo: FrameworkInfo;
  /** The id saved from an earlier SUBSCRIBED: the client fails over to it instead of registering anew. */
  readonly frameworkId?: string;
  /** Body encoding; protobuf by default. */
  readonly encoding?: Encoding;
  /** HTTP basic authentication of the framework, when the master requires it. */
  readonly credentials?: HttpCredentials;
  readonly suppressedRoles?: readonly string[];
  readonly offerConstraints?: OfferConstraints;
  /** Resubscription backoff (default 0.5 s doubling up to 15 s, jittered). */
  readonly backoff?: BackoffOptions;
  /** Heartbeat intervals without any event before the stream is dropped (default 5). */
  readonly missedHeartbeats?: number;
  /**
   * Awaited when SUBSCRIBED names the framework id, before the event is delivered and before any
   * later event is read: persist the id here, so it is durable before anything acts on it.
   */
  readonly onFrameworkId?: (frameworkId: string) => Promise<void> | void;
  readonly maxCallSockets?: number;
  readonly zooKeeperSessionTimeoutMs?: number;
}

export interface SubscribedInfo {
  readonly frameworkId: string;
  readonly streamId: string;
  readonly master: URL;
  readonly heartbeatIntervalSeconds: number;
}

type ClientEvents = {
  /** Every event of the stream, in order (SUBSCRIBED and HEARTBEAT included). */
  event: [event: Event];
  state: [state: ClientState, reason: Error | undefined];
  subscribed: [info: SubscribedInfo];
  /** The subscription was lost; the client resubscribes after a backoff. */
  disconnected: [reason: Error];
  /** The client stopped: stop() (no reason) or a refusal that retrying cannot fix. */
  closed: [reason: Error | undefined];
};

/** The master sent ERROR on the stream (e.g. "Framework failed over", or removed after its failover timeout). */
export class MesosFrameworkError extends Error {
  constructor(readonly mesosMessage: string) {
    super(`Mesos ended the subscription: ${mesosMessage}`);
    this.name = 'MesosFrameworkError';
  }
}

const SCHEDULER_PATH = '/api/v1/scheduler';

/**
 * A Mesos v1 scheduler client: one SUBSCRIBE stream (RecordIO events, watched by a heartbeat
 * watchdog, resubscribed with jittered backoff, failing over with the saved framework id), calls on
 * a separate keep-alive pool, redirects and 503s handled, the leader found through ZooKeeper or a
 * list of masters. The framework logic sees typed events and call methods, never HTTP.
 */
export class SchedulerClient extends EventEmitter<ClientEvents> {
  private current: ClientState = 'disconnected';
  private readonly detector: LeaderDetector;
  private readonly ownsDetector: boolean;
  private readonly codec;
  private readonly http: MesosHttp;
  private readonly sender: CallSender;
  private readonly backoff: Backoff;
  private readonly missedHeartbeats: number;
  private frameworkInfo: FrameworkInfo;
  private id: string | undefined;
  private stream: { readonly endpoint: URL; readonly streamId: string } | undefined;
  private lifetime = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly options: SchedulerClientOptions) {
    super();
    if (options.frameworkInfo.failover_timeout === undefined) {
      throw new Error(
        "frameworkInfo.failover_timeout must be set: Mesos's default of 0 kills every task the moment the " +
          'scheduler disconnects; production schedulers use weeks (e.g. 1209600 s), tests may say 0',
      );
    }
    this.frameworkInfo = options.frameworkInfo;
    this.id = options.frameworkId;
    this.codec = codecFor(options.encoding ?? 'protobuf');
    this.http = new MesosHttp({
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.maxCallSockets ? { maxCallSockets: options.maxCallSockets } : {}),
    });
    this.sender = new CallSender(this.http, this.codec);
    this.backoff = new Backoff(options.backoff);
    this.missedHeartbeats = options.missedHeartbeats ?? 5;
    if (typeof options.masters === 'object' && 'next' in options.masters) {
      this.detector = options.masters;
      this.ownsDetector = false;
    } else {
      const source = parseMasterSource(options.masters as string | readonly string[], 'masters');
      if (!source.ok) throw new Error(formatProblems(source.problems));
      this.detector =
        source.value.kind === 'zookeeper'
          ? new ZooKeeperLeaderDetector({
              connect: source.value.connect,
              path: source.value.path,
              ...(options.zooKeeperSessionTimeoutMs
                ? { sessionTimeoutMs: options.zooKeeperSessionTimeoutMs }
                : {}),
            })
          : new StaticLeaderDetector(source.value.urls);
      this.ownsDetector = true;
    }
  }

  get state(): ClientState {
    return this.current;
  }

  /** The framework id (from options or the last SUBSCRIBED). */
  get frameworkId(): string | undefined {
    return this.id;
  }

  /** The master the subscription lives on, while subscribed. */
  get master(): URL | undefined {
    return this.stream ? masterBase(this.stream.endpoint) : undefined;
  }

  /** Subscribes, and keeps the subscription alive until stop(). */
  start(): void {
    if (this.running) return;
    if (this.current === 'closed') this.move('start');
    this.lifetime = new AbortController();
    // Every call in flight listens for the client stopping: a burst has thousands at once.
    setMaxListeners(0, this.lifetime.signal);
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Closes the stream and the connections; resolves when the client is idle. */
  async stop(): Promise<void> {
    this.shutdown(undefined);
    await this.running;
    this.http.close();
    if (this.ownsDetector) this.detector.close();
  }

  /** After Mesos removed the framework (failover timeout passed): subscribe as a new framework next time. */
  forgetFrameworkId(): void {
    this.id = undefined;
  }

  // ---- calls --------------------------------------------------------------------------------------

  /** Sends any call (framework_id is added); resolves on 202/200, rejects with MesosCallError. */
  async call(call: Call): Promise<void> {
    const stream = this.stream;
    const frameworkId = this.id;
    if (this.current !== 'subscribed' || !stream || !frameworkId) {
      throw new NotSubscribedError(call.type ?? 'UNKNOWN', this.current);
    }
    await this.sender.send(
      { url: stream.endpoint, streamId: stream.streamId, frameworkId },
      call,
      this.lifetime.signal,
    );
  }

  accept(
    offerIds: readonly string[],
    operations: readonly OfferOperation[],
    filters?: Filters,
  ): Promise<void> {
    return this.call(calls.acceptCall(offerIds, operations, filters));
  }

  launch(offerIds: readonly string[], tasks: readonly TaskInfo[], filters?: Filters): Promise<void> {
    return this.accept(offerIds, [calls.launch(tasks)], filters);
  }

  launchGroup(
    offerIds: readonly string[],
    executor: ExecutorInfo,
    group: TaskGroupInfo,
    filters?: Filters,
  ): Promise<void> {
    return this.accept(offerIds, [calls.launchGroup(executor, group)], filters);
  }

  decline(offerIds: readonly string[], filters?: Filters): Promise<void> {
    return this.call(calls.declineCall(offerIds, filters));
  }

  acceptInverseOffers(ids: readonly string[], filters?: Filters): Promise<void> {
    return this.call(calls.acceptInverseOffersCall(ids, filters));
  }

  declineInverseOffers(ids: readonly string[], filters?: Filters): Promise<void> {
    return this.call(calls.declineInverseOffersCall(ids, filters));
  }

  kill(taskId: string, agentId?: string, killPolicy?: KillPolicy): Promise<void> {
    return this.call(calls.killCall(taskId, agentId, killPolicy));
  }

  /** Acknowledges an update if it carries a uuid (resolves true), else does nothing (false). */
  async acknowledge(status: TaskStatus): Promise<boolean> {
    const call = calls.acknowledgeCall(status);
    if (!call) return false;
    await this.call(call);
    return true;
  }

  /** Explicit reconciliation for these tasks, implicit (all tasks) without. */
  reconcile(tasks: readonly { task_id: TaskID; agent_id?: AgentID }[] = []): Promise<void> {
    return this.call(calls.reconcileCall(tasks));
  }

  suppress(roles?: readonly string[]): Promise<void> {
    return this.call(calls.suppressCall(roles));
  }

  revive(roles?: readonly string[]): Promise<void> {
    return this.call(calls.reviveCall(roles));
  }

  shutdownExecutor(executorId: string, agentId: string): Promise<void> {
    return this.call(calls.shutdownCall(executorId, agentId));
  }

  message(agentId: string, executorId: string, data: Uint8Array): Promise<void> {
    return this.call(calls.messageCall(agentId, executorId, data));
  }

  /** Changes the framework's info (answered 200); later resubscriptions use the new info. */
  async updateFramework(frameworkInfo: FrameworkInfo, suppressedRoles?: readonly string[]): Promise<void> {
    const id = this.id;
    if (!id) throw new NotSubscribedError('UPDATE_FRAMEWORK', this.current);
    await this.call(calls.updateFrameworkCall(frameworkInfo, id, suppressedRoles));
    this.frameworkInfo = frameworkInfo;
  }

  /** Ends the framework: Mesos kills all its tasks. The client then closes. */
  async teardown(): Promise<void> {
    await this.call(calls.teardownCall());
    this.id = undefined;
    this.shutdown(undefined);
  }

  // ---- the subscription loop ----------------------------------------------------------------------

  private move(input: ClientInput, reason?: Error): void {
    const next = nextState(this.current, input);
    if (next === undefined) throw new Error(`scheduler client: '${input}' in state ${this.current}`);
    if (next === this.current) return;
    this.current = next;
    this.emit('state', next, reason);
  }

  private shutdown(reason: Error | undefined): void {
    if (this.current === 'closed') return;
    this.stream = undefined;
    this.move('close', reason);
    this.lifetime.abort(new AbortedError());
    this.emit('closed', reason);
  }

  private async run(): Promise<void> {
    const signal = this.lifetime.signal;
    while (this.current !== 'closed' && !signal.aborted) {
      this.move('connect');
      let master: URL | undefined;
      try {
        master = await this.detector.next(signal);
        await this.subscribeOnce(master, signal);
      } catch (e) {
        if (signal.aborted) return;
        const error = e instanceof Error ? e : new Error(String(e));
        if (isFinal(error)) {
          this.shutdown(error);
          return;
        }
        if (master && blamesMaster(error)) this.detector.failed(master);
        this.stream = undefined;
        this.move('lost', error);
        this.emit('disconnected', error);
        await sleep(this.backoff.next(), signal).catch(() => {});
      }
    }
  }

  private async subscribeOnce(master: URL, lifetime: AbortSignal): Promise<void> {
    const body = this.codec.encodeCall(
      calls.subscribeCall(
        this.frameworkInfo,
        this.id,
        this.options.suppressedRoles,
        this.options.offerConstraints,
      ),
    );
    const headers = { 'Content-Type': this.codec.mediaType, Accept: this.codec.mediaType };
    const abort = new AbortController();
    const onLifetimeEnd = () => abort.abort(new AbortedError());
    lifetime.addEventListener('abort', onLifetimeEnd, { once: true });
    const watchdog = new HeartbeatWatchdog((silentMs) => {
      abort.abort(
        new MesosConnectionError(`no event from the master for ${silentMs} ms (heartbeats missed)`),
      );
    }, this.missedHeartbeats);
    let endpoint: URL | undefined;
    const onLeaderChange = (leader: URL | undefined) => {
      if (endpoint && leader?.href !== masterBase(endpoint).href) {
        abort.abort(new MesosConnectionError(`the leading master changed to ${leader?.href ?? 'none'}`));
      }
    };
    this.detector.changes.on('change', onLeaderChange);
    try {
      const { response, url } = await followRedirects(
        new URL(SCHEDULER_PATH, master),
        (u) => this.http.openStream(u, body, headers, abort.signal),
        (r) => r.body.destroy(),
      );
      endpoint = url;
      if (response.status !== 200) {
        const text = await readText(response.body);
        throw new MesosCallError('SUBSCRIBE', response.status, text, url.href);
      }
      const streamId = response.headers['mesos-stream-id'];
      if (typeof streamId !== 'string' || streamId === '') {
        response.body.destroy();
        throw new MesosConnectionError(`${url.href} answered SUBSCRIBE without a Mesos-Stream-Id`);
      }
      this.detector.confirmed(masterBase(url));
      watchdog.start();
      for await (const event of readEvents(response.body, this.codec.decodeEvent)) {
        watchdog.beat();
        if (event.type === 'SUBSCRIBED' && event.subscribed) {
          const frameworkId = event.subscribed.framework_id.value;
          await this.options.onFrameworkId?.(frameworkId);
          this.id = frameworkId;
          this.stream = { endpoint: url, streamId };
          const interval = event.subscribed.heartbeat_interval_seconds ?? 15;
          watchdog.start(interval);
          this.backoff.reset();
          // A second SUBSCRIBED on one stream (a duplicate) changes nothing.
          if (this.current === 'subscribing') this.move('subscribed');
          this.emit('subscribed', {
            frameworkId,
            streamId,
            master: masterBase(url),
            heartbeatIntervalSeconds: interval,
          });
        }
        this.emit('event', event);
        if (event.type === 'ERROR') throw new MesosFrameworkError(event.error?.message ?? '');
      }
    } catch (e) {
      // An abort (watchdog, leader change, stop) surfaces as a generic AbortError: report why instead.
      if (abort.signal.aborted && abort.signal.reason instanceof Error) throw abort.signal.reason;
      throw e;
    } finally {
      watchdog.stop();
      abort.abort(new AbortedError());
      lifetime.removeEventListener('abort', onLifetimeEnd);
      this.detector.changes.off('change', onLeaderChange);
    }
  }
}

/** Refusals that retrying cannot fix: 4xx to SUBSCRIBE (bad framework info, auth), ERROR on the stream. */
function isFinal(error: Error): boolean {
  if (error instanceof MesosFrameworkError) return true;
  return error instanceof MesosCallError && error.status >= 400 && error.status < 500;
}

/** Failures that say this master is not the one to talk to (unreachable, not leading, recovering). */
function blamesMaster(error: Error): boolean {
  return error instanceof MesosConnectionError || (error instanceof MesosCallError && error.status >= 500);
}

async function readText(body: NodeJS.ReadableStream, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      if (size < limit) chunks.push(b);
      size += b.length;
    }
  } catch {
    // A body cut short still says something.
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}
