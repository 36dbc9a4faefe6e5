import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../storage/index.js';

const BOREALIS = fileURLToPath(new URL('../../../cli/bin/borealis.mjs', import.meta.url));

function borealis(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BOREALIS, ...args], (error, out, err) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-store-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('borealis admin backup|restore', () => {
  it('copies a stopped store to a file and back, advancing the generation, and refuses a running one', async () => {
    const source = join(dir, 'source');
    const store = openStorage({ kind: 'file', dir: source });
    const first = await store.recover();
    await store.commit([
      { kind: 'quota-set', role: 'www', quota: { cpu: 10, ramMb: 1024, diskMb: 0, gpus: 0 } },
    ]);
    await store.commit([{ kind: 'job-removed', job: 'www/prod/old' }]);
    await store.setMeta('mesosFrameworkId', 'fw-1');

    // While a scheduler holds the store, a backup is refused with one line naming the holder.
    const locked = await borealis('admin', 'backup', '--storage', `file:${source}`, join(dir, 'x.bak'));
    expect(locked.code).not.toBe(0);
    expect(locked.err).toMatch(/^borealis: .*lock/im);
    expect(locked.err).not.toMatch(/\n\s+at /);
    await store.close();

    const backup = join(dir, 'store.bak');
    const made = await borealis('admin', 'backup', '--storage', `file:${source}`, backup);
    expect(made.err).toBe('');
    expect(made.out).toMatch(/backup written: .*2 log groups/);

    const target = join(dir, 'target');
    const restored = await borealis('admin', 'restore', '--storage', `file:${target}`, backup);
    expect(restored.out).toMatch(/store restored/);
    const again = openStorage({ kind: 'file', dir: target });
    const read = await again.recover();
    expect(read.groups.map((g) => g.records)).toEqual([
      [{ kind: 'quota-set', role: 'www', quota: { cpu: 10, ramMb: 1024, diskMb: 0, gpus: 0 } }],
      [{ kind: 'job-removed', job: 'www/prod/old' }],
    ]);
    expect(read.meta.values.mesosFrameworkId).toBe('fw-1');
    expect(read.meta.generation).toBeGreaterThan(first.meta.generation);
    await again.close();
  });
});
