import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIfNeeded } from './bundle.js';

describe('buildIfNeeded', () => {
  let dist = '';
  afterAll(async () => {
    if (dist) await rm(dist, { recursive: true, force: true });
  });

  it('survives two builds racing into the same folder and then reuses the bundle', async () => {
    dist = await mkdtemp(join(tmpdir(), 'borealis-bundle-'));
    const [a, b] = await Promise.all([buildIfNeeded(dist), buildIfNeeded(dist)]);
    expect(a.dir).toBe(b.dir);
    expect(a.js).toBe(b.js);
    expect(a.js.length).toBeGreaterThan(10_000);
    expect(a.css).toContain('.tooltip');
    // One bundle folder, no temporary leftovers.
    expect(await readdir(dist)).toEqual([a.dir.split('/').at(-1)]);
    const again = await buildIfNeeded(dist);
    expect(again.dir).toBe(a.dir);
  });
});
