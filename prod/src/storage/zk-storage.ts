import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import {
  getChildren,
  getData,
  isNoNode,
  mkdirp,
  multi,
  type ZkClient,
  ZkError,
  type ZkOp,
  zkCode,
} from '../zk/client.js';
import { readBackup, type StoreContent, writeBackup } from './backup-format.js';
import { CommitQueue, type PendingGroup } from './commit-queue.js';
import { ConfigEncoder, configRef, decodeRecord } from './config-dedup.js';
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
} from './types.js';
import { epochPath } from './zk-epoch.js';

/**
 * The ZooKeeper backend. Under ROOT (e.g. /borealis/CLUSTER/storage):
 *
 *   epoch                 fencing token = this znode's version (zk-epoch.ts)
 *   meta                  {"generation": G, "values": {...}}
 *   snapshot              pointer {"seq": S, "pieces": N, "bytes": B} to the current snapshot
 *   snapshots/S-I         the snapshot's gzipped image lines, 512 KB per piece
 *   log/SEQ               one commit record per write: 0x00 + gzip(payload), or
 *                         0x01 + {"pieces": N} with the payload in chunks/SEQ-I
 *   chunks/SEQ-I          512 KB pieces of a large write (ignored until their commit record exists)
 *   configs/HASH          a task configuration, stored once (config-dedup.ts)
 *
 * Every write is a multi starting with check(epoch, token): a deposed leader's writes all fail.
 */
export interface ZkStorageOptions {
  /** The fencing token from bumpEpoch (the leader's epoch). */
  readonly epoch: number;
  /** Piece size for chunks and snapshots (below ZooKeeper's ~1 MB request limit). */
  readonly pieceBytes?: number;
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const pad = (seq: number) => String(seq).padStart(12, '0');
const INLINE = 0;
const CHUNKED = 1;
/** Multis stay below this many bytes of data (ZooKeeper refuses requests above ~1 MB). */
const MULTI_BYTES = 900 * 1024;
const REMOVALS_PER_MULTI = 200;

interface Payload {
  readonly seq: number;
  readonly groups: readonly (readonly unknown[])[];
}

export class ZkStorage implements Storage {
  readonly kind = 'zookeeper';
  readonly description: string;
  private readonly queue: CommitQueue;
  private readonly encoder = new ConfigEncoder();
  private readonly pieceBytes: number;
  private nextSeq = 0;
  private metaState: StoreMeta = { generation: 0, values: {} };
  private recovered = false;
  private busy: string | undefined;
  /** Configs referred to by groups at or after the pending snapshot's seq (kept by its GC). */
  private referencedSinceSnapshot = new Set<string>();

  constructor(
    private readonly client: ZkClient,
    private readonly root: string,
    private readonly options: ZkStorageOptions,
  ) {
    this.description = `zookeeper:${root} (epoch ${options.epoch})`;
    this.pieceBytes = options.pieceBytes ?? 512 * 1024;
    this.queue = new CommitQueue((groups) => this.writeGroups(groups), this.description);
  }

  meta(): StoreMeta {
    return this.metaState;
  }

  private path(...parts: string[]): string {
    return [this.root, ...parts].join('/');
  }

  /** Runs ops as one multi fenced by the epoch; a moved epoch becomes a clear error. */
  private async fenced(ops: readonly ZkOp[]): Promise<void> {
    try {
      await multi(this.client, [
        { op: 'check', path: epochPath(this.root), version: this.options.epoch },
        ...ops,
      ]);
    } catch (error) {
      if (zkCode(error) === ZkError.BAD_VERSION || zkCode(error) === ZkError.NO_NODE) {
        const code = zkCode(error) === ZkError.BAD_VERSION ? 'the epoch moved on' : 'a node is missing';
        throw new StorageUnavailableError(
          `${this.description}: write refused (${code}; another leader may have taken over)`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private async removeAll(paths: readonly string[]): Promise<void> {
    for (let i = 0; i < paths.length; i += REMOVALS_PER_MULTI) {
      await this.fenced(
        paths.slice(i, i + REMOVALS_PER_MULTI).map((path) => ({ op: 'remove', path }) as const),
      );
    }
  }

  async recover(): Promise<Recovered> {
    if (this.recovered) throw new Error(`${this.description}: recover() called twice`);
    for (const dir of ['log', 'chunks', 'snapshots', 'configs', 'meta', 'snapshot'])
      await mkdirp(this.client, this.path(dir));
    const { content, generation, garbage, configs } = await this.read();
    this.metaState = { generation: generation + 1, values: content.values };
    await this.fenced([
      { op: 'set', path: this.path('meta'), data: Buffer.from(JSON.stringify(this.metaState)) },
    ]);
    await this.removeAll(garbage);
    this.encoder.reset(configs);
    this.referencedSinceSnapshot = new Set(configs);
    this.nextSeq = content.nextSeq;
    this.recovered = true;
    return {
      snapshot: content.snapshot,
      groups: content.groups,
      meta: this.metaState,
      nextSeq: this.nextSeq,
      torn: undefined,
    };
  }

  commit(records: readonly unknown[]): Promise<void> {
    if (!this.recovered) return Promise.reject(this.notRecovered('commit'));
    return this.queue.commit(records);
  }

  /** One fenced multi for the batch when it fits; otherwise fenced chunk multis, then the commit multi. */
  private async writeGroups(groups: readonly PendingGroup[]): Promise<void> {
    await this.writeBatch(
      this.nextSeq,
      groups.map((g) => g.records),
    );
    this.nextSeq += groups.length;
  }

  private async writeBatch(seq: number, groups: readonly (readonly unknown[])[]): Promise<void> {
    const fresh = new Map<string, unknown>();
    const payload: Payload = {
      seq,
      groups: groups.map((records) => records.map((record) => this.encoder.encode(record, fresh))),
    };
    const data = await gzipAsync(Buffer.from(JSON.stringify(payload)));
    const configOps: ZkOp[] = [...fresh].map(([hash, config]) => ({
      op: 'create',
      path: this.path('configs', hash),
      data: Buffer.from(JSON.stringify(config)),
    }));
    const configBytes = configOps.reduce((n, op) => n + (op.op === 'create' ? op.data.length : 0), 0);
    const commitPath = this.path('log', pad(seq));
    if (data.length + configBytes + 1 <= MULTI_BYTES && data.length <= this.pieceBytes) {
      await this.fenced([
        ...configOps,
        { op: 'create', path: commitPath, data: Buffer.concat([Buffer.of(INLINE), data]) },
      ]);
    } else {
      let batch: ZkOp[] = [];
      let bytes = 0;
      const flush = async () => {
        if (batch.length > 0) await this.fenced(batch);
        batch = [];
        bytes = 0;
      };
      const pieces: ZkOp[] = [];
      for (let i = 0, at = 0; at < data.length; i++, at += this.pieceBytes) {
        pieces.push({
          op: 'create',
          path: this.path('chunks', `${pad(seq)}-${i}`),
          data: data.subarray(at, at + this.pieceBytes),
        });
      }
      for (const op of [...configOps, ...pieces]) {
        const size = op.op === 'create' ? op.data.length : 0;
        if (bytes + size > MULTI_BYTES) await flush();
        batch.push(op);
        bytes += size;
      }
      await flush();
      const manifest = Buffer.from(JSON.stringify({ pieces: pieces.length, bytes: data.length }));
      await this.fenced([
        { op: 'create', path: commitPath, data: Buffer.concat([Buffer.of(CHUNKED), manifest]) },
      ]);
    }
    this.encoder.markStored(fresh.keys());
    for (const records of payload.groups) {
      for (const record of records) {
        const hash = configRef(record);
        if (hash) this.referencedSinceSnapshot.add(hash);
      }
    }
  }

  async writeSnapshot(image: unknown): Promise<void> {
    if (!this.recovered) throw this.notRecovered('writeSnapshot');
    this.claim('writing a snapshot');
    try {
      const seq = await this.queue.task(async () => {
        this.referencedSinceSnapshot = new Set();
        return this.nextSeq;
      });
      let pieces = 0;
      async function* lines(): AsyncGenerator<string> {
        yield* imageLines(image);
      }
      const bytes = await gzipTo(
        lines(),
        async (piece) => {
          await this.fenced([
            { op: 'create', path: this.path('snapshots', `${pad(seq)}-${pieces}`), data: piece },
          ]);
          pieces++;
        },
        this.pieceBytes,
      );
      await this.queue.task(async () => {
        const pointer = Buffer.from(JSON.stringify({ seq, pieces, bytes }));
        await this.fenced([{ op: 'set', path: this.path('snapshot'), data: pointer }]);
        // Truncate behind it: the log below seq, older snapshots, configs only those groups used.
        const log = (await getChildren(this.client, this.path('log'))).filter((n) => Number(n) < seq);
        const chunks = (await getChildren(this.client, this.path('chunks'))).filter(
          (n) => Number(n.split('-')[0]) < seq,
        );
        const snaps = (await getChildren(this.client, this.path('snapshots'))).filter(
          (n) => Number(n.split('-')[0]) !== seq,
        );
        const configs = (await getChildren(this.client, this.path('configs'))).filter(
          (hash) => !this.referencedSinceSnapshot.has(hash),
        );
        await this.removeAll([
          ...log.map((n) => this.path('log', n)),
          ...chunks.map((n) => this.path('chunks', n)),
          ...snaps.map((n) => this.path('snapshots', n)),
          ...configs.map((n) => this.path('configs', n)),
        ]);
        this.encoder.reset(this.referencedSinceSnapshot);
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
      await this.fenced([{ op: 'set', path: this.path('meta'), data: Buffer.from(JSON.stringify(next)) }]);
      this.metaState = next;
    });
  }

  async backup(toFile: string): Promise<BackupSummary> {
    this.claim('writing a backup');
    try {
      const { content } = await this.queue.task(() => this.read());
      return await writeBackup(toFile, content);
    } finally {
      this.busy = undefined;
    }
  }

  async restoreFrom(file: string): Promise<void> {
    const content = await readBackup(file);
    this.claim('restoring a backup');
    try {
      await this.queue.task(async () => {
        // Until the restore is complete, recovery refuses the store (never an empty one).
        const onZk =
          (await this.readJson<StoreMeta>(this.path('meta')).catch(() => undefined)) ?? this.metaState;
        const generation = Math.max(Number(onZk.generation) || 0, this.metaState.generation);
        const marker = { generation, values: onZk.values ?? {}, restoring: file };
        await this.fenced([
          { op: 'set', path: this.path('meta'), data: Buffer.from(JSON.stringify(marker)) },
        ]);
        const all: string[] = [];
        for (const dir of ['log', 'chunks', 'snapshots', 'configs']) {
          for (const name of await getChildren(this.client, this.path(dir))) all.push(this.path(dir, name));
        }
        await this.removeAll(all);
        this.encoder.reset();
        let pointer = Buffer.alloc(0);
        if (content.hasSnapshot) {
          let pieces = 0;
          const bytes = await gzipTo(
            imageLines(content.snapshot),
            async (piece) => {
              const path = this.path('snapshots', `${pad(content.snapshotSeq)}-${pieces++}`);
              await this.fenced([{ op: 'create', path, data: piece }]);
            },
            this.pieceBytes,
          );
          pointer = Buffer.from(JSON.stringify({ seq: content.snapshotSeq, pieces, bytes }));
        }
        await this.fenced([{ op: 'set', path: this.path('snapshot'), data: pointer }]);
        for (const group of content.groups) await this.writeBatch(group.seq, [group.records]);
        const meta = { generation: generation + 1, values: content.values };
        await this.fenced([{ op: 'set', path: this.path('meta'), data: Buffer.from(JSON.stringify(meta)) }]);
        this.queue.poison(new StorageUnavailableError(`${this.description}: restored; recover() again`));
        this.recovered = false;
      });
    } finally {
      this.busy = undefined;
    }
  }

  async close(): Promise<void> {
    await this.queue.task(async () => undefined).catch(() => undefined);
    this.queue.poison(new StorageUnavailableError(`${this.description}: closed`));
  }

  private notRecovered(what: string): Error {
    return new StorageUnavailableError(`${this.description}: ${what}() needs recover() first`);
  }

  private claim(what: string): void {
    if (this.busy)
      throw new StorageUnavailableError(`${this.description}: cannot start ${what} while ${this.busy}`);
    this.busy = what;
  }

  private async readJson<T>(path: string): Promise<T | undefined> {
    try {
      const { data } = await getData(this.client, path);
      if (data.length === 0) return undefined;
      return JSON.parse(data.toString('utf8')) as T;
    } catch (error) {
      if (isNoNode(error)) return undefined;
      if (error instanceof SyntaxError) throw new StorageCorruptError(path, 0, 'not JSON');
      throw error;
    }
  }

  /** Reads the store without changing it; lists what recovery may delete (garbage). */
  private async read(): Promise<{
    content: StoreContent;
    generation: number;
    garbage: string[];
    configs: string[];
  }> {
    const meta = (await this.readJson<StoreMeta & { restoring?: string }>(this.path('meta'))) ?? {
      generation: 0,
      values: {},
    };
    if (meta.restoring !== undefined) {
      throw new StorageUnavailableError(
        `${this.description}: a restore from ${meta.restoring} was interrupted; run the restore again`,
      );
    }
    const pointer = await this.readJson<{ seq: number; pieces: number }>(this.path('snapshot'));
    const snapshotSeq = pointer?.seq ?? 0;
    let snapshot: unknown;
    if (pointer) snapshot = await this.readSnapshot(pointer.seq, pointer.pieces);
    const garbage: string[] = [];
    const logNames = (await getChildren(this.client, this.path('log'))).sort();
    const groups: ChangeGroup[] = [];
    const configs = new Map<string, unknown>();
    let expected = snapshotSeq;
    for (const name of logNames) {
      const path = this.path('log', name);
      const seq = Number(name);
      const payload = await this.readCommit(path);
      if (seq + payload.groups.length <= snapshotSeq) {
        garbage.push(path);
        continue;
      }
      if (payload.seq !== seq || seq !== expected) {
        throw new StorageCorruptError(
          path,
          0,
          `log entry for group ${payload.seq} where group ${expected} was expected`,
        );
      }
      for (const [k, records] of payload.groups.entries()) {
        const decoded: unknown[] = [];
        for (const record of records) {
          const hash = configRef(record);
          if (hash && !configs.has(hash)) {
            const config = await this.readJson<unknown>(this.path('configs', hash));
            if (config === undefined)
              throw new StorageCorruptError(path, 0, `refers to config ${hash}, which is missing`);
            configs.set(hash, config);
          }
          const out = decodeRecord(record, configs);
          if ('missing' in out) throw new StorageCorruptError(path, 0, `unknown config ${out.missing}`);
          decoded.push(out.record);
        }
        groups.push({ seq: seq + k, records: decoded });
      }
      expected = seq + payload.groups.length;
    }
    // Chunks without a commit record (a write cut off by a crash or a lost epoch) and other leftovers.
    const committed = new Set(logNames);
    for (const name of await getChildren(this.client, this.path('chunks'))) {
      const owner = name.split('-')[0] ?? '';
      if (!committed.has(owner) || Number(owner) < snapshotSeq) garbage.push(this.path('chunks', name));
    }
    for (const name of await getChildren(this.client, this.path('snapshots'))) {
      if (Number(name.split('-')[0]) !== (pointer ? snapshotSeq : -1))
        garbage.push(this.path('snapshots', name));
    }
    const storedConfigs = await getChildren(this.client, this.path('configs'));
    return {
      content: {
        values: meta.values,
        snapshot,
        hasSnapshot: pointer !== undefined,
        snapshotSeq,
        groups,
        nextSeq: expected,
      },
      generation: meta.generation,
      garbage,
      configs: storedConfigs,
    };
  }

  private async readCommit(path: string): Promise<Payload> {
    const { data } = await getData(this.client, path);
    let compressed: Buffer;
    if (data[0] === INLINE) compressed = data.subarray(1);
    else if (data[0] === CHUNKED) {
      const manifest = JSON.parse(data.subarray(1).toString('utf8')) as { pieces: number };
      const seq = path.slice(path.lastIndexOf('/') + 1);
      const parts: Buffer[] = [];
      for (let i = 0; i < manifest.pieces; i++) {
        const piece = this.path('chunks', `${seq}-${i}`);
        try {
          parts.push((await getData(this.client, piece)).data);
        } catch (error) {
          if (isNoNode(error))
            throw new StorageCorruptError(piece, 0, `chunk ${i} of ${manifest.pieces} is missing`);
          throw error;
        }
      }
      compressed = Buffer.concat(parts);
    } else throw new StorageCorruptError(path, 0, `unknown commit record kind ${data[0]}`);
    try {
      return JSON.parse((await gunzipAsync(compressed)).toString('utf8')) as Payload;
    } catch (error) {
      throw new StorageCorruptError(path, 0, `unreadable commit record: ${(error as Error).message}`);
    }
  }

  private async readSnapshot(seq: number, pieces: number): Promise<unknown> {
    const client = this.client;
    const path = (i: number) => this.path('snapshots', `${pad(seq)}-${i}`);
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < pieces; i++) {
        try {
          yield (await getData(client, path(i))).data;
        } catch (error) {
          if (isNoNode(error))
            throw new StorageCorruptError(path(i), 0, `snapshot piece ${i} of ${pieces} is missing`);
          throw error;
        }
      }
    }
    const image = new ImageBuilder();
    const where = (n: number) => `snapshot ${this.path('snapshots', pad(seq))} line ${n}`;
    try {
      for await (const { line, number } of gunzipLines(Readable.from(source()), where)) {
        const problem = image.accept(line);
        if (problem) throw new Error(`${where(number)}: ${problem}`);
      }
    } catch (error) {
      if (error instanceof StorageCorruptError) throw error;
      throw new StorageCorruptError(path(0), 0, (error as Error).message);
    }
    return image.result();
  }
}
