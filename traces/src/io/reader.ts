/**
 * Reading trace files. `readTrace` is what the simulator consumes: an async iterable of checked,
 * typed records in file order that stops at the first bad line with an error naming the line and
 * field. `validateTrace` reads to the end and collects every problem instead.
 */
import { UserError } from '@borealis/core';
import { formatTraceProblem, TraceLineParser, type TraceProblem } from '../format/line-parser.js';
import type { TraceHeader, TraceRecord } from '../format/record.js';
import { readLineBatches } from './lines.js';

/** A bad trace line: a user error whose message is `FILE: line N: field: message`. */
export class TraceError extends UserError {
  constructor(
    readonly file: string,
    readonly problem: TraceProblem,
  ) {
    super(`${file}: ${formatTraceProblem(problem)}`);
    this.name = 'TraceError';
  }
}

export interface OpenTrace {
  readonly header: TraceHeader;
  /** The records after the header; iterate once. Breaking out early closes the file; a trace never iterated keeps it open. */
  readonly records: AsyncIterable<TraceRecord>;
}

/** The records of a trace file (header checked, not yielded). Throws TraceError at the first bad line. */
export async function* readTrace(path: string): AsyncGenerator<TraceRecord, void, undefined> {
  for await (const item of readChecked(path)) if (item.kind === 'record') yield item.record;
}

/** Reads the header, then hands out the records; for callers that need the trace name up front. */
export async function openTrace(path: string): Promise<OpenTrace> {
  const it = readChecked(path);
  const first = await it.next();
  if (first.done || first.value.kind !== 'header') throw new Error('unreachable: the header comes first');
  const header = first.value.header;
  async function* rest(): AsyncGenerator<TraceRecord, void, undefined> {
    try {
      for (let n = await it.next(); !n.done; n = await it.next()) {
        if (n.value.kind === 'record') yield n.value.record;
      }
    } finally {
      await it.return(undefined);
    }
  }
  return { header, records: rest() };
}

type Checked = { kind: 'header'; header: TraceHeader } | { kind: 'record'; record: TraceRecord };

async function* readChecked(path: string): AsyncGenerator<Checked, void, undefined> {
  const parser = new TraceLineParser();
  let line = 0;
  for await (const batch of readLineBatches(path)) {
    for (const text of batch) {
      line++;
      const r = parser.parse(text, line);
      if (r.kind === 'record' || r.kind === 'header') yield r;
      else if (r.kind === 'problems') throw new TraceError(path, r.problems[0]!);
    }
  }
  const end = parser.finish(line);
  if (end.length) throw new TraceError(path, end[0]!);
}

export interface ValidationReport {
  readonly lines: number;
  readonly records: number;
  readonly header?: TraceHeader;
  /** The first `limit` problems. */
  readonly problems: readonly TraceProblem[];
  /** All problems, including those past the limit. */
  readonly problemCount: number;
}

/** Reads the whole file and reports every problem (keeping the first `limit`). */
export async function validateTrace(path: string, limit = 100): Promise<ValidationReport> {
  const parser = new TraceLineParser();
  const problems: TraceProblem[] = [];
  let problemCount = 0;
  let line = 0;
  let records = 0;
  const note = (ps: readonly TraceProblem[]): void => {
    for (const p of ps) {
      problemCount++;
      if (problems.length < limit) problems.push(p);
    }
  };
  for await (const batch of readLineBatches(path)) {
    for (const text of batch) {
      line++;
      const r = parser.parse(text, line);
      if (r.kind === 'record') records++;
      else if (r.kind === 'problems') note(r.problems);
    }
  }
  note(parser.finish(line));
  return { lines: line, records, header: parser.header, problems, problemCount };
}
