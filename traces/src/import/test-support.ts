/**
 * Helpers for importer tests: temp files for inline fixtures, reading a produced trace back
 * (through the validating reader, so every import test also checks the output is valid v1), and
 * locating the shared real traces (../shared/traces from the repository root).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { TraceRecord } from '../format/record.js';
import { readTrace } from '../io/reader.js';

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'borealis-import-test-'));

  file(name: string, text: string, gzip = false): string {
    const p = join(this.path, name);
    writeFileSync(p, gzip ? gzipSync(text) : text);
    return p;
  }

  out(name = 'out.jsonl'): string {
    return join(this.path, name);
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export async function readAll(path: string): Promise<TraceRecord[]> {
  const out: TraceRecord[] = [];
  for await (const r of readTrace(path)) out.push(r);
  return out;
}

/** /work/shared/traces seen from this repository: `<repo>/../shared/traces`. */
export const SHARED_TRACES = fileURLToPath(new URL('../../../../shared/traces', import.meta.url));
export const sharedTrace = (rel: string): string => join(SHARED_TRACES, rel);
export const haveShared = (rel: string): boolean => existsSync(sharedTrace(rel));

/** Test-title suffix: where the data is read from, or why the tests are skipped. */
export const skipNote = (rel: string): string =>
  haveShared(rel)
    ? ` (${join('../shared/traces', rel)})`
    : ` (SKIPPED: ${sharedTrace(rel)} not found; the real traces live in ../shared/traces beside the repository)`;
