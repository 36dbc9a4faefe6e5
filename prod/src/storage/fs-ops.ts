import { constants, promises as fsp } from 'node:fs';

/**
 * The file operations the file backend makes durable through: one small injectable module, so a
 * test can count the fsyncs a group commit and a snapshot cost (the strace test checks the same
 * from outside the process).
 */
export interface FsOps {
  /** Opens for appending (created when missing). */
  openAppend(path: string): Promise<fsp.FileHandle>;
  /** Writes all of the buffer at the file's end. */
  append(file: fsp.FileHandle, data: Buffer): Promise<void>;
  /** fsync(2) of a file. */
  fsync(file: fsp.FileHandle): Promise<void>;
  /** fsync(2) of a directory, making renames, creations and removals in it durable. */
  fsyncDir(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
}

export const nodeFsOps: FsOps = {
  openAppend: (path) => fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o644),
  append: async (file, data) => {
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await file.write(data, written, data.length - written);
      written += bytesWritten;
    }
  },
  fsync: (file) => file.sync(),
  fsyncDir: async (dir) => {
    const handle = await fsp.open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  truncate: (path, length) => fsp.truncate(path, length),
};

export interface FsCounts {
  fsync: number;
  fsyncDir: number;
  appends: number;
}

/** Wraps `inner`, counting fsyncs of files and of directories (for tests). */
export function countingFsOps(inner: FsOps = nodeFsOps): { ops: FsOps; counts: FsCounts } {
  const counts: FsCounts = { fsync: 0, fsyncDir: 0, appends: 0 };
  return {
    counts,
    ops: {
      ...inner,
      append: (file, data) => {
        counts.appends++;
        return inner.append(file, data);
      },
      fsync: (file) => {
        counts.fsync++;
        return inner.fsync(file);
      },
      fsyncDir: (dir) => {
        counts.fsyncDir++;
        return inner.fsyncDir(dir);
      },
    },
  };
}
