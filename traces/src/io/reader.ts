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
  /**
   * The records after the header. Iterate this or `batches`, once. Breaking out early closes the
   * file; a trace never iterated keeps it open.
   */
  readonly records: AsyncIterable<TraceRecord>;
  /**
   * The same records a read chunk at a time (about a thousand): for consumers that loop over a
   * batch synchronously, one await per chunk instead of several per record.
   */
  readonly batches: AsyncIterable<readonly TraceRecord[]>;
}

/** The records of a trace file (header checked, not yielded). Throws TraceError at the first bad line. */
export async function* readTrace(path: string): AsyncGenerator<TraceRecord, void, undefined> {
  for await (const batch of readRecordBatches(path, () => {})) yield* batch;
}

/** Reads the header, then hands out the records; for callers that need the trace name up front. */
export async function openTrace(path: string): Promise<OpenTrace> {
  let header: TraceHeader | undefined;
  const it = readRecordBatches(path, (h) => {
    header = h;
  });
  // The header is the first line: it is known once the first batch is read (an empty batch if the
  // file has no records). Problems with it are thrown from here.
  const first = await it.next();
  if (header === undefined) throw new Error('unreachable: the header comes first');
  async function* batches(): AsyncGenerator<TraceRecord[], void, undefined> {
    try {
      if (first.done) return;
      if (first.value.length > 0) yield first.value;
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    } finally {
      await it.return(undefined);
    }
  }
  async function* records(): AsyncGenerator<TraceRecord, void, undefined> {
    for await (const batch of batches()) yield* batch;
  }
  return { header, records: records(), batches: batches() };
}

/**
 * The checked records of the file, one batch per chunk of lines read (the first batch may be
 * empty: it tells the header has been seen). The header goes to `onHeader`. A bad line ends the
 * stream with a TraceError after the records before it.
 */
async function* readRecordBatches(
  path: string,
  onHeader: (header: TraceHeader) => void,
): AsyncGenerator<TraceRecord[], void, undefined> {
  const parser = new TraceLineParser();
  let line = 0;
  let started = false;
  for await (const lines of readLineBatches(path)) {
    const batch: TraceRecord[] = [];
    for (const text of lines) {
      line++;
      const r = parser.parse(text, line);
      if (r.kind === 'record') batch.push(r.record);
      else if (r.kind === 'header') onHeader(r.header);
      else if (r.kind === 'problems') {
        if (batch.length > 0) yield batch;
        throw new TraceError(path, r.problems[0]!);
      }
    }
    if (batch.length > 0 || (!started && parser.header !== undefined)) {
      started = true;
      yield batch;
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

/**
 * Reads the whole file and reports every problem (keeping the first `limit`). `onRecord` sees
 * each valid record with its line number (for checks beyond the format, e.g. instance limits).
 */
export async function validateTrace(
  path: string,
  limit = 100,
  onRecord?: (record: TraceRecord, line: number) => void,
): Promise<ValidationReport> {
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
      if (r.kind === 'record') {
        records++;
        onRecord?.(r.record, line);
      } else if (r.kind === 'problems') note(r.problems);
    }
  }
  note(parser.finish(line));
  return { lines: line, records, header: parser.header, problems, problemCount };
}
