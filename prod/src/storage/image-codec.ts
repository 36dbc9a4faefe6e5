import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { ConfigEncoder, type ConfigTable, decodeRecord } from './config-dedup.js';

/**
 * A snapshot image as a stream of small JSON lines, gzipped, so an image of a million tasks is
 * never one string (V8 caps strings near 512 MB) and never one buffer in memory at once.
 *
 * The image is a JSON object; each of its fields becomes one line, except fields holding an array
 * or an object, whose elements get a line each (the tasks, the jobs, ...):
 *
 *   ["v", key, value]        a field stored whole
 *   ["a", key]  ["i", elem]  an array field, then its elements in order
 *   ["o", key]  ["k", k, v]  an object field, then its entries
 *   ["c", hash, config]      a task configuration, before the first element that refers to it
 *   ["r", value]             an image that is not an object, stored whole
 *
 * Elements' `config` objects are stored once per image (see config-dedup.ts).
 */

export type Line = readonly unknown[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Yields the image's lines (each ending in '\n'), in batches of roughly 64 KB. */
export async function* imageLines(image: unknown): AsyncGenerator<string> {
  const encoder = new ConfigEncoder();
  let batch = '';
  let count = 0;
  const element = (tag: string, key: string | undefined, value: unknown): string => {
    const fresh = new Map<string, unknown>();
    const encoded = encoder.encode(value, fresh);
    let out = '';
    for (const [hash, config] of fresh) out += `${JSON.stringify(['c', hash, config])}\n`;
    encoder.markStored(fresh.keys());
    out += key === undefined ? JSON.stringify([tag, encoded]) : JSON.stringify([tag, key, encoded]);
    return `${out}\n`;
  };
  if (!isPlainObject(image)) {
    yield `${JSON.stringify(['r', image ?? null])}\n`;
    return;
  }
  for (const [key, value] of Object.entries(image)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      batch += `${JSON.stringify(['a', key])}\n`;
      for (const item of value) {
        batch += element('i', undefined, item);
        if (batch.length >= 65_536) {
          yield batch;
          batch = '';
          // Let the event loop breathe (ZooKeeper pings, commits) on large images.
          if (++count % 16 === 0) await new Promise((r) => setImmediate(r));
        }
      }
    } else if (isPlainObject(value)) {
      batch += `${JSON.stringify(['o', key])}\n`;
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        batch += element('k', k, v);
        if (batch.length >= 65_536) {
          yield batch;
          batch = '';
          if (++count % 16 === 0) await new Promise((r) => setImmediate(r));
        }
      }
    } else {
      batch += `${JSON.stringify(['v', key, value])}\n`;
    }
  }
  if (batch !== '') yield batch;
}

/** Rebuilds an image from its lines; `fail(reason)` names the place when a line makes no sense. */
export class ImageBuilder {
  private image: Record<string, unknown> | undefined = {};
  private root: unknown;
  private array: unknown[] | undefined;
  private object: Record<string, unknown> | undefined;
  private readonly configs: ConfigTable = new Map();

  /** Returns an error message for a line that does not fit, else undefined. */
  accept(line: Line): string | undefined {
    const tag = line[0];
    const image = this.image;
    if (image === undefined) return 'line after the image root';
    switch (tag) {
      case 'v':
        image[String(line[1])] = line[2];
        this.array = undefined;
        this.object = undefined;
        return undefined;
      case 'a':
        this.array = [];
        this.object = undefined;
        image[String(line[1])] = this.array;
        return undefined;
      case 'o':
        this.object = {};
        this.array = undefined;
        image[String(line[1])] = this.object;
        return undefined;
      case 'c':
        this.configs.set(String(line[1]), line[2]);
        return undefined;
      case 'i': {
        if (!this.array) return 'array element outside an array';
        const decoded = decodeRecord(line[1], this.configs);
        if ('missing' in decoded) return `element refers to unknown config ${decoded.missing}`;
        this.array.push(decoded.record);
        return undefined;
      }
      case 'k': {
        if (!this.object) return 'object entry outside an object';
        const decoded = decodeRecord(line[2], this.configs);
        if ('missing' in decoded) return `entry refers to unknown config ${decoded.missing}`;
        this.object[String(line[1])] = decoded.record;
        return undefined;
      }
      case 'r':
        this.root = line[1];
        this.image = undefined;
        return undefined;
      default:
        return `unknown line tag ${JSON.stringify(tag)}`;
    }
  }

  result(): unknown {
    return this.image ?? this.root;
  }
}

/**
 * Gzips text chunks and hands the compressed bytes to `sink` in pieces of about `pieceBytes`
 * (each sink call is awaited before the next, so a slow disk or ZooKeeper holds back the producer).
 */
export async function gzipTo(
  chunks: AsyncIterable<string>,
  sink: (piece: Buffer) => Promise<void>,
  pieceBytes = 1 << 20,
): Promise<number> {
  const gzip = createGzip({ level: 6, chunkSize: 128 * 1024 });
  let total = 0;
  const consume = (async () => {
    let pending: Buffer[] = [];
    let size = 0;
    for await (const data of gzip) {
      let buf = data as Buffer;
      while (size + buf.length >= pieceBytes) {
        const take = pieceBytes - size;
        pending.push(buf.subarray(0, take));
        buf = buf.subarray(take);
        const piece = Buffer.concat(pending);
        total += piece.length;
        await sink(piece);
        pending = [];
        size = 0;
      }
      if (buf.length > 0) {
        pending.push(buf);
        size += buf.length;
      }
    }
    if (size > 0) {
      const piece = Buffer.concat(pending);
      total += piece.length;
      await sink(piece);
    }
  })().catch((error: unknown) => {
    gzip.destroy(error as Error);
    throw error;
  });
  consume.catch(() => undefined); // awaited below; this only keeps an early failure from looking unhandled
  try {
    for await (const chunk of chunks) {
      if (!gzip.write(chunk)) await once(gzip, 'drain');
    }
    gzip.end();
  } catch (error) {
    gzip.destroy(error as Error);
  }
  await consume;
  return total;
}

/** The gunzipped lines of a stream, parsed; `where(n)` names line n in errors. */
export async function* gunzipLines(
  input: Readable,
  where: (lineNumber: number) => string,
): AsyncGenerator<{ line: Line; number: number }> {
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let number = 0;
  const parse = (text: string): Line => {
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch {
      throw new Error(`${where(number)}: not a JSON line`);
    }
    if (!Array.isArray(line)) throw new Error(`${where(number)}: not a JSON array`);
    return line;
  };
  for await (const chunk of gunzip) {
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      number++;
      if (end > start) yield { line: parse(text.slice(start, end)), number };
      start = end + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') {
    number++;
    yield { line: parse(rest), number };
  }
}
