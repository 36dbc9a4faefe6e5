/**
 * Turns the lines of a trace file into typed records or problems, one line at a time: JSON, then
 * the record's own schema (check-record.ts), then its consistency with earlier lines
 * (trace-context.ts). Synchronous and allocation-light so that readers, the validator and the
 * stats pass share one implementation.
 */
import { checkHeader, checkRecord } from './check-record.js';
import { type FieldProblem, isObject } from './field-checks.js';
import type { TraceHeader, TraceRecord } from './record.js';
import { TraceContext } from './trace-context.js';

/** A problem with one line of a trace: where (line, field) and what. */
export interface TraceProblem {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

export type LineResult =
  | { readonly kind: 'header'; readonly header: TraceHeader }
  | { readonly kind: 'record'; readonly record: TraceRecord }
  | { readonly kind: 'blank' }
  | { readonly kind: 'problems'; readonly problems: readonly TraceProblem[] };

const BLANK: LineResult = { kind: 'blank' };

export class TraceLineParser {
  readonly context = new TraceContext();
  private sawHeader = false;
  header: TraceHeader | undefined;

  parse(text: string, line: number): LineResult {
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0)) {
      if (!this.sawHeader && line === 1)
        return problems(line, [{ field: 'header', message: 'line 1 is empty' }]);
      return BLANK;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return problems(line, [{ field: 'json', message: `malformed JSON: ${(err as Error).message}` }]);
    }
    if (!this.sawHeader) {
      this.sawHeader = true;
      const hp = checkHeader(value);
      if (hp.length) return problems(line, hp);
      this.header = value as TraceHeader;
      return { kind: 'header', header: this.header };
    }
    if (!isObject(value)) {
      return problems(line, [{ field: 'record', message: 'each line must be a JSON object' }]);
    }
    const own = checkRecord(value);
    if (own.length) return problems(line, own);
    const record = value as unknown as TraceRecord;
    const ctx = this.context.accept(record);
    if (ctx.length) return problems(line, ctx);
    return { kind: 'record', record };
  }

  /** Problems at end of input (a file without a header line). */
  finish(lastLine: number): TraceProblem[] {
    return this.sawHeader
      ? []
      : [{ line: Math.max(1, lastLine), field: 'header', message: 'the file is empty' }];
  }
}

function problems(line: number, ps: readonly FieldProblem[]): LineResult {
  return { kind: 'problems', problems: ps.map((p) => ({ line, field: p.field, message: p.message })) };
}

export function formatTraceProblem(p: TraceProblem): string {
  return `line ${p.line}: ${p.field}: ${p.message}`;
}
