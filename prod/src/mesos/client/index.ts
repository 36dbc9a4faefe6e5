export { Backoff, type BackoffOptions } from './backoff.js';
export * as calls from './calls.js';
export type { ClientState } from './client-state.js';
export type { Encoding } from './codec.js';
export { MesosCallError, MesosConnectionError, NotSubscribedError } from './errors.js';
export type { HttpCredentials } from './http.js';
export { type LeaderDetector, StaticLeaderDetector } from './leader-detector.js';
export { leaderNode, type MasterSource, masterUrl, parseMasterSource, parseZooKeeperUrl } from './masters.js';
export {
  MesosFrameworkError,
  SchedulerClient,
  type SchedulerClientOptions,
  type SubscribedInfo,
} from './scheduler-client.js';
export {
  closeZooKeeperClient,
  ZooKeeperLeaderDetector,
  type ZooKeeperLeaderOptions,
} from './zk-leader-detector.js';
