import zookeeper from 'node-zookeeper-client';
import type { Leadership } from './http-server.js';
import type { MasterInfoShape } from './shapes.js';

/** `zk://h1:2181,h2:2181/mesos` -> connect string and path. */
export function parseZkUrl(url: string): { connect: string; path: string } | string {
  const m = /^zk:\/\/(?:[^@/]*@)?([^/]+)(\/.*)?$/.exec(url);
  if (!m) return `--zk: '${url}' is not zk://host:port[,host:port...]/path`;
  const path = (m[2] ?? '/mesos').replace(/\/+$/, '') || '/mesos';
  return { connect: m[1]!, path };
}

/** The sequence number after the last '_' of a `json.info_<digits>` child, or null for any other node. */
export function sequenceOf(name: string): number | null {
  if (!name.startsWith('json.info_')) return null;
  const digits = name.slice(name.lastIndexOf('_') + 1);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}

/** MasterInfo as JSON, keys in the order a real master writes them (alphabetical). */
export function masterInfoJson(info: MasterInfoShape): string {
  return JSON.stringify({
    address: { hostname: info.address.hostname, ip: info.address.ip, port: info.address.port },
    capabilities: info.capabilities ?? [],
    hostname: info.hostname,
    id: info.id,
    ip: info.ip,
    pid: info.pid,
    port: info.port,
    version: info.version,
  });
}

/**
 * Mesos's leader election in ZooKeeper: every instance creates an ephemeral sequential
 * `<path>/json.info_` znode holding its MasterInfo JSON; the lowest sequence number leads; the
 * others learn the leader's address from its znode, watching the children for changes. A lost
 * session ends leadership (a real master aborts); the instance then contends again.
 */
export class ZooKeeperContender implements Leadership {
  private client: zookeeper.Client | null = null;
  private ownName: string | null = null;
  private leading = false;
  private leaderAddress: string | null = null;
  private stopped = false;
  onChange: (leading: boolean) => void = () => {};

  constructor(
    private readonly connect: string,
    private readonly path: string,
    private readonly info: () => MasterInfoShape,
    private readonly sessionTimeoutMs = 10_000,
  ) {}

  isLeader(): boolean {
    return this.leading;
  }

  leader(): string | null {
    return this.leaderAddress;
  }

  /** Resolves once registered and the first election result is known. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const client = zookeeper.createClient(this.connect, {
        sessionTimeout: this.sessionTimeoutMs,
        retries: 3,
      });
      this.client = client;
      let first = true;
      const timer = setTimeout(() => {
        if (first) reject(new Error(`ZooKeeper at ${this.connect} did not answer within 15 s`));
      }, 15_000);
      client.on('state', (state) => {
        if (state === zookeeper.State.EXPIRED) {
          this.setLeading(false, null);
          if (!this.stopped) {
            client.close();
            void this.start().catch(() => {});
          }
        }
      });
      client.once('connected', () => {
        client.mkdirp(this.path, (err) => {
          if (err && this.stopped) return;
          const data = Buffer.from(masterInfoJson(this.info()), 'utf8');
          client.create(
            `${this.path}/json.info_`,
            data,
            zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
            (e, created) => {
              if (e) {
                clearTimeout(timer);
                reject(e);
                return;
              }
              this.ownName = created.slice(created.lastIndexOf('/') + 1);
              this.watch(() => {
                if (first) {
                  first = false;
                  clearTimeout(timer);
                  resolve();
                }
              });
            },
          );
        });
      });
      client.connect();
    });
  }

  private watch(done: () => void): void {
    const client = this.client;
    if (!client || this.stopped) return;
    client.getChildren(
      this.path,
      () => this.watch(() => {}),
      (err, children) => {
        if (err || this.stopped) return done();
        const members = children
          .map((name) => ({ name, seq: sequenceOf(name) }))
          .filter((c): c is { name: string; seq: number } => c.seq !== null)
          .sort((a, b) => a.seq - b.seq);
        const lowest = members[0];
        if (!lowest) {
          this.setLeading(false, null);
          return done();
        }
        if (lowest.name === this.ownName) {
          const info = this.info();
          this.setLeading(true, `${info.address.ip}:${info.port}`);
          return done();
        }
        client.getData(`${this.path}/${lowest.name}`, (e, data) => {
          if (e || !data) {
            this.setLeading(false, null);
            return done();
          }
          try {
            const info = JSON.parse(data.toString('utf8')) as MasterInfoShape;
            this.setLeading(false, `${info.address?.ip ?? info.hostname}:${info.address?.port ?? info.port}`);
          } catch {
            this.setLeading(false, null);
          }
          done();
        });
      },
    );
  }

  private setLeading(leading: boolean, address: string | null): void {
    const changed = leading !== this.leading;
    this.leading = leading;
    this.leaderAddress = address;
    if (changed) this.onChange(leading);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.leading = false;
    const client = this.client;
    this.client = null;
    if (!client) return Promise.resolve();
    return new Promise((resolve) => {
      client.once('disconnected', () => resolve());
      client.close();
      setTimeout(resolve, 1000).unref();
    });
  }
}

/** Without --zk the single instance always leads. */
export const ALWAYS_LEADER: Leadership = { isLeader: () => true, leader: () => null };
