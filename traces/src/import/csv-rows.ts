/**
 * Input files for importers: a path may be one file or a folder of `part-*.csv(.gz)` shards
 * (Google's layout), read in name order. Rows are split on commas (none of the supported
 * formats quotes fields); gzip is detected per file.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@borealis/core';
import { readLines } from '../io/lines.js';

export async function inputFiles(path: string, pattern = /\.(csv|csv\.gz|gz)$/): Promise<string[]> {
  const s = await stat(path).catch(() => {
    throw new UserError(`cannot read ${path}: no such file or folder`);
  });
  if (!s.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => pattern.test(n)).sort();
  if (names.length === 0) throw new UserError(`${path}: no input files in this folder`);
  return names.map((n) => join(path, n));
}

export interface Row {
  readonly file: string;
  readonly line: number;
  readonly fields: string[];
}

/** Every non-empty line of every file of `path`, split into fields. */
export async function* csvRows(path: string, opts: { header?: boolean } = {}): AsyncGenerator<Row> {
  for (const file of await inputFiles(path)) {
    let line = 0;
    for await (const text of readLines(file)) {
      line++;
      if (opts.header && line === 1) continue;
      if (text.length === 0) continue;
      yield { file, line, fields: text.split(',') };
    }
  }
}

/** A number from a CSV field, or undefined when empty or not a number. */
export function num(field: string | undefined): number | undefined {
  if (field === undefined || field.trim() === '') return undefined;
  const n = Number(field);
  return Number.isFinite(n) ? n : undefined;
}

/** Makes any string a valid Aurora identifier part (letters, digits, _ - .). */
export function identifier(text: string): string {
  const s = text.replace(/[^\w\-.]/g, '_');
  return s.length ? s : '_';
}
