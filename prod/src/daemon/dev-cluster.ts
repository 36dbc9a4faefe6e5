import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type Emulator, startEmulator } from '../emulator/index.js';
import { type RunningScheduler, startSchedulerDaemon } from './scheduler-daemon.js';

export interface DevClusterOptions {
  readonly agents: number;
  /** The scheduler's API port (8081: the CLI's `devcluster`). 0 picks a free one. */
  readonly port: number;
  /** Holds the scheduler's storage and the agents' sandboxes; survives restarts. */
  readonly dataDir: string;
  readonly realProcesses: boolean;
  readonly log: Logger;
}

export interface DevCluster {
  readonly apiUrl: string;
  readonly masterUrl: string;
  readonly emulator: Emulator;
  readonly scheduler: RunningScheduler;
  stop(): Promise<void>;
}

/**
 * `borealis dev-cluster`: the Mesos emulator and one scheduler with file storage in one process,
 * talking over loopback HTTP exactly as they would across machines (the scheduler does not know it
 * talks to an emulator). With real processes a job's command runs on this machine, so its web
 * server answers on the port the scheduler gave it.
 */
export async function startDevCluster(options: DevClusterOptions): Promise<DevCluster> {
  const storageDir = join(options.dataDir, 'storage');
  const sandboxes = join(options.dataDir, 'sandboxes');
  await mkdir(storageDir, { recursive: true });
  await mkdir(sandboxes, { recursive: true });
  const emulator = await startEmulator({
    agents: options.agents,
    port: 0,
    realProcesses: options.realProcesses,
    workDir: sandboxes,
  });
  let scheduler: RunningScheduler;
  try {
    scheduler = await startSchedulerDaemon({
      cluster: 'devcluster',
      master: emulator.url,
      storage: { kind: 'file', dir: storageDir },
      apiPort: options.port,
      killGraceSeconds: 5,
      log: options.log,
    });
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  return {
    apiUrl: scheduler.apiUrl,
    masterUrl: emulator.url,
    emulator,
    scheduler,
    stop: async () => {
      await scheduler.stop();
      await emulator.stop();
    },
  };
}
