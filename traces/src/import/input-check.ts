/**
 * Checks an importer's input files before anything is written: each file's first line must fit
 * the columns its flag expects (by header names, or by column count for headerless formats).
 * A file that fits another flag's columns instead is reported as a swap. The error names the
 * expected columns and what the file holds, so a wrong file costs one look, not a run.
 */
import { UserError } from '@borealis/core';
import { readLines } from '../io/lines.js';
import { inputFiles } from './csv-rows.js';

export interface InputSpec {
  /** The command-line flag (or argument name) that gave the path, e.g. `--nodes`. */
  readonly flag: string;
  readonly path: string;
  /** What the file should be, e.g. `openb node list`. */
  readonly what: string;
  /** Headerless: every column in order. With a header: the names that must be present. */
  readonly columns: readonly string[];
  /** True when line 1 names the columns (and columns are then found by name). */
  readonly header: boolean;
  /** Header columns that may be missing (found by name when present). */
  readonly optional?: readonly string[];
}

/** Where each column is in a checked file: name → field index (absent optional columns are missing). */
export interface CheckedInput {
  readonly index: ReadonlyMap<string, number>;
  /** A headerless format's file that starts with a line of column names (to skip). */
  readonly hasHeader: boolean;
}

/** The first non-empty line of the first file of `path`, split on commas (undefined when empty). */
async function firstRow(path: string): Promise<string[] | undefined> {
  const [file] = await inputFiles(path);
  if (file === undefined) return undefined;
  for await (const text of readLines(file)) {
    if (text.trim().length > 0) return text.split(',').map((f) => f.trim());
  }
  return undefined;
}

const sameNames = (fields: readonly string[], columns: readonly string[]): boolean =>
  fields.length === columns.length && fields.every((f, i) => f.toLowerCase() === columns[i]);

function fits(spec: InputSpec, fields: readonly string[]): CheckedInput | undefined {
  if (spec.header) {
    const lower = fields.map((f) => f.toLowerCase());
    if (!spec.columns.every((c) => lower.includes(c))) return undefined;
    const index = new Map<string, number>();
    for (const c of [...spec.columns, ...(spec.optional ?? [])]) {
      const i = lower.indexOf(c);
      if (i >= 0) index.set(c, i);
    }
    return { index, hasHeader: true };
  }
  const index = new Map(spec.columns.map((c, i) => [c, i]));
  if (sameNames(fields, spec.columns)) return { index, hasHeader: true };
  return fields.length === spec.columns.length ? { index, hasHeader: false } : undefined;
}

const expected = (spec: InputSpec): string =>
  spec.header
    ? `a header line with the columns ${spec.columns.join(',')}${
        spec.optional?.length ? ` (optionally ${spec.optional.join(',')})` : ''
      }`
    : `${spec.columns.length} comma-separated columns without a header: ${spec.columns.join(',')}`;

const found = (fields: readonly string[]): string => {
  const shown = fields.length > 12 ? [...fields.slice(0, 12), '…'] : fields;
  return `${fields.length} column${fields.length === 1 ? '' : 's'}: ${shown.join(',')}`;
};

/**
 * Checks every input; throws a UserError naming the expected columns on the first misfit (exit
 * 1), or naming both flags when the files look swapped (a usage error: exit 2).
 */
export async function checkInputs(specs: readonly InputSpec[]): Promise<CheckedInput[]> {
  const rows = await Promise.all(specs.map((s) => firstRow(s.path)));
  return specs.map((spec, i) => {
    const fields = rows[i];
    const where = `${spec.flag} ${spec.path}`;
    if (fields === undefined) {
      throw new UserError(`${where}: the file is empty; expected a ${spec.what} with ${expected(spec)}`);
    }
    const own = fits(spec, fields);
    if (own) return own;
    const other = specs.find((s, j) => j !== i && fits(s, fields) !== undefined);
    if (other) {
      throw new UserError(
        `${where} looks like the ${other.what} that ${other.flag} takes; did you swap ${spec.flag} and ${other.flag}? ` +
          `${spec.flag} expects ${expected(spec)}`,
        2,
      );
    }
    throw new UserError(
      `${where}: not a ${spec.what}: expected ${expected(spec)}; line 1 has ${found(fields)}`,
    );
  });
}
