import { StorageUnavailableError } from './types.js';

/**
 * Group commit: every write to a store goes through one queue. commit() calls that arrive while a
 * write is in flight wait and then go out together in the next write; other tasks (rotate the log,
 * set a meta value) run alone, in order. After a failed write or task the queue refuses everything
 * (the store's state on disk is unknown until recovery).
 */
export interface PendingGroup {
  readonly records: readonly unknown[];
}

type Item =
  | {
      readonly kind: 'group';
      readonly group: PendingGroup;
      readonly resolve: () => void;
      readonly reject: (e: unknown) => void;
    }
  | {
      readonly kind: 'task';
      readonly run: () => Promise<unknown>;
      readonly resolve: (v: unknown) => void;
      readonly reject: (e: unknown) => void;
    };

export class CommitQueue {
  private readonly items: Item[] = [];
  private running = false;
  private failure: unknown;

  /** `write` makes a batch of groups durable in one write. */
  constructor(
    private readonly write: (groups: readonly PendingGroup[]) => Promise<void>,
    private readonly name: string,
  ) {}

  commit(records: readonly unknown[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.items.push({ kind: 'group', group: { records }, resolve, reject });
      this.drain();
    });
  }

  /** Runs `run` after everything queued before it, with no write in flight. */
  task<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.items.push({ kind: 'task', run, resolve: resolve as (v: unknown) => void, reject });
      this.drain();
    });
  }

  /** Refuses every later write with this reason (close, fencing). */
  poison(reason: unknown): void {
    this.failure ??= reason;
  }

  get failed(): unknown {
    return this.failure;
  }

  private refused(): Error {
    return new StorageUnavailableError(`${this.name}: refusing writes after an earlier failure`, {
      cause: this.failure,
    });
  }

  private drain(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    while (this.items.length > 0) {
      const first = this.items[0]!;
      if (first.kind === 'task') {
        this.items.shift();
        if (this.failure !== undefined) first.reject(this.refused());
        else {
          try {
            first.resolve(await first.run());
          } catch (error) {
            // Tasks write too (meta, rotation, truncation): an unknown outcome stops all writes.
            this.failure ??= error;
            first.reject(error);
          }
        }
        continue;
      }
      let n = 0;
      while (n < this.items.length && this.items[n]!.kind === 'group') n++;
      const batch = this.items.splice(0, n) as Extract<Item, { kind: 'group' }>[];
      if (this.failure !== undefined) {
        for (const item of batch) item.reject(this.refused());
        continue;
      }
      try {
        await this.write(batch.map((item) => item.group));
        for (const item of batch) item.resolve();
      } catch (error) {
        this.failure ??= error;
        for (const item of batch) item.reject(error);
      }
    }
    this.running = false;
  }
}
