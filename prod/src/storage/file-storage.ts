import { createReadStream, promises as fsp, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readBackup, type StoreContent, writeBackup } from './backup-format.js';
import { CommitQueue, type PendingGroup } from './commit-queue.js';
import { ConfigEncoder, type ConfigTable, decodeRecord } from './config-dedup.js';
import { type DirLock, lockDirectory } from './dir-lock.js';
import { frame, scanFrames } from './frame.js';
import { type FsOps, nodeFsOps } from './fs-ops.js';
import { gunzipLines, gzipTo, ImageBuilder, imageLines } from './image-codec.js';
import {
  type BackupSummary,
  type ChangeGroup,
  type Json,
  type Recovered,
  type Storage,
  StorageCorruptError,
  StorageUnavailableError,
  type StoreMeta,
  type TornTail,
} from './types.js';

/**
 * The file backend: a locked directory holding
 *
 *   LOCK                      owner pid + process start time (dir-lock.ts)
 *   meta.json                 {"generation": G, "values": {...}} (replaced atomically)
 *   snapshot-<S>.gz           image covering groups < S (image-codec.ts lines, gzipped)
 *   log-<F>.seg               framed records (frame.ts), first group F; one record per write:
 *                             {"seq": first, "groups": [[records...], ...], "configs": {hash: config}}
 *
 * A new segment starts at every open and every snapshot, so a segment is only ever appended to by
 * one process life, and configs are defined once per segment before their first use.
 */
export interface FileStorageOptions {
  /** The file operations (inject a counting one in tests). */
  readonly fs?: FsOps;
}

const pad = (seq: number) => String(seq).padStart(12, '0');
const SEGMENT = /^log-(\d{12})\.seg$/;
const SNAPSHOT = /^snapshot-(\d{12})\.gz$/;
const SNAPSHOT_MAGIC = 'borealis-snapshot';

interface Segment {
  readonly name: string;
  readonly first: number;
}

interface LogPayload {
  readonly seq: number;
  readonly groups: readonly (readonly unknown[])[];
  readonly configs?: Record<string, unknown>;
}

interface ReadResult {
  content: StoreContent;
  generation: number;
  torn: TornTail | undefined;
  segments: Segment[];
  snapshots: string[];
}

export class FileStorage implements Storage {
  readonly kind = 'file';
  readonly description: string;
  private readonly fs: FsOps;
  private readonly lock: DirLock;
  private readonly queue: CommitQueue;
  private readonly encoder = new ConfigEncoder();
  private segment: fsp.FileHandle | undefined;
  private nextSeq = 0;
  private metaState: StoreMeta = { generation: 0, values: {} };
  private recovered = false;
  private busy: string | undefined;
  private closed = false;

  constructor(
    readonly dir: string,
    options: FileStorageOptions = {},
  ) {
    this.description = `file:${dir}`;
    this.fs = options.fs ?? nodeFsOps;
    mkdirSync(dir, { recursive: true });
    this.lock = lockDirectory(dir);
    this.queue = new CommitQueue((groups) => this.writeGroups(groups), this.description);
  }

  meta(): StoreMeta {
    return this.metaState;
  }

  async recover(): Promise<Recovered> {
    if (this.recovered) throw new Error(`${this.description}: recover() called twice`);
    const read = await this.read(true);
    const { content } = read;
    // Leftovers of a crash between a snapshot's rename and the truncation behind it.
    const keepFrom = content.snapshotSeq;
    for (const [i, segment] of read.segments.entries()) {
      const next = read.segments[i + 1];
      if (next && next.first <= keepFrom) await fsp.rm(join(this.dir, segment.name), { force: true });
    }
    for (const name of read.snapshots.slice(0, -1)) await fsp.rm(join(this.dir, name), { force: true });
    this.metaState = { generation: read.generation + 1, values: content.values };
    await this.writeMetaFile(this.metaState);
    this.nextSeq = content.nextSeq;
    await this.startSegment(this.nextSeq);
    this.recovered = true;
    return {
      snapshot: content.snapshot,
      groups: content.groups,
      meta: this.metaState,
      nextSeq: this.nextSeq,
      torn: read.torn,
    };
  }

  commit(records: readonly unknown[]): Promise<void> {
    if (!this.recovered) return Promise.reject(this.notRecovered('commit'));
    return this.queue.commit(records);
  }

  async writeSnapshot(image: unknown): Promise<void> {
    if (!this.recovered) throw this.notRecovered('writeSnapshot');
    this.claim('writing a snapshot');
    try {
      // Every group committed before this call is below `seq`; later ones go to the new segment.
      const seq = await this.queue.task(async () => {
        await this.startSegment(this.nextSeq);
        return this.nextSeq;
      });
      const name = `snapshot-${pad(seq)}.gz`;
      const tmp = join(this.dir, `${name}.tmp`);
      await fsp.rm(tmp, { force: true });
      const handle = await this.fs.openAppend(tmp);
      try {
        async function* lines(): AsyncGenerator<string> {
          yield `${JSON.stringify([SNAPSHOT_MAGIC, 1, seq])}\n`;
          yield* imageLines(image);
        }
        await gzipTo(lines(), (piece) => this.fs.append(handle, piece));
        await this.fs.fsync(handle);
      } finally {
        await handle.close();
      }
      await this.fs.rename(tmp, join(this.dir, name));
      await this.fs.fsyncDir(this.dir);
      // The snapshot is durable: drop what it covers. Removals need no fsync: a file that comes
      // back after a crash only holds groups below the snapshot, which recovery skips.
      await this.queue.task(async () => {
        for (const entry of readdirSync(this.dir)) {
          const s = SNAPSHOT.exec(entry);
          const g = SEGMENT.exec(entry);
          if ((s && Number(s[1]) < seq) || (g && Number(g[1]) < seq)) {
            await fsp.rm(join(this.dir, entry), { force: true });
          }
        }
      });
    } finally {
      this.busy = undefined;
    }
  }

  setMeta(key: string, value: Json): Promise<void> {
    if (!this.recovered) return Promise.reject(this.notRecovered('setMeta'));
    return this.queue.task(async () => {
      const next = {
        generation: this.metaState.generation,
        values: { ...this.metaState.values, [key]: value },
      };
      await this.writeMetaFile(next);
      this.metaState = next;
    });
  }

  async backup(toFile: string): Promise<BackupSummary> {
    this.claim('writing a backup');
    try {
      const read = await this.queue.task(() => this.read(false));
      return await writeBackup(toFile, read.content);
    } finally {
      this.busy = undefined;
    }
  }

  async restoreFrom(file: string): Promise<void> {
    const content = await readBackup(file);
    this.claim('restoring a backup');
    try {
      await this.queue.task(async () => {
        await this.segment?.close();
        this.segment = undefined;
        // Until the restore is complete, recovery refuses the directory (never an empty store).
        const onDisk = await this.readMetaFileLoosely();
        const generation = Math.max(onDisk.generation, this.metaState.generation);
        await this.writeMetaFile({ generation, values: onDisk.values, restoring: file });
        for (const entry of readdirSync(this.dir)) {
          if (SEGMENT.test(entry) || SNAPSHOT.test(entry) || entry.endsWith('.tmp')) {
            await fsp.rm(join(this.dir, entry), { force: true });
          }
        }
        await this.fs.fsyncDir(this.dir);
        if (content.hasSnapshot) {
          const name = `snapshot-${pad(content.snapshotSeq)}.gz`;
          const handle = await this.fs.openAppend(join(this.dir, `${name}.tmp`));
          async function* lines(): AsyncGenerator<string> {
            yield `${JSON.stringify([SNAPSHOT_MAGIC, 1, content.snapshotSeq])}\n`;
            yield* imageLines(content.snapshot);
          }
          await gzipTo(lines(), (piece) => this.fs.append(handle, piece));
          await this.fs.fsync(handle);
          await handle.close();
          await this.fs.rename(join(this.dir, `${name}.tmp`), join(this.dir, name));
        }
        this.encoder.reset();
        const log = await this.fs.openAppend(join(this.dir, `log-${pad(content.snapshotSeq)}.seg`));
        for (const group of content.groups) {
          await this.fs.append(log, this.encode(group.seq, [group.records]));
        }
        await this.fs.fsync(log);
        await log.close();
        await this.writeMetaFile({ generation: generation + 1, values: content.values });
        this.queue.poison(new StorageUnavailableError(`${this.description}: restored; recover() again`));
        this.recovered = false;
      });
    } finally {
      this.busy = undefined;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.task(async () => undefined).catch(() => undefined);
    this.queue.poison(new StorageUnavailableError(`${this.description}: closed`));
    await this.segment?.close();
    this.segment = undefined;
    this.lock.release();
  }

  private notRecovered(what: string): Error {
    return new StorageUnavailableError(`${this.description}: ${what}() needs recover() first`);
  }

  private claim(what: string): void {
    if (this.busy)
      throw new StorageUnavailableError(`${this.description}: cannot start ${what} while ${this.busy}`);
    this.busy = what;
  }

  private encode(seq: number, groups: readonly (readonly unknown[])[]): Buffer {
    const fresh = new Map<string, unknown>();
    const encoded = groups.map((records) => records.map((record) => this.encoder.encode(record, fresh)));
    const payload: LogPayload =
      fresh.size > 0
        ? { seq, groups: encoded, configs: Object.fromEntries(fresh) }
        : { seq, groups: encoded };
    this.encoder.markStored(fresh.keys());
    return frame(Buffer.from(JSON.stringify(payload), 'utf8'));
  }

  /** One append and one fsync for the whole batch. */
  private async writeGroups(groups: readonly PendingGroup[]): Promise<void> {
    const segment = this.segment;
    if (!segment) throw new StorageUnavailableError(`${this.description}: no open log segment`);
    const data = this.encode(
      this.nextSeq,
      groups.map((g) => g.records),
    );
    await this.fs.append(segment, data);
    await this.fs.fsync(segment);
    this.nextSeq += groups.length;
  }

  private async startSegment(first: number): Promise<void> {
    await this.segment?.close();
    this.segment = undefined;
    this.segment = await this.fs.openAppend(join(this.dir, `log-${pad(first)}.seg`));
    this.encoder.reset();
    // The new file's directory entry must be durable before a commit in it is acknowledged.
    await this.fs.fsyncDir(this.dir);
  }

  /** meta.json as it is (an interrupted restore's marker included), or the empty meta. */
  private async readMetaFileLoosely(): Promise<StoreMeta> {
    try {
      const meta = JSON.parse(await fsp.readFile(join(this.dir, 'meta.json'), 'utf8')) as StoreMeta;
      return { generation: Number(meta.generation) || 0, values: meta.values ?? {} };
    } catch {
      return { generation: 0, values: {} };
    }
  }

  private async writeMetaFile(meta: StoreMeta & { restoring?: string }): Promise<void> {
    const tmp = join(this.dir, 'meta.json.tmp');
    await fsp.rm(tmp, { force: true });
    const handle = await this.fs.openAppend(tmp);
    try {
      await this.fs.append(handle, Buffer.from(`${JSON.stringify(meta)}\n`));
      await this.fs.fsync(handle);
    } finally {
      await handle.close();
    }
    await this.fs.rename(tmp, join(this.dir, 'meta.json'));
    await this.fs.fsyncDir(this.dir);
  }

  /** Reads the store; `repair` cuts a torn tail off the newest segment (recovery only). */
  private async read(repair: boolean): Promise<ReadResult> {
    const entries = readdirSync(this.dir).sort();
    const snapshots = entries.filter((e) => SNAPSHOT.test(e));
    const segments: Segment[] = entries
      .map((name) => ({ name, m: SEGMENT.exec(name) }))
      .filter((e) => e.m)
      .map((e) => ({ name: e.name, first: Number(e.m![1]) }));
    let generation = 0;
    let values: Record<string, Json> = {};
    try {
      const meta = JSON.parse(await fsp.readFile(join(this.dir, 'meta.json'), 'utf8')) as StoreMeta & {
        restoring?: string;
      };
      if (meta.restoring !== undefined) {
        throw new StorageUnavailableError(
          `storage ${this.dir}: a restore from ${meta.restoring} was interrupted; run the restore again`,
        );
      }
      generation = meta.generation;
      values = { ...meta.values };
    } catch (error) {
      if (error instanceof StorageUnavailableError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StorageCorruptError(
          join(this.dir, 'meta.json'),
          0,
          `unreadable: ${(error as Error).message}`,
        );
      }
    }
    const newest = snapshots.at(-1);
    let snapshot: unknown;
    let snapshotSeq = 0;
    if (newest) {
      snapshotSeq = Number(SNAPSHOT.exec(newest)![1]);
      snapshot = await this.readSnapshot(join(this.dir, newest), snapshotSeq);
    }
    const groups: ChangeGroup[] = [];
    let expected: number | undefined;
    let torn: TornTail | undefined;
    for (const [i, segment] of segments.entries()) {
      const path = join(this.dir, segment.name);
      const bytes = await fsp.readFile(path);
      const last = i === segments.length - 1;
      const configs: ConfigTable = new Map();
      if (expected !== undefined && segment.first !== expected) {
        throw new StorageCorruptError(
          path,
          0,
          `this log file starts at group ${segment.first} but the one before it ends before group ${expected}`,
        );
      }
      expected = segment.first;
      for (const step of scanFrames(bytes)) {
        if (step.kind === 'corrupt') throw new StorageCorruptError(path, step.offset, step.reason);
        if (step.kind === 'torn') {
          if (!last)
            throw new StorageCorruptError(
              path,
              step.offset,
              'record cut off in a log file that is not the newest',
            );
          torn = { file: path, offset: step.offset, bytes: bytes.length - step.offset };
          if (repair) {
            const handle = await fsp.open(path, 'r+');
            await handle.truncate(step.offset);
            await this.fs.fsync(handle);
            await handle.close();
          }
          break;
        }
        let payload: LogPayload;
        try {
          payload = JSON.parse(step.payload.toString('utf8')) as LogPayload;
        } catch {
          throw new StorageCorruptError(path, step.offset, 'record checksum is right but its JSON is not');
        }
        if (payload.seq !== expected) {
          throw new StorageCorruptError(
            path,
            step.offset,
            `group ${payload.seq} where ${expected} was expected`,
          );
        }
        for (const [hash, config] of Object.entries(payload.configs ?? {})) configs.set(hash, config);
        for (const [k, records] of payload.groups.entries()) {
          const seq = payload.seq + k;
          if (seq < snapshotSeq) continue;
          if (groups.length === 0 && seq !== snapshotSeq) {
            throw new StorageCorruptError(
              path,
              step.offset,
              `the log resumes at group ${seq} but the snapshot covers only groups below ${snapshotSeq}`,
            );
          }
          const decoded = records.map((record) => {
            const out = decodeRecord(record, configs);
            if ('missing' in out)
              throw new StorageCorruptError(path, step.offset, `unknown config ${out.missing}`);
            return out.record;
          });
          groups.push({ seq, records: decoded });
        }
        expected = payload.seq + payload.groups.length;
      }
    }
    const nextSeq = Math.max(snapshotSeq, groups.at(-1) ? groups.at(-1)!.seq + 1 : 0, expected ?? 0);
    return {
      content: { values, snapshot, hasSnapshot: newest !== undefined, snapshotSeq, groups, nextSeq },
      generation,
      torn,
      segments,
      snapshots,
    };
  }

  private async readSnapshot(path: string, seq: number): Promise<unknown> {
    const image = new ImageBuilder();
    const where = (n: number) => `${path} line ${n} (uncompressed)`;
    try {
      for await (const { line, number } of gunzipLines(createReadStream(path), where)) {
        if (number === 1) {
          if (line[0] !== SNAPSHOT_MAGIC || line[2] !== seq)
            throw new Error(`${where(1)}: not snapshot ${seq}`);
          continue;
        }
        const problem = image.accept(line);
        if (problem) throw new Error(`${where(number)}: ${problem}`);
      }
    } catch (error) {
      throw new StorageCorruptError(path, 0, (error as Error).message);
    }
    return image.result();
  }
}
