import { fail, ok, type Result } from '@borealis/core';
import type { ZkClient } from '../zk/client.js';
import { FileStorage } from './file-storage.js';
import type { FsOps } from './fs-ops.js';
import type { Storage } from './types.js';
import { ZkStorage } from './zk-storage.js';

/** Where the store lives, as `--storage` names it: `file:DIR` or `zookeeper`. */
export type StorageSpec = { readonly kind: 'file'; readonly dir: string } | { readonly kind: 'zookeeper' };

export function parseStorageSpec(text: string, where = '--storage'): Result<StorageSpec> {
  if (text === 'zookeeper') return ok({ kind: 'zookeeper' });
  if (text.startsWith('file:')) {
    const dir = text.slice('file:'.length);
    if (dir === '') return fail(where, '"file:" needs a directory (file:DIR)');
    return ok({ kind: 'file', dir });
  }
  return fail(where, `"${text}" is not a storage (expected file:DIR or zookeeper)`);
}

export interface OpenStorageOptions {
  /** File backend: the file operations (tests inject counting ones). */
  readonly fs?: FsOps;
  /** ZooKeeper backend: the session, the store's root znode and the leader's epoch (bumpEpoch). */
  readonly zookeeper?: { readonly client: ZkClient; readonly root: string; readonly epoch: number };
}

/**
 * Opens a store (the file backend takes its directory's lock here and throws a
 * StorageUnavailableError naming the holder when another process has it). Call recover() next.
 */
export function openStorage(spec: StorageSpec, options: OpenStorageOptions = {}): Storage {
  if (spec.kind === 'file') return new FileStorage(spec.dir, options.fs ? { fs: options.fs } : {});
  const zk = options.zookeeper;
  if (!zk)
    throw new Error('openStorage: the zookeeper backend needs options.zookeeper (client, root, epoch)');
  return new ZkStorage(zk.client, zk.root, { epoch: zk.epoch });
}
