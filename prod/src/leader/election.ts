import zookeeper from 'node-zookeeper-client';
import { bumpEpoch } from '../storage/zk-epoch.js';
import {
  CreateMode,
  create,
  exists,
  getChildren,
  getData,
  isNoNode,
  mkdirp,
  remove,
  type ZkClient,
} from '../zk/client.js';

/**
 * Leader election among scheduler replicas (the ZooKeeper recipe): each replica creates an
 * ephemeral sequential member znode under PATH holding its API URL; the lowest sequence leads; every
 * other replica watches only the member just before its own (no herd when the leader goes).
 *
 * On becoming leader it bumps the storage epoch (the fencing token ZkStorage checks on every
 * write) before telling the daemon. On DISCONNECTED it calls `pause` at once (stop Mesos calls and
 * storage writes) and starts its own timer: unless the session is back within its timeout it calls
 * `abdicate` (the daemon exits for its supervisor to restart it). node-zookeeper-client reports
 * EXPIRED only after it reconnects, which may be never, so the timer does not wait for that.
 */
export interface ElectionOptions {
  readonly client: ZkClient;
  /** The election znode, e.g. /borealis/CLUSTER/leader. */
  readonly path: string;
  /** This replica's API URL (what standbys redirect to). */
  readonly url: string;
  /** The ZooKeeper store's root, whose epoch the new leader bumps. */
  readonly storageRoot: string;
  /** Called once, when this replica leads and the epoch is bumped: open storage with `epoch`. */
  readonly onElected: (epoch: number) => void;
  /** The leader lost its connection: stop Mesos calls and storage writes now. */
  readonly pause: () => void;
  /** The connection came back within the session timeout and this replica still leads. */
  readonly resume?: () => void;
  /** Give up (exit and let the supervisor restart): leadership may be lost. Called at most once. */
  readonly abdicate: (reason: string) => void;
  /** Override of the negotiated session timeout for the disconnection timer (ms). */
  readonly sessionTimeoutMs?: number;
}

export type ElectionState = 'joining' | 'standby' | 'leading' | 'paused' | 'abdicated' | 'closed';

const PREFIX = 'member_';

function memberSeq(name: string): number {
  return Number(name.slice(name.lastIndexOf('_') + 1));
}

export class LeaderElection {
  private member: string | undefined;
  private stateValue: ElectionState = 'joining';
  private epochValue: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private recheck = false;
  private readonly onDisconnected = () => this.disconnected();
  private readonly onConnected = () => void this.reconnected();
  private readonly onExpired = () => this.giveUp('the ZooKeeper session expired');

  constructor(private readonly options: ElectionOptions) {}

  get state(): ElectionState {
    return this.stateValue;
  }

  get isLeader(): boolean {
    return this.stateValue === 'leading';
  }

  /** The fencing token this replica got when elected (undefined while standby). */
  get epoch(): number | undefined {
    return this.epochValue;
  }

  /** This replica's member znode name (member_NNNNNNNNNN). */
  get memberName(): string | undefined {
    return this.member;
  }

  /** Joins the election; resolves once the member znode exists (leading or standing by). */
  async start(): Promise<void> {
    const { client, path, url } = this.options;
    client.on('disconnected', this.onDisconnected);
    client.on('connected', this.onConnected);
    client.on('expired', this.onExpired);
    await mkdirp(client, path);
    const created = await create(
      client,
      `${path}/${PREFIX}`,
      Buffer.from(url),
      CreateMode.EPHEMERAL_SEQUENTIAL,
    );
    this.member = created.slice(created.lastIndexOf('/') + 1);
    await this.check();
  }

  /** The leader's URL as ZooKeeper says now, or undefined when nobody leads. */
  async leader(): Promise<string | undefined> {
    const { client, path } = this.options;
    for (let attempt = 0; attempt < 3; attempt++) {
      const first = (await this.members())[0];
      if (!first) return undefined;
      try {
        return (await getData(client, `${path}/${first}`)).data.toString('utf8');
      } catch (error) {
        if (!isNoNode(error)) throw error; // it left between the two reads: look again
      }
    }
    return undefined;
  }

  /** Leaves the election (removes the member so a standby takes over at once). */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.stop();
    const { client, path } = this.options;
    if (this.member && client.getState() === zookeeper.State.SYNC_CONNECTED) {
      // Best effort and bounded: closing the session removes the ephemeral member anyway.
      await Promise.race([
        remove(client, `${path}/${this.member}`).catch(() => undefined),
        new Promise((r) => setTimeout(r, 2000).unref()),
      ]);
    }
  }

  private stop(): void {
    const { client } = this.options;
    clearTimeout(this.timer);
    client.removeListener('disconnected', this.onDisconnected);
    client.removeListener('connected', this.onConnected);
    client.removeListener('expired', this.onExpired);
  }

  private async members(): Promise<string[]> {
    const names = await getChildren(this.options.client, this.options.path);
    return names.filter((n) => n.startsWith(PREFIX)).sort((a, b) => memberSeq(a) - memberSeq(b));
  }

  /** Serialized: a watch firing during a check runs one more check afterwards. */
  private check(): Promise<void> {
    if (this.checking) {
      this.recheck = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.recheck = false;
        await this.checkOnce();
      } while (this.recheck && this.active());
    })()
      .catch((error: unknown) => {
        if (this.active()) this.giveUp(`leader election failed: ${(error as Error).message}`);
      })
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  private active(): boolean {
    return this.stateValue !== 'abdicated' && this.stateValue !== 'closed';
  }

  private async checkOnce(): Promise<void> {
    if (!this.active() || this.stateValue === 'leading' || this.stateValue === 'paused') return;
    const members = await this.members();
    const mine = this.member ? members.indexOf(this.member) : -1;
    if (mine < 0) {
      this.giveUp('this replica’s member znode is gone (its session ended)');
      return;
    }
    if (mine === 0) {
      const epoch = await bumpEpoch(this.options.client, this.options.storageRoot, this.options.url);
      if (!this.active()) return;
      this.epochValue = epoch;
      this.stateValue = 'leading';
      this.options.onElected(epoch);
      return;
    }
    this.stateValue = 'standby';
    const predecessor = `${this.options.path}/${members[mine - 1]}`;
    const stat = await exists(this.options.client, predecessor, () => void this.check());
    if (!stat) this.recheck = true; // it left before the watch was set
  }

  private disconnected(): void {
    if (!this.active()) return;
    if (this.stateValue === 'leading') {
      this.stateValue = 'paused';
      this.options.pause();
    }
    const timeout = this.options.sessionTimeoutMs ?? this.options.client.getSessionTimeout();
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.giveUp(`the ZooKeeper connection was not back within the session timeout (${timeout} ms)`),
      timeout,
    );
  }

  /** The disconnection timer keeps running until leadership is confirmed: a check that hangs still ends in abdication. */
  private async reconnected(): Promise<void> {
    if (!this.active()) return;
    try {
      const members = await this.members();
      if (!this.member || !members.includes(this.member)) {
        this.giveUp('this replica’s member znode is gone after reconnecting (its session ended)');
        return;
      }
      if (this.stateValue === 'paused') {
        if (members[0] !== this.member) {
          this.giveUp('another replica leads after reconnecting');
          return;
        }
        clearTimeout(this.timer);
        this.stateValue = 'leading';
        this.options.resume?.();
      }
      clearTimeout(this.timer);
    } catch (error) {
      this.giveUp(`could not confirm leadership after reconnecting: ${(error as Error).message}`);
    }
  }

  private giveUp(reason: string): void {
    if (!this.active()) return;
    this.stateValue = 'abdicated';
    this.stop();
    this.options.abdicate(reason);
  }
}
