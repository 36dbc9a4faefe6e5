/**
 * The storage boundary of the production scheduler: a snapshot plus a log of change groups, behind
 * one interface with two backends (file, zookeeper). Records are opaque JSON values; the only field
 * storage looks into is a record's `config` (stored once, by content hash: see config-dedup.ts).
 */

/** A JSON value as storage keeps it. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** What one core step produced: its change records, durable together or not at all. */
export interface ChangeGroup {
  /** Position in the log: consecutive, never reused, continues across snapshots and restarts. */
  readonly seq: number;
  readonly records: readonly unknown[];
}

export interface StoreMeta {
  /** Advanced by every recover() and restoreFrom(): tells apart lives of the same store. */
  readonly generation: number;
  /** Small durable values (the Mesos framework id, ...), written by setMeta. */
  readonly values: Readonly<Record<string, Json>>;
}

/** A torn last record cut off during recovery (a crash in the middle of a write). */
export interface TornTail {
  readonly file: string;
  readonly offset: number;
  readonly bytes: number;
}

export interface Recovered {
  /** The last snapshot image, or undefined when none was written yet. */
  readonly snapshot: unknown;
  /** The groups after the snapshot, in order. */
  readonly groups: readonly ChangeGroup[];
  readonly meta: StoreMeta;
  /** The seq the next commit will get. */
  readonly nextSeq: number;
  /** Set when recovery cut off a torn last record (reported, never silent). */
  readonly torn: TornTail | undefined;
}

export interface BackupSummary {
  readonly file: string;
  readonly bytes: number;
  readonly groups: number;
  readonly snapshot: boolean;
}

export interface Storage {
  readonly kind: 'file' | 'zookeeper';
  /** Where the store lives, for logs (`file:/var/lib/borealis`, `zookeeper:h:2181/borealis/c/storage`). */
  readonly description: string;
  /**
   * Reads the snapshot and the groups after it, and advances the generation. Call once, before any
   * other method; the store refuses writes until it has been recovered.
   */
  recover(): Promise<Recovered>;
  /**
   * Makes one change group durable. Concurrent calls while a write is in flight are batched into
   * the next write (one fsync, or one ZooKeeper multi, for all of them); each promise resolves once
   * its group is durable. After any failed write the store refuses further writes (restart and
   * recover): a write whose outcome is unknown must not be followed by others.
   */
  commit(records: readonly unknown[]): Promise<void>;
  /**
   * Stores a snapshot image covering every group committed before this call, then truncates the
   * log behind it. Commits may continue while the image is written.
   */
  writeSnapshot(image: unknown): Promise<void>;
  /** Durably sets one meta value. */
  setMeta(key: string, value: Json): Promise<void>;
  /** The meta values as last recovered or set. */
  meta(): StoreMeta;
  /** Writes the whole store (meta, snapshot, groups) to one file any backend can restore. */
  backup(toFile: string): Promise<BackupSummary>;
  /** Replaces the store's content with a backup file's; call recover() afterwards. */
  restoreFrom(file: string): Promise<void>;
  close(): Promise<void>;
}

/** A problem with the stored data that recovery must not paper over. */
export class StorageCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`storage is corrupt: ${file} at byte ${offset}: ${reason}`);
    this.name = 'StorageCorruptError';
  }
}

/** The store refuses to start or write (locked, fenced, poisoned by an earlier failed write). */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}
