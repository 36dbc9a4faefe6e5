/**
 * Small field checkers for hand-written schema validation. Hand-written rather than zod because
 * the reader checks a million lines per run (see README "Validation speed"), and because each
 * problem must name the exact field. Checkers fill defaults in place on the parsed object, so
 * the object the reader yields is the one JSON.parse built, unknown fields included.
 */

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export type Obj = Record<string, unknown>;

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `"${v}"` : String(v);

export class FieldChecker {
  readonly problems: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** A finite number ≥ min (integer if asked); fills `dflt` when absent and a default is given. */
  number(
    o: Obj,
    key: string,
    field: string,
    opts: { min?: number; integer?: boolean; dflt?: number; optional?: boolean } = {},
  ): void {
    const v = o[key];
    if (v === undefined) {
      if (opts.dflt !== undefined) o[key] = opts.dflt;
      else if (!opts.optional) this.add(field, 'is required');
      return;
    }
    this.numberValue(v, field, opts);
  }

  numberValue(v: unknown, field: string, opts: { min?: number; integer?: boolean } = {}): boolean {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add(field, `must be a number, got ${describe(v)}`);
      return false;
    }
    if (opts.integer && !Number.isInteger(v)) {
      this.add(field, `must be an integer, got ${v}`);
      return false;
    }
    if (opts.min !== undefined && v < opts.min) {
      this.add(
        field,
        opts.min === 0 ? `must not be negative, got ${v}` : `must be at least ${opts.min}, got ${v}`,
      );
      return false;
    }
    return true;
  }

  string(o: Obj, key: string, field: string, opts: { optional?: boolean } = {}): string | undefined {
    const v = o[key];
    if (v === undefined) {
      if (!opts.optional) this.add(field, 'is required');
      return undefined;
    }
    if (typeof v !== 'string' || v.length === 0) {
      this.add(field, `must be a non-empty string, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  boolean(o: Obj, key: string, field: string, dflt?: boolean): void {
    const v = o[key];
    if (v === undefined) {
      if (dflt !== undefined) o[key] = dflt;
      return;
    }
    if (typeof v !== 'boolean') this.add(field, `must be true or false, got ${describe(v)}`);
  }

  oneOf<T extends string>(
    o: Obj,
    key: string,
    field: string,
    allowed: readonly T[],
    dflt?: T,
  ): T | undefined {
    const v = o[key];
    if (v === undefined) {
      if (dflt !== undefined) {
        o[key] = dflt;
        return dflt;
      }
      this.add(field, 'is required');
      return undefined;
    }
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.add(field, `must be one of ${allowed.join(', ')}, got ${describe(v)}`);
      return undefined;
    }
    return v as T;
  }

  /** A `{ string: string }` map; absent becomes `{}`. */
  stringMap(o: Obj, key: string, field: string): Record<string, string> | undefined {
    const v = o[key];
    if (v === undefined) {
      const empty = {};
      o[key] = empty;
      return empty;
    }
    if (!isObject(v)) {
      this.add(field, `must be an object of strings, got ${describe(v)}`);
      return undefined;
    }
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'string') this.add(`${field}.${k}`, `must be a string, got ${describe(x)}`);
    }
    return v as Record<string, string>;
  }

  /** A list of non-empty strings; absent becomes `[]` unless required. */
  stringList(o: Obj, key: string, field: string, opts: { required?: boolean } = {}): string[] | undefined {
    const v = o[key];
    if (v === undefined) {
      if (opts.required) {
        this.add(field, 'is required');
        return undefined;
      }
      const empty: string[] = [];
      o[key] = empty;
      return empty;
    }
    if (!Array.isArray(v)) {
      this.add(field, `must be a list of strings, got ${describe(v)}`);
      return undefined;
    }
    v.forEach((x, i) => {
      if (typeof x !== 'string' || x.length === 0)
        this.add(`${field}[${i}]`, `must be a non-empty string, got ${describe(x)}`);
    });
    return v as string[];
  }

  object(o: Obj, key: string, field: string, opts: { optional?: boolean } = {}): Obj | undefined {
    const v = o[key];
    if (v === undefined) {
      if (!opts.optional) this.add(field, 'is required');
      return undefined;
    }
    if (!isObject(v)) {
      this.add(field, `must be an object, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }
}
