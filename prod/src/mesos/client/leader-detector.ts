import { EventEmitter } from 'node:events';

/**
 * Tells the client which master to talk to. Two kinds: a fixed list of master URLs (try one; on
 * failure the next; a standby's 307 names the leader), and ZooKeeper (zk-leader-detector.ts).
 */
export interface LeaderDetector {
  /** The master to try now; waits while no leader is known. Rejects when `signal` aborts. */
  next(signal: AbortSignal): Promise<URL>;
  /** `url` failed (refused the connection, 503): prefer another one next time. */
  failed(url: URL): void;
  /** `url` is the leader (a standby redirected there, or a subscription succeeded). */
  confirmed(url: URL): void;
  /** Fires when the leader may have changed: the client drops a stream to a master that is not it. */
  readonly changes: EventEmitter<{ change: [leader: URL | undefined] }>;
  close(): void;
}

export class AbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortedError';
  }
}

export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** A fixed list of masters: the last confirmed leader first, else round robin past failures. */
export class StaticLeaderDetector implements LeaderDetector {
  readonly changes = new EventEmitter<{ change: [leader: URL | undefined] }>();
  private index = 0;
  private leader: URL | undefined;

  constructor(private readonly urls: readonly URL[]) {
    if (urls.length === 0) throw new Error('StaticLeaderDetector needs at least one master URL');
  }

  next(signal: AbortSignal): Promise<URL> {
    if (signal.aborted) return Promise.reject(new AbortedError());
    return Promise.resolve(this.leader ?? this.urls[this.index % this.urls.length]!);
  }

  failed(url: URL): void {
    if (this.leader && this.leader.href === url.href) this.leader = undefined;
    const i = this.urls.findIndex((u) => u.href === url.href);
    this.index = (i >= 0 ? i : this.index) + 1;
  }

  confirmed(url: URL): void {
    this.leader = url;
  }

  close(): void {}
}
