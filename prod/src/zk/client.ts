import zookeeper, { type Client, type Stat } from 'node-zookeeper-client';

/**
 * node-zookeeper-client behind promises: one place that knows its callback shapes and error codes.
 * Errors keep the library's Exception (its `code` says NO_NODE, BAD_VERSION, ...).
 */
export type ZkClient = Client;
export const CreateMode = zookeeper.CreateMode;
export const ZkError = zookeeper.Exception;

/** One operation of a multi (a ZooKeeper transaction: all or nothing). */
export type ZkOp =
  | { readonly op: 'check'; readonly path: string; readonly version: number }
  | { readonly op: 'create'; readonly path: string; readonly data: Buffer; readonly mode?: number }
  | { readonly op: 'set'; readonly path: string; readonly data: Buffer; readonly version?: number }
  | { readonly op: 'remove'; readonly path: string; readonly version?: number };

export interface ConnectOptions {
  readonly sessionTimeoutMs?: number;
  /**
   * While disconnected, a connection attempt that has not produced a session within this time is
   * abandoned and retried (see reconnectWatchdog). Default: a third of the session timeout, at most 2 s.
   */
  readonly attemptMs?: number;
  /** Delay between connection attempts (the library's spinDelay). */
  readonly spinDelayMs?: number;
  /** Give up when the first connection is not made within this time. */
  readonly connectTimeoutMs?: number;
}

/** Connects and resolves once the session is established (SYNC_CONNECTED). */
export function connectZk(connect: string, options: ConnectOptions = {}): Promise<ZkClient> {
  const client = zookeeper.createClient(connect, {
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    spinDelay: options.spinDelayMs ?? 200,
    retries: 1,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(
        new Error(
          `could not connect to ZooKeeper at ${connect} within ${options.connectTimeoutMs ?? 15_000} ms`,
        ),
      );
    }, options.connectTimeoutMs ?? 15_000);
    client.once('connected', () => {
      clearTimeout(timer);
      reconnectWatchdog(
        client,
        options.attemptMs ?? Math.min(2000, Math.floor((options.sessionTimeoutMs ?? 10_000) / 3)),
      );
      resolve(client);
    });
    client.connect();
  });
}

/**
 * node-zookeeper-client 1.1.3 stops its connect timer when the TCP connection opens, not when the
 * server answers the session handshake: a connection accepted by a server that is still starting
 * (or frozen) can then wait forever, and a leader would abdicate although ZooKeeper came back.
 * While the client is disconnected, this destroys its socket every `attemptMs` so the library
 * opens a fresh one (its own retry path: the socket's close event). It reaches into the library's
 * private ConnectionManager, which the exact version pin keeps stable.
 */
export function reconnectWatchdog(client: ZkClient, attemptMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  const manager = (client as unknown as { connectionManager?: { socket?: { destroy(): void } } })
    .connectionManager;
  client.on('state', (state: zookeeper.State) => {
    clearInterval(timer);
    timer = undefined;
    if (state !== zookeeper.State.DISCONNECTED) return;
    timer = setInterval(() => {
      if (client.getState() === zookeeper.State.SYNC_CONNECTED) {
        clearInterval(timer);
        return;
      }
      manager?.socket?.destroy();
    }, attemptMs);
    timer.unref();
  });
}

/** The error code of a failed ZooKeeper call (undefined for errors that are not ZooKeeper's). */
export function zkCode(error: unknown): number | undefined {
  if (error instanceof ZkError) return error.getCode();
  return undefined;
}

export function isNoNode(error: unknown): boolean {
  return zkCode(error) === ZkError.NO_NODE;
}

export function isNodeExists(error: unknown): boolean {
  return zkCode(error) === ZkError.NODE_EXISTS;
}

export function getData(client: ZkClient, path: string): Promise<{ data: Buffer; stat: Stat }> {
  return new Promise((resolve, reject) =>
    client.getData(path, (error, data, stat) =>
      error ? reject(error) : resolve({ data: data ?? Buffer.alloc(0), stat }),
    ),
  );
}

export function getChildren(client: ZkClient, path: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    client.getChildren(path, (error, children) => (error ? reject(error) : resolve(children))),
  );
}

export function create(client: ZkClient, path: string, data: Buffer, mode: number): Promise<string> {
  return new Promise((resolve, reject) =>
    client.create(path, data, mode, (error, created) => (error ? reject(error) : resolve(created))),
  );
}

export function setData(client: ZkClient, path: string, data: Buffer, version = -1): Promise<Stat> {
  return new Promise((resolve, reject) =>
    client.setData(path, data, version, (error, stat) => (error ? reject(error) : resolve(stat))),
  );
}

export function remove(client: ZkClient, path: string, version = -1): Promise<void> {
  return new Promise((resolve, reject) =>
    client.remove(path, version, (error) => (error ? reject(error) : resolve())),
  );
}

/** Creates the path and its missing parents (persistent, empty); no error when it exists. */
export function mkdirp(client: ZkClient, path: string): Promise<void> {
  return new Promise((resolve, reject) =>
    client.mkdirp(path, (error) => (error ? reject(error) : resolve())),
  );
}

/** Stat of the node, or undefined when it does not exist; the watcher fires once on its next change. */
export function exists(
  client: ZkClient,
  path: string,
  watcher?: (event: zookeeper.Event) => void,
): Promise<Stat | undefined> {
  return new Promise((resolve, reject) => {
    const done = (error: unknown, stat: Stat | undefined) =>
      error ? reject(error) : resolve(stat ?? undefined);
    if (watcher) client.exists(path, watcher, done);
    else client.exists(path, done);
  });
}

/** Runs the operations as one multi: all apply or none. Rejects with the first failing op's error. */
export function multi(client: ZkClient, ops: readonly ZkOp[]): Promise<void> {
  const tx = client.transaction();
  for (const op of ops) {
    if (op.op === 'check') tx.check(op.path, op.version);
    else if (op.op === 'create') tx.create(op.path, op.data, op.mode ?? CreateMode.PERSISTENT);
    else if (op.op === 'set') tx.setData(op.path, op.data, op.version ?? -1);
    else tx.remove(op.path, op.version ?? -1);
  }
  return new Promise((resolve, reject) => tx.commit((error) => (error ? reject(error) : resolve())));
}

/** Removes the node and everything under it (children first); no error when it is already gone. */
export async function removeTree(client: ZkClient, path: string): Promise<void> {
  let children: string[];
  try {
    children = await getChildren(client, path);
  } catch (error) {
    if (isNoNode(error)) return;
    throw error;
  }
  for (const child of children) await removeTree(client, `${path}/${child}`);
  try {
    await remove(client, path);
  } catch (error) {
    if (!isNoNode(error)) throw error;
  }
}
