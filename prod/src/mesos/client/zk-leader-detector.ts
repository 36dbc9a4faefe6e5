import { EventEmitter } from 'node:events';
import zookeeper from 'node-zookeeper-client';
import type { MasterInfo } from '../mesos-types.js';
import { messageFromJsonText } from '../messages.js';
import { AbortedError, abortable, type LeaderDetector } from './leader-detector.js';
import { leaderNode, masterUrl } from './masters.js';

export interface ZooKeeperLeaderOptions {
  /** host:port[,host:port] */
  readonly connect: string;
  /** The masters' folder, e.g. /mesos. */
  readonly path: string;
  readonly sessionTimeoutMs?: number;
  readonly scheme?: 'http' | 'https';
  /** Called with the reason when ZooKeeper data cannot be read (for logs); detection carries on. */
  readonly onProblem?: (message: string) => void;
}

/**
 * The leading Mesos master as ZooKeeper says: the `json.info_` child of the masters' folder with the
 * lowest sequence number, whose data is the master's MasterInfo in JSON. The children are watched and
 * the leader recomputed on every change; no members means no leader (callers wait). A session that
 * expires loses its watches, so the detector then starts over with a new session.
 */
export class ZooKeeperLeaderDetector implements LeaderDetector {
  readonly changes = new EventEmitter<{ change: [leader: URL | undefined] }>();
  private client: zookeeper.Client | undefined;
  private leader: URL | undefined;
  /** Bumped on every recomputation, so an answer to an older one is ignored. */
  private generation = 0;
  private closed = false;

  constructor(private readonly options: ZooKeeperLeaderOptions) {
    this.connect();
  }

  /** The leader now, if one is known. */
  current(): URL | undefined {
    return this.leader;
  }

  async next(signal: AbortSignal): Promise<URL> {
    while (!this.leader) {
      if (this.closed) throw new AbortedError();
      await abortable(new Promise<void>((resolve) => this.changes.once('change', () => resolve())), signal);
    }
    return this.leader;
  }

  // ZooKeeper is the authority: a failure or a redirect does not change what it says.
  failed(): void {}
  confirmed(): void {}

  close(): void {
    this.closed = true;
    if (this.client) closeZooKeeperClient(this.client);
    this.client = undefined;
    this.changes.emit('change', undefined);
  }

  private connect(): void {
    const client = zookeeper.createClient(this.options.connect, {
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      spinDelay: 500,
      retries: 0,
    });
    this.client = client;
    // Every (re)connection recomputes: a read that failed while disconnected is not retried otherwise.
    client.on('connected', () => this.watch());
    client.once('expired', () => {
      if (this.client !== client || this.closed) return;
      closeZooKeeperClient(client);
      this.setLeader(undefined);
      this.connect();
    });
    client.connect();
  }

  private watch(): void {
    const client = this.client;
    if (!client || this.closed) return;
    const generation = ++this.generation;
    const path = this.options.path;
    // Only the newest watcher re-arms: older ones (one per recomputation) fire and fall silent.
    const rewatch = () => {
      if (this.client === client && generation === this.generation) this.watch();
    };
    client.getChildren(path, rewatch, (error, children) => {
      if (generation !== this.generation || this.client !== client) return;
      if (error) {
        // The folder does not exist yet (no master ever started): watch for its creation.
        if (isNoNode(error)) {
          this.setLeader(undefined);
          client.exists(path, rewatch, (e, stat) => {
            if (!e && stat) rewatch();
          });
        } else {
          this.options.onProblem?.(`ZooKeeper getChildren ${path}: ${String(error)}`);
        }
        return;
      }
      const node = leaderNode(children);
      if (!node) {
        this.setLeader(undefined);
        return;
      }
      client.getData(`${path === '/' ? '' : path}/${node}`, (e, data) => {
        if (generation !== this.generation || this.client !== client) return;
        if (e) {
          // Deleted between the two reads: the children watch fires and we recompute.
          if (!isNoNode(e)) this.options.onProblem?.(`ZooKeeper getData ${node}: ${String(e)}`);
          return;
        }
        try {
          const info = messageFromJsonText<MasterInfo>('mesos.v1.MasterInfo', data.toString('utf8'));
          this.setLeader(masterUrl(info, this.options.scheme));
        } catch (err) {
          this.options.onProblem?.(`${node} is not a MasterInfo in JSON: ${(err as Error).message}`);
          this.setLeader(undefined);
        }
      });
    });
  }

  private setLeader(url: URL | undefined): void {
    if (this.leader?.href === url?.href) return;
    this.leader = url;
    this.changes.emit('change', url);
  }
}

function isNoNode(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'getCode' in error &&
    (error as zookeeper.Exception).getCode() === zookeeper.Exception.NO_NODE
  );
}

interface ConnectionManagerInternals {
  connect?: () => void;
  socket?: { destroy(): void };
}

/**
 * node-zookeeper-client's close() sends a CLOSE_SESSION packet, and crashes (writing to a socket it
 * has not made yet) when called before the session is connected. So a client still connecting is
 * closed as soon as it connects, and meanwhile stops reconnecting and drops its half-open socket.
 */
export function closeZooKeeperClient(client: zookeeper.Client): void {
  const state = client.getState();
  if (state === zookeeper.State.SYNC_CONNECTED || state === zookeeper.State.CONNECTED_READ_ONLY) {
    client.close();
    return;
  }
  client.once('connected', () => client.close());
  const manager = (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
  if (manager) {
    manager.connect = () => {};
    manager.socket?.destroy();
  }
}
