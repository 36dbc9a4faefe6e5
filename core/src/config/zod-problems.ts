import type { z } from 'zod';
import type { Problem } from '../model/result.js';
import { joinPath, type PathSegment } from './field-path.js';

/** Turns zod's issues into problems worded for people editing a job file. */
export function zodProblems(
  error: z.ZodError,
  prefix: string,
  known: (path: PathSegment[]) => string[],
): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const segments = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    const path = joinPath(prefix, ...segments);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const hint = closest(key, known(segments));
          problems.push({
            path: joinPath(path, key),
            message: `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
          });
        }
        break;
      case 'invalid_type':
        problems.push({
          path,
          message:
            issue.input === undefined
              ? `is required (${article(issue.expected)})`
              : `expected ${article(issue.expected)}, got ${describe(issue.input)}`,
        });
        break;
      case 'invalid_value':
        problems.push({
          path,
          message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; got ${describe(issue.input)}`,
        });
        break;
      case 'invalid_union':
        if ('options' in issue && Array.isArray(issue.options)) {
          // a discriminated union whose discriminator matched none of the options
          const options = issue.options as unknown[];
          problems.push({
            path,
            message: `must be one of ${options.map((v) => JSON.stringify(v)).join(', ')}; got ${describe(issue.input)}`,
          });
        } else {
          problems.push({ path, message: issue.message });
        }
        break;
      default:
        // Range checks carry our own wording from the schema ("cpu must be greater than 0").
        problems.push({ path, message: withValue(issue.message, issue.input) });
    }
  }
  return problems;
}

function withValue(message: string, input: unknown): string {
  return input === undefined || typeof input === 'object' ? message : `${message}, got ${describe(input)}`;
}

function article(expected: string): string {
  const noun = expected === 'int' ? 'whole number' : expected;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** The known field nearest to a misspelling, if it is near enough to be a likely typo. */
function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The field names a schema accepts at a path, for "did you mean" hints. */
export function fieldsAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  const shapes = objectsAt(schema, path);
  return [...new Set(shapes.flatMap((s) => Object.keys(s)))];
}

function objectsAt(schema: z.ZodType, path: readonly PathSegment[]): Record<string, z.ZodType>[] {
  const def = (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return objectsAt(def.innerType!, path);
    case 'union':
      return def.options!.flatMap((o) => objectsAt(o, path));
    case 'array':
      return typeof path[0] === 'number' ? objectsAt(def.element!, path.slice(1)) : [];
    case 'object': {
      if (path.length === 0) return [def.shape!];
      const next = def.shape![String(path[0])];
      return next ? objectsAt(next, path.slice(1)) : [];
    }
    default:
      return [];
  }
}

interface ZodDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly options?: z.ZodType[];
  readonly element?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
}
