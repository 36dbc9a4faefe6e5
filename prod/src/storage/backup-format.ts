import { createReadStream, promises as fsp } from 'node:fs';
import { gunzipLines, gzipTo, ImageBuilder, imageLines } from './image-codec.js';
import type { BackupSummary, ChangeGroup, Json } from './types.js';

/**
 * Everything a store holds, as read without changing it: what backup() writes and restoreFrom()
 * reads, whichever backend. The backup file is gzipped JSON lines:
 *
 *   ["borealis-backup", 1, {"values": META, "snapshotSeq": S, "nextSeq": N, "snapshot": true|false}]
 *   image lines (see image-codec.ts), when there is a snapshot
 *   ["g", SEQ, RECORDS]   each group after the snapshot, configs written out in full
 */
export interface StoreContent {
  readonly values: Readonly<Record<string, Json>>;
  readonly snapshot: unknown;
  readonly hasSnapshot: boolean;
  /** The first seq the snapshot does not cover. */
  readonly snapshotSeq: number;
  readonly groups: readonly ChangeGroup[];
  readonly nextSeq: number;
}

const MAGIC = 'borealis-backup';

export async function writeBackup(file: string, content: StoreContent): Promise<BackupSummary> {
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await fsp.open(tmp, 'w', 0o644);
  let bytes = 0;
  try {
    async function* lines(): AsyncGenerator<string> {
      const header = {
        values: content.values,
        snapshotSeq: content.snapshotSeq,
        nextSeq: content.nextSeq,
        snapshot: content.hasSnapshot,
      };
      yield `${JSON.stringify([MAGIC, 1, header])}\n`;
      if (content.hasSnapshot) yield* imageLines(content.snapshot);
      for (const group of content.groups) yield `${JSON.stringify(['g', group.seq, group.records])}\n`;
    }
    bytes = await gzipTo(lines(), async (piece) => {
      await handle.write(piece);
    });
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(tmp, file);
  return { file, bytes, groups: content.groups.length, snapshot: content.hasSnapshot };
}

export async function readBackup(file: string): Promise<StoreContent> {
  const where = (n: number) => `backup ${file} line ${n}`;
  let header:
    | { values: Record<string, Json>; snapshotSeq: number; nextSeq: number; snapshot: boolean }
    | undefined;
  const image = new ImageBuilder();
  const groups: ChangeGroup[] = [];
  let expected = 0;
  for await (const { line, number } of gunzipLines(createReadStream(file), where)) {
    if (number === 1 || header === undefined) {
      if (line[0] !== MAGIC || line[1] !== 1) throw new Error(`${where(number)}: not a Borealis backup (v1)`);
      header = line[2] as typeof header;
      if (!header || typeof header.snapshotSeq !== 'number' || typeof header.nextSeq !== 'number') {
        throw new Error(`${where(number)}: header lacks snapshotSeq / nextSeq`);
      }
      expected = header.snapshotSeq;
      continue;
    }
    if (line[0] === 'g') {
      const seq = line[1];
      if (seq !== expected)
        throw new Error(`${where(number)}: group ${String(seq)} where ${expected} was expected`);
      if (!Array.isArray(line[2])) throw new Error(`${where(number)}: group records are not an array`);
      groups.push({ seq, records: line[2] });
      expected++;
      continue;
    }
    const problem = image.accept(line);
    if (problem) throw new Error(`${where(number)}: ${problem}`);
  }
  if (!header) throw new Error(`backup ${file} is empty`);
  return {
    values: header.values ?? {},
    snapshot: header.snapshot ? image.result() : undefined,
    hasSnapshot: header.snapshot,
    snapshotSeq: header.snapshotSeq,
    groups,
    nextSeq: Math.max(header.nextSeq, expected),
  };
}
