/**
 * Streams the lines of a text file, gunzipping on the fly when the file starts with the gzip
 * magic bytes (so `.gz` files and misnamed ones both work). Memory is one chunk plus its lines.
 * Breaking out of the loop closes the file.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '@borealis/core';
import { LineSplitter } from './line-splitter.js';

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

/**
 * The lines of the file (without their `\n`, `\r\n` or `\r` terminators), a decoded chunk's
 * worth at a time: readers that loop over each batch synchronously avoid an await per line.
 */
export async function* readLineBatches(path: string): AsyncGenerator<string[]> {
  const input = await openText(path);
  input.setEncoding('utf8');
  const splitter = new LineSplitter();
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const lines = splitter.push(chunk);
      if (lines.length > 0) yield lines;
    }
    const last = splitter.end();
    if (last.length > 0) yield last;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(
      `cannot read ${path}: ${e.code === 'Z_DATA_ERROR' ? 'corrupt gzip data' : e.message}`,
    );
  } finally {
    input.destroy();
  }
}

/** Every line of the file, without its line terminator (`\n`, `\r\n` or a lone `\r`, as node:readline). */
export async function* readLines(path: string): AsyncGenerator<string> {
  for await (const lines of readLineBatches(path)) yield* lines;
}
