/**
 * Importers see rows in source order, but a trace must be in time order (and a job's record can
 * only be written once its last task has ended). SortedOutput buffers records and writes them
 * sorted by time, stable for equal times. Past `spillAt` records it sorts the buffer into a
 * temporary run file and at the end merges the runs, so memory stays bounded by `spillAt`.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceRecord } from '../format/record.js';
import { readLines } from '../io/lines.js';
import { TraceWriter } from '../io/writer.js';

const byTime = (a: TraceRecord, b: TraceRecord): number => a.t - b.t;

export class SortedOutput {
  private buffer: TraceRecord[] = [];
  private readonly runs: string[] = [];
  private tmp: string | undefined;

  private constructor(
    private readonly writer: TraceWriter,
    private readonly spillAt: number,
  ) {}

  static async create(
    path: string,
    header: { name: string; source: string },
    spillAt = 100_000,
  ): Promise<SortedOutput> {
    return new SortedOutput(await TraceWriter.create(path, header), spillAt);
  }

  async add(record: TraceRecord): Promise<void> {
    this.buffer.push(record);
    if (this.buffer.length >= this.spillAt) await this.spill();
  }

  /** Writes everything in time order and closes the file; returns the number of records. */
  async close(): Promise<number> {
    try {
      // Array.prototype.sort is stable, so equal times keep insertion order within a run.
      this.buffer.sort(byTime);
      if (this.runs.length === 0) {
        for (const r of this.buffer) await this.writer.write(r);
      } else {
        await this.merge();
      }
      await this.writer.close();
      return this.writer.recordsWritten;
    } finally {
      if (this.tmp) await rm(this.tmp, { recursive: true, force: true });
    }
  }

  private async spill(): Promise<void> {
    this.tmp ??= await mkdtemp(join(tmpdir(), 'borealis-import-'));
    this.buffer.sort(byTime);
    const file = join(this.tmp, `run-${this.runs.length}.jsonl`);
    // Written in chunks: one string for the whole run would double the buffer's memory.
    const stream = createWriteStream(file);
    let chunk = '';
    for (const r of this.buffer) {
      chunk += `${r.t}\t${JSON.stringify(r)}\n`;
      if (chunk.length > 1 << 18) {
        if (!stream.write(chunk)) await once(stream, 'drain');
        chunk = '';
      }
    }
    stream.end(chunk);
    await once(stream, 'close');
    this.runs.push(file);
    this.buffer = [];
  }

  /**
   * k-way merge of the spilled runs and the in-memory rest; ties go to the earlier run. Run lines
   * are `t<TAB>json` and are copied to the output without being parsed again.
   */
  private async merge(): Promise<void> {
    const sources: AsyncIterator<Serialized>[] = this.runs.map((f) => runLines(f));
    const rest = this.buffer;
    sources.push(
      (async function* () {
        for (const r of rest) yield { t: r.t, json: JSON.stringify(r) };
      })(),
    );
    const heads: (Serialized | undefined)[] = [];
    for (const s of sources) heads.push((await s.next()).value as Serialized | undefined);
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h && (best < 0 || h.t < heads[best]!.t)) best = i;
      }
      if (best < 0) break;
      const head = heads[best]!;
      await this.writer.writeSerialized(head.t, head.json);
      const n = await sources[best]!.next();
      heads[best] = n.done ? undefined : n.value;
    }
  }
}

interface Serialized {
  readonly t: number;
  readonly json: string;
}

async function* runLines(file: string): AsyncGenerator<Serialized> {
  for await (const line of readLines(file)) {
    const tab = line.indexOf('\t');
    if (tab > 0) yield { t: Number(line.slice(0, tab)), json: line.slice(tab + 1) };
  }
}
