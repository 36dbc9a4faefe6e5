import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatProblems, parseDuration, UserError } from '@borealis/core';
import type { Command } from 'commander';
import pino from 'pino';
import { loadUsersFile } from '../api/index.js';
import {
  openStorage,
  parseStorageSpec,
  StorageCorruptError,
  StorageUnavailableError,
} from '../storage/index.js';
import { startDevCluster } from './dev-cluster.js';
import {
  type RunningScheduler,
  type SchedulerDaemonOptions,
  startSchedulerDaemon,
} from './scheduler-daemon.js';

interface RunFlags {
  cluster: string;
  master: string;
  storage?: string;
  apiPort: string;
  apiHost: string;
  frameworkName?: string;
  frameworkUser?: string;
  role: string;
  failoverTimeout: string;
  encoding: string;
  principal?: string;
  secretFile?: string;
  killGrace: string;
  reconcileInterval: string;
  snapshotEvery: string;
  snapshotInterval: string;
  users?: string;
  tlsCert?: string;
  tlsKey?: string;
  logLevel: string;
}

interface DevFlags {
  agents: string;
  port: string;
  data?: string;
  realProcesses: boolean;
  logLevel: string;
}

const CLUSTER = /^[A-Za-z0-9][\w.-]*$/;

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new UserError(`${flag}: "${text}" is not a duration (e.g. 30s, 15m, 3d)`);
  return ms;
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UserError(`${flag}: "${text}" must be a whole number from ${min} to ${max}`);
  return n;
}

function logger(level: string) {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(level))
    throw new UserError(`--log-level: "${level}" is not one of ${levels.join(', ')}`);
  return pino({ name: 'borealis', level });
}

/** Stops cleanly on SIGTERM/SIGINT: the API closes, the loop finishes its step, storage closes. */
function stopOnSignals(stop: () => Promise<void>, log: pino.Logger): Promise<void> {
  return new Promise((done) => {
    const onSignal = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'shutting down');
      stop().then(done, (e: Error) => {
        log.error({ err: e }, 'shutdown failed');
        done();
      });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}

/**
 * Problems with the store that an operator must act on (locked by another scheduler, corrupt at a
 * named offset, a restore interrupted) are reported as one line, not a stack trace.
 */
async function storeProblemsAsUserErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StorageUnavailableError || error instanceof StorageCorruptError)
      throw new UserError(error.message);
    throw error;
  }
}

export function schedulerCommands(program: Command): void {
  const scheduler = program
    .command('scheduler')
    .description('the production scheduler (Mesos + durable storage)');
  scheduler
    .command('run')
    .description('run the scheduler against a Mesos master, with its state in durable storage')
    .requiredOption('--cluster <name>', 'the cluster this scheduler runs (names its framework and storage)')
    .requiredOption('--master <masters>', 'Mesos masters: http://HOST:5050[,…] or zk://HOST:2181[,…]/mesos')
    .option('--storage <spec>', 'file:DIR (default file:~/.borealis/CLUSTER/storage)')
    .option('--api-port <port>', 'HTTP API port', '8081')
    .option('--api-host <host>', 'address the API listens on', '127.0.0.1')
    .option('--framework-name <name>', 'Mesos framework name (default borealis-CLUSTER)')
    .option('--framework-user <user>', 'Unix user tasks run as (default: this process’s user)')
    .option('--role <role>', 'Mesos role to receive offers for', '*')
    .option('--failover-timeout <duration>', 'how long Mesos keeps tasks while the scheduler is away', '21d')
    .option('--encoding <encoding>', 'wire encoding: protobuf or json', 'protobuf')
    .option('--principal <principal>', 'HTTP basic authentication principal for the master')
    .option('--secret-file <file>', 'file holding the principal’s secret')
    .option('--kill-grace <duration>', 'time between SIGTERM and SIGKILL for a killed task', '30s')
    .option('--reconcile-interval <duration>', 'how often to reconcile every task with Mesos', '15m')
    .option('--snapshot-every <changes>', 'write a snapshot after this many task events', '100000')
    .option('--snapshot-interval <duration>', 'or after this long', '30m')
    .option('--users <file>', 'users and tokens (JSON or YAML); without it the API is open')
    .option('--tls-cert <file>', 'PEM certificate: serve the API over HTTPS')
    .option('--tls-key <file>', 'PEM key for --tls-cert')
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .action(async (flags: RunFlags) => {
      if (!CLUSTER.test(flags.cluster))
        throw new UserError(`--cluster: "${flags.cluster}" is not a cluster name`);
      const spec = parseStorageSpec(
        flags.storage ?? `file:${join(homedir(), '.borealis', flags.cluster, 'storage')}`,
      );
      if (!spec.ok) throw new UserError(formatProblems(spec.problems));
      if (spec.value.kind !== 'file')
        throw new UserError(
          '--storage zookeeper needs replicated schedulers (--zk), which this release does not run yet; use file:DIR',
        );
      if (flags.encoding !== 'protobuf' && flags.encoding !== 'json')
        throw new UserError(`--encoding: "${flags.encoding}" is not protobuf or json`);
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined))
        throw new UserError('--tls-cert and --tls-key go together');
      if ((flags.principal === undefined) !== (flags.secretFile === undefined))
        throw new UserError('--principal and --secret-file go together');
      const log = logger(flags.logLevel);
      const encoding: 'protobuf' | 'json' = flags.encoding;
      const options: SchedulerDaemonOptions = {
        cluster: flags.cluster,
        master: flags.master,
        storage: spec.value.kind === 'file' ? { kind: 'file', dir: resolve(spec.value.dir) } : spec.value,
        apiPort: integer('--api-port', flags.apiPort, 0, 65535),
        apiHost: flags.apiHost,
        role: flags.role,
        failoverTimeoutSeconds: Math.round(duration('--failover-timeout', flags.failoverTimeout) / 1000),
        encoding,
        killGraceSeconds: duration('--kill-grace', flags.killGrace) / 1000,
        reconcileIntervalMs: duration('--reconcile-interval', flags.reconcileInterval),
        snapshotEveryChanges: integer('--snapshot-every', flags.snapshotEvery, 1),
        snapshotIntervalMs: duration('--snapshot-interval', flags.snapshotInterval),
        ...(flags.frameworkName ? { frameworkName: flags.frameworkName } : {}),
        ...(flags.frameworkUser ? { frameworkUser: flags.frameworkUser } : {}),
        ...(flags.principal && flags.secretFile
          ? {
              credentials: {
                principal: flags.principal,
                secret: readFileSync(flags.secretFile, 'utf8').trim(),
              },
            }
          : {}),
        ...(flags.users ? { users: await loadUsersFile(flags.users) } : {}),
        ...(flags.tlsCert && flags.tlsKey
          ? { tls: { cert: readFileSync(flags.tlsCert), key: readFileSync(flags.tlsKey) } }
          : {}),
        log,
      };
      const running: RunningScheduler = await storeProblemsAsUserErrors(() => startSchedulerDaemon(options));
      process.stdout.write(`borealis scheduler: API on ${running.apiUrl}\n`);
      await stopOnSignals(() => running.stop(), log);
    });
}

export function devClusterCommand(program: Command): void {
  program
    .command('dev-cluster')
    .description('a one-machine cluster: a Mesos emulator and a scheduler with file storage, no ZooKeeper')
    .option('--agents <n>', 'virtual agents', '4')
    .option('--port <port>', 'scheduler API port (the CLI’s "devcluster" cluster)', '8081')
    .option('--data <dir>', 'state directory (default ~/.borealis/devcluster); it survives restarts')
    .option('--no-real-processes', 'simulate tasks instead of running their commands as local processes')
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'warn')
    .action(async (flags: DevFlags) => {
      const log = logger(flags.logLevel);
      const cluster = await startDevCluster({
        agents: integer('--agents', flags.agents, 1, 100_000),
        port: integer('--port', flags.port, 0, 65535),
        dataDir: resolve(flags.data ?? join(homedir(), '.borealis', 'devcluster')),
        realProcesses: flags.realProcesses,
        log,
      });
      process.stdout.write(
        `borealis dev-cluster: scheduler API and UI on ${cluster.apiUrl}, /leaderhealth and /metrics there; Mesos emulator on ${cluster.masterUrl}\n`,
      );
      await stopOnSignals(() => cluster.stop(), log);
    });
}

/**
 * `borealis admin backup|restore --storage file:DIR FILE`: the whole store (meta, snapshot, log) to
 * one file and back, with the scheduler stopped (the store's lock refuses while one runs). A restore
 * advances the store's generation, so the scheduler started on it never reissues a task id.
 */
export function storeCommands(program: Command): void {
  const admin =
    program.commands.find((c) => c.name() === 'admin') ??
    program.command('admin').description('operators: maintenance, reconcile, snapshot, backups');
  const fileStore = (text: string | undefined) => {
    const spec = parseStorageSpec(text ?? '', '--storage');
    if (!spec.ok) throw new UserError(formatProblems(spec.problems));
    if (spec.value.kind !== 'file')
      throw new UserError('--storage: backups of a store work on file:DIR stores');
    return { kind: 'file' as const, dir: resolve(spec.value.dir) };
  };
  admin
    .command('backup')
    .description('write a stopped scheduler’s whole store (file:DIR) to one file')
    .requiredOption('--storage <spec>', 'the store: file:DIR')
    .argument('<file>', 'the backup file to write')
    .action((file: string, flags: { storage?: string }) =>
      storeProblemsAsUserErrors(async () => {
        const storage = openStorage(fileStore(flags.storage));
        try {
          await storage.recover();
          const summary = await storage.backup(resolve(file));
          process.stdout.write(
            `backup written: ${summary.file} (${summary.bytes} bytes, ${summary.groups} log groups${summary.snapshot ? ', a snapshot' : ''})\n`,
          );
        } finally {
          await storage.close();
        }
      }),
    );
  admin
    .command('restore')
    .description('replace a stopped scheduler’s store (file:DIR) with a backup file')
    .requiredOption('--storage <spec>', 'the store: file:DIR')
    .argument('<file>', 'the backup file to read')
    .action((file: string, flags: { storage?: string }) =>
      storeProblemsAsUserErrors(async () => {
        const storage = openStorage(fileStore(flags.storage));
        try {
          await storage.restoreFrom(resolve(file));
          const recovered = await storage.recover();
          process.stdout.write(
            `store restored from ${resolve(file)}: ${recovered.groups.length} log groups${recovered.snapshot ? ' and a snapshot' : ''}, generation ${recovered.meta.generation}\n`,
          );
        } finally {
          await storage.close();
        }
      }),
    );
}
