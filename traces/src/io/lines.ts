/**
 * Streams the lines of a text file, gunzipping on the fly when the file starts with the gzip
 * magic bytes (so `.gz` files and misnamed ones both work). Memory is one chunk plus one line.
 * Breaking out of the loop closes the file.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '@borealis/core';

const cannotRead = (path: string) => (err: NodeJS.ErrnoException) => {
  const why =
    err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a folder, not a file' : err.message;
  throw new UserError(`cannot read ${path}: ${why}`);
};

export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r').catch(cannotRead(path));
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0).catch(cannotRead(path));
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** A readable stream of the file's (decompressed) bytes. */
export async function openText(path: string): Promise<Readable> {
  const gz = await isGzipFile(path);
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  if (!gz) return raw;
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

/** Every line of the file, without its line terminator (`\n` or `\r\n`). */
export async function* readLines(path: string): AsyncGenerator<string> {
  const input = await openText(path);
  input.setEncoding('utf8');
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of rl) yield line;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(
      `cannot read ${path}: ${e.code === 'Z_DATA_ERROR' ? 'corrupt gzip data' : e.message}`,
    );
  } finally {
    rl.close();
    input.destroy();
  }
}
