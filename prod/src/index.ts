/**
 * @borealis/prod: the production side. Each folder is one concern (see README.md):
 * mesos/ (the v1 scheduler API client and its messages), emulator/ (a Mesos master look-alike).
 */

export * as api from './api/index.js';
export { userCommands } from './cli-client/index.js';
export { devClusterCommand, schedulerCommands, storeCommands } from './daemon/cli.js';
export { type DevCluster, startDevCluster } from './daemon/dev-cluster.js';
export {
  type RunningScheduler,
  type SchedulerDaemonOptions,
  startSchedulerDaemon,
} from './daemon/scheduler-daemon.js';
export { emulatorCommands } from './emulator/cli.js';
export * from './emulator/index.js';
export * as leader from './leader/index.js';
export * as mesos from './mesos/index.js';
export * as storage from './storage/index.js';
export * as zk from './zk/index.js';
