import { failMany, ok, type Problem, type Result } from '../model/result.js';

/**
 * A compiled 5-field crontab (`minute hour day-of-month month day-of-week`). Each field is a bit
 * set over its range, so matching a calendar field is one bit test and finding the next allowed
 * value is a scan of at most 60 bits.
 */
export interface Crontab {
  /** The expression as written. */
  readonly source: string;
  /** Bits 0–59. */
  readonly minutes: FieldSet;
  /** Bits 0–23. */
  readonly hours: FieldSet;
  /** Bits 1–31. */
  readonly daysOfMonth: FieldSet;
  /** Bits 1–12. */
  readonly months: FieldSet;
  /** Bits 0–6, Sunday = 0 (7 is folded onto 0). */
  readonly daysOfWeek: FieldSet;
  /**
   * Vixie cron: when both day fields are restricted (neither starts with `*`), a day matches if
   * EITHER matches; otherwise both must match (and the `*` one always does, unless it is a `*∕n`
   * step, which Vixie also treats as unrestricted for this rule).
   */
  readonly dayOr: boolean;
}

/** A set of small non-negative integers (< 64) stored as two 32-bit words. */
export class FieldSet {
  private constructor(
    private readonly low: number,
    private readonly high: number,
  ) {}

  static of(values: Iterable<number>): FieldSet {
    let low = 0;
    let high = 0;
    for (const v of values) {
      if (v < 32) low |= 1 << v;
      else high |= 1 << (v - 32);
    }
    return new FieldSet(low >>> 0, high >>> 0);
  }

  has(v: number): boolean {
    return v < 32 ? ((this.low >>> v) & 1) === 1 : ((this.high >>> (v - 32)) & 1) === 1;
  }

  /** The smallest member ≥ from, or -1. */
  next(from: number): number {
    for (let v = from; v < 64; v++) if (this.has(v)) return v;
    return -1;
  }

  values(): number[] {
    const out: number[] = [];
    for (let v = this.next(0); v !== -1; v = this.next(v + 1)) out.push(v);
    return out;
  }
}

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Index of names[0] in the field's numbering. */
  readonly nameBase?: number;
}

const MINUTE: FieldSpec = { label: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { label: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { label: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = {
  label: 'month',
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  nameBase: 1,
};
// 7 is accepted as a second Sunday and folded onto 0 after parsing.
const DAY_OF_WEEK: FieldSpec = {
  label: 'day-of-week',
  min: 0,
  max: 7,
  names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
  nameBase: 0,
};

/** Vixie cron's shorthands. */
const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Longest month length, for the "can this schedule ever fire" check (Feb counts its leap day). */
const MAX_DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Parses a crontab expression. Problems are reported at `path`, one per bad field, worded like
 * `minute field "61" out of range 0-59`.
 */
export function parseCrontab(text: string, path = 'cron.schedule'): Result<Crontab> {
  const trimmed = text.trim();
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith('@')) {
    return failMany([
      { path, message: `unknown shorthand "${trimmed}" (known: ${Object.keys(MACROS).join(', ')})` },
    ]);
  }
  const fields = expanded.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) {
    return failMany([
      {
        path,
        message: `"${text}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 5 (minute hour day-of-month month day-of-week)`,
      },
    ]);
  }
  const problems: Problem[] = [];
  const specs = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
  const sets = fields.map((field, i) => parseField(field, specs[i]!, path, problems));
  if (problems.length > 0) return failMany(problems);
  const [minutes, hours, dom, months, dowRaw] = sets as [number[], number[], number[], number[], number[]];
  const dow = dowRaw.map((d) => (d === 7 ? 0 : d));
  const domStar = fields[2]!.startsWith('*');
  const dowStar = fields[4]!.startsWith('*');
  const dayOr = !domStar && !dowStar;
  // With only day-of-month restricted, "0 0 30 2 *" would never fire; say so now rather than
  // letting a job sit forever waiting for February 30th.
  if (!dayOr && dowStar && !months.some((m) => dom.some((d) => d <= MAX_DAYS_IN_MONTH[m]!))) {
    return failMany([
      {
        path,
        message: `"${text}" never fires: day-of-month ${fields[2]} does not occur in month ${fields[3]}`,
      },
    ]);
  }
  return ok({
    source: text,
    minutes: FieldSet.of(minutes),
    hours: FieldSet.of(hours),
    daysOfMonth: FieldSet.of(dom),
    months: FieldSet.of(months),
    daysOfWeek: FieldSet.of(dow),
    dayOr,
  });
}

function parseField(field: string, spec: FieldSpec, path: string, problems: Problem[]): number[] {
  const out = new Set<number>();
  const report = (message: string): void => {
    problems.push({ path, message: `${spec.label} field ${message}` });
  };
  for (const part of field.split(',')) {
    if (part.length === 0) {
      report(`"${field}" has an empty list element`);
      continue;
    }
    const slash = part.indexOf('/');
    const rangeText = slash === -1 ? part : part.slice(0, slash);
    let step = 1;
    if (slash !== -1) {
      const stepText = part.slice(slash + 1);
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
        report(`"${part}": step "${stepText}" must be a whole number ≥ 1`);
        continue;
      }
      step = Number(stepText);
    }
    let first: number;
    let last: number;
    if (rangeText === '*') {
      first = spec.min;
      last = spec === DAY_OF_WEEK ? 6 : spec.max;
    } else {
      const dash = rangeText.indexOf('-', 1);
      const a = parseValue(dash === -1 ? rangeText : rangeText.slice(0, dash), spec, report);
      if (a === undefined) continue;
      if (dash === -1) {
        first = a;
        // `5/15` means "from 5 to the end, every 15" (as in cronie); a bare value is just itself.
        last = slash === -1 ? a : spec === DAY_OF_WEEK ? 6 : spec.max;
      } else {
        const b = parseValue(rangeText.slice(dash + 1), spec, report);
        if (b === undefined) continue;
        if (b < a) {
          report(`"${part}": range ${a}-${b} runs backwards`);
          continue;
        }
        first = a;
        last = b;
      }
    }
    for (let v = first; v <= last; v += step) out.add(v);
  }
  return [...out].sort((x, y) => x - y);
}

function parseValue(text: string, spec: FieldSpec, report: (message: string) => void): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) {
      report(`"${text}" out of range ${spec.min}-${spec.max}`);
      return undefined;
    }
    return n;
  }
  const index = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index !== -1) return index + (spec.nameBase ?? 0);
  const expected = spec.names
    ? `a number ${spec.min}-${spec.max} or a name (${spec.names.join(', ')})`
    : `a number ${spec.min}-${spec.max}`;
  report(`"${text}" is not ${expected}`);
  return undefined;
}
