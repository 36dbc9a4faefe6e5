export {
  isCi,
  missingMessage,
  missingPart,
  SYSTEM_PACKAGES,
  type SystemPackage,
  systemPackage,
} from './system-packages.js';
export {
  freePort,
  startZooKeeper,
  type ZooKeeperOptions,
  type ZooKeeperServer,
} from './zookeeper-server.js';
