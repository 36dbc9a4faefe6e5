import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { createScheduler, mulberry32, type Scheduler } from '@borealis/core';
import pino, { type Logger } from 'pino';
import { type ApiServer, createApiServer, createMetrics, JobIndex, type UsersConfig } from '../api/index.js';
import { MesosDriver } from '../driver/mesos-driver.js';
import { type Event, type FrameworkInfo, SchedulerClient } from '../mesos/index.js';
import { openStorage, type StorageSpec } from '../storage/index.js';
import type { Storage } from '../storage/types.js';
import { recoverCore } from './recovery.js';

export interface SchedulerDaemonOptions {
  readonly cluster: string;
  /** `http://host:5050[,…]` or `zk://host:2181[,…]/mesos`. */
  readonly master: string | readonly string[];
  readonly storage: StorageSpec;
  readonly apiPort: number;
  readonly apiHost?: string;
  readonly frameworkName?: string;
  readonly frameworkUser?: string;
  readonly role?: string;
  /** Default three weeks: tasks keep running while the scheduler is down or failing over. */
  readonly failoverTimeoutSeconds?: number;
  readonly encoding?: 'protobuf' | 'json';
  readonly credentials?: { readonly principal: string; readonly secret: string };
  readonly killGraceSeconds?: number;
  readonly reconcileIntervalMs?: number;
  /** Delay between the explicit and the implicit reconciliation after subscribing. Default 5 s. */
  readonly implicitReconcileDelayMs?: number;
  /** Snapshot after this many committed changes … */
  readonly snapshotEveryChanges?: number;
  /** … or this long after the previous snapshot. */
  readonly snapshotIntervalMs?: number;
  readonly users?: UsersConfig;
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly log?: Logger;
}

export interface RunningScheduler {
  readonly apiUrl: string;
  readonly core: Scheduler;
  readonly driver: MesosDriver;
  readonly client: SchedulerClient;
  readonly storage: Storage;
  readonly api: ApiServer;
  snapshot(): Promise<{ readonly tasks: number; readonly ms: number }>;
  stop(): Promise<void>;
}

export const DEFAULT_FAILOVER_TIMEOUT_SECONDS = 21 * 24 * 3600;
const FRAMEWORK_ID_KEY = 'mesosFrameworkId';

/**
 * `borealis scheduler run`, one replica: recover the store, subscribe to Mesos with the stored
 * framework id, reconcile, then schedule. Every change is committed before its effects reach Mesos
 * and before the status updates that caused it are acknowledged (driver/mesos-driver.ts).
 */
export async function startSchedulerDaemon(options: SchedulerDaemonOptions): Promise<RunningScheduler> {
  const log = options.log ?? pino({ name: 'borealis-scheduler' });
  const storage = openStorage(options.storage);
  const core = createScheduler({
    clock: { now: () => Date.now() },
    random: mulberry32(randomBytes(4).readUInt32LE(0)),
    offerMode: true,
    recordChanges: true,
  });
  const jobIndex = new JobIndex();
  jobIndex.attach(core);
  let recovered: Awaited<ReturnType<typeof recoverCore>>;
  try {
    recovered = await recoverCore(core, storage, log);
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  for (const job of recovered.jobConfigs) jobIndex.remember(job);

  const metrics = createMetrics();
  const storedId = storage.meta().values[FRAMEWORK_ID_KEY];
  const frameworkInfo: FrameworkInfo = {
    user: options.frameworkUser ?? userInfo().username,
    name: options.frameworkName ?? `borealis-${options.cluster}`,
    failover_timeout: options.failoverTimeoutSeconds ?? DEFAULT_FAILOVER_TIMEOUT_SECONDS,
    checkpoint: true,
    roles: [options.role ?? '*'],
    capabilities: [
      { type: 'MULTI_ROLE' },
      { type: 'PARTITION_AWARE' },
      { type: 'TASK_KILLING_STATE' },
      { type: 'GPU_RESOURCES' },
    ],
    hostname: options.apiHost ?? '127.0.0.1',
  };
  let fatal: ((error: Error) => void) | undefined;
  const client = new SchedulerClient({
    masters: options.master,
    frameworkInfo,
    ...(typeof storedId === 'string' ? { frameworkId: storedId } : {}),
    ...(options.encoding ? { encoding: options.encoding } : {}),
    // ACKs and launches of a burst go out in parallel; Mesos's master serves many connections.
    maxCallSockets: 32,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Durable before Mesos hears anything else from this framework: a restart fails over to it.
    onFrameworkId: async (id) => {
      if (storage.meta().values[FRAMEWORK_ID_KEY] !== id) await storage.setMeta(FRAMEWORK_ID_KEY, id);
    },
  });
  const driver = new MesosDriver({
    core,
    storage,
    mesos: client,
    log,
    cluster: options.cluster,
    ...(options.killGraceSeconds === undefined ? {} : { killGraceSeconds: options.killGraceSeconds }),
    ...(options.reconcileIntervalMs === undefined
      ? {}
      : { reconcileIntervalMs: options.reconcileIntervalMs }),
    ...(options.implicitReconcileDelayMs === undefined
      ? {}
      : { implicitReconcileDelayMs: options.implicitReconcileDelayMs }),
    onFatal: (error) => fatal?.(error),
    observe: {
      offersReceived: (n) => metrics.offersReceived.inc(n),
      offersDeclined: (n) => metrics.offersDeclined.inc(n),
      offersRescinded: (n) => metrics.offersRescinded.inc(n),
      launched: (n) => metrics.placements.inc(n),
      persisted: (_n, ms) => metrics.storageWriteLatency.observe(ms / 1000),
    },
  });

  client.on('event', (event: Event) => onEvent(event));
  client.on('subscribed', (info) => {
    log.info({ framework: info.frameworkId, master: info.master.href }, 'subscribed to Mesos');
    metrics.setMesosState('subscribed');
    driver.subscribed();
  });
  client.on('disconnected', (reason) => {
    log.warn({ err: reason }, 'Mesos subscription lost; resubscribing');
    metrics.setMesosState('disconnected');
    metrics.mesosReconnects.inc();
  });
  client.on('closed', (reason) => {
    if (!reason) return;
    log.error({ err: reason }, 'Mesos refused the subscription');
    if (/removed|not.*registered|failover timeout/i.test(reason.message)) {
      // Mesos dropped the framework (its failover timeout passed): its tasks are gone. Start over as
      // a new framework; reconciliation marks what the core had as LOST and reschedules it.
      void storage.setMeta(FRAMEWORK_ID_KEY, null).then(() => {
        client.forgetFrameworkId();
        client.start();
      });
    }
  });

  function onEvent(event: Event): void {
    switch (event.type) {
      case 'OFFERS':
        driver.offers(event.offers?.offers ?? []);
        // Inverse offers (maintenance) are advisory: declining says nothing; issue 19 drains on them.
        break;
      case 'RESCIND':
        if (event.rescind) driver.rescind(event.rescind.offer_id.value);
        break;
      case 'UPDATE':
        if (event.update) driver.status(event.update.status);
        break;
      case 'FAILURE':
        log.warn(
          { agent: event.failure?.agent_id?.value, executor: event.failure?.executor_id?.value },
          'Mesos reports a failure',
        );
        break;
      default:
        break;
    }
  }

  // Snapshots: every N changes or T ms, taken between steps so the image covers what is committed.
  let changesSinceSnapshot = 0;
  let lastSnapshot = Date.now();
  const snapshot = async (): Promise<{ tasks: number; ms: number }> => {
    const started = performance.now();
    const image = await driver.command((c) => c.snapshot());
    await storage.writeSnapshot(image);
    changesSinceSnapshot = 0;
    lastSnapshot = Date.now();
    const ms = Math.round(performance.now() - started);
    const tasks = core.taskCounts();
    const live = Object.values(tasks).reduce((a, b) => a + b, 0);
    log.info({ ms, tasks: live }, 'snapshot written; the log behind it is truncated');
    return { tasks: live, ms };
  };
  const everyChanges = options.snapshotEveryChanges ?? 100_000;
  const interval = options.snapshotIntervalMs ?? 30 * 60_000;
  const snapshotTimer = setInterval(() => {
    if (changesSinceSnapshot === 0) return;
    if (changesSinceSnapshot >= everyChanges || Date.now() - lastSnapshot >= interval) {
      snapshot().catch((e: Error) => log.error({ err: e }, 'snapshot failed'));
    }
  }, 5000);
  snapshotTimer.unref();
  core.onTaskEvent(() => {
    changesSinceSnapshot++;
  });

  const api = createApiServer({
    core: driver,
    index: jobIndex,
    metrics,
    logger: log,
    ...(options.users ? { users: options.users } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    hooks: {
      reconcile: async () => {
        await driver.command((c) => c.requestReconciliation('explicit'));
        return { requested: 'explicit' };
      },
      snapshot: async () => snapshot(),
    },
  });
  metrics.watchCore(driver);
  metrics.leader.set(1);
  const apiUrl = await api.listen(options.apiPort, options.apiHost ?? '127.0.0.1');
  log.info({ api: apiUrl, cluster: options.cluster }, 'scheduler API listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(snapshotTimer);
      await api.close().catch(() => undefined);
      await driver.stop();
      await client.stop();
      await storage.close();
    })();
    return stopping;
  };
  fatal = (error) => {
    log.fatal({ err: error }, 'stopping: the scheduler cannot continue');
    void stop().finally(() => process.exit(1));
  };
  client.start();
  return { apiUrl, core, driver, client, storage, api, snapshot, stop };
}
