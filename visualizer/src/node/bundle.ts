import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { viteBuildConfig } from './vite-settings.js';

/**
 * The browser bundle, built on first use so `npx borealis sim run` works straight after
 * `npm ci`. Bundles are content-addressed: visualizer/dist/bundle-<hash of the page's sources>/,
 * so an edited source gets a new bundle and a stale one is never served. Each build writes to a
 * private temporary folder and renames it into place; when two processes build at once, the
 * loser's rename fails because the folder exists and it uses the winner's (identical) bundle.
 */
export interface Bundle {
  readonly dir: string;
  readonly js: string;
  readonly css: string;
}

export const VISUALIZER_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = join(VISUALIZER_ROOT, 'dist');

let cached: Promise<Bundle> | null = null;
let tmpSeq = 0;

export function ensureBundle(): Promise<Bundle> {
  cached ??= buildIfNeeded(DIST).catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

/** Builds into `dist` unless an up-to-date bundle is there. Exported for the concurrency test. */
export async function buildIfNeeded(dist: string): Promise<Bundle> {
  const hash = await sourceHash();
  const dir = join(dist, `bundle-${hash}`);
  if (!(await isComplete(dir))) {
    await mkdir(dist, { recursive: true });
    const tmp = join(
      dist,
      `.tmp-bundle-${process.pid}-${(tmpSeq++).toString(36)}-${Date.now().toString(36)}`,
    );
    try {
      const { build } = await import('vite');
      await build(viteBuildConfig(VISUALIZER_ROOT, tmp));
      await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
        // Another process finished first; its bundle is built from the same sources.
        if ((err.code === 'ENOTEMPTY' || err.code === 'EEXIST') && (await isComplete(dir))) return;
        throw err;
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    await removeStaleBundles(dist, dir);
  }
  const [js, css] = await Promise.all([
    readFile(join(dir, 'app.js'), 'utf8'),
    readFile(join(dir, 'app.css'), 'utf8'),
  ]);
  return { dir, js, css };
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    await Promise.all(['index.html', 'app.js', 'app.css'].map((f) => stat(join(dir, f))));
    return true;
  } catch {
    return false;
  }
}

/** Everything that ends up in the page: sources minus node-only, test and fixture code. */
async function sourceHash(): Promise<string> {
  const files = [
    join(VISUALIZER_ROOT, 'index.html'),
    join(VISUALIZER_ROOT, 'src', 'node', 'vite-settings.ts'),
  ];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node' && entry.name !== 'testing') await walk(path);
      } else if (/\.(ts|css)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
        files.push(path);
      }
    }
  };
  await walk(join(VISUALIZER_ROOT, 'src'));
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(VISUALIZER_ROOT, f));
    h.update('\0');
    h.update(await readFile(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/** Old bundles are removed once they are an hour old, so a process still reading one is safe. */
async function removeStaleBundles(dist: string, keep: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(dist)) {
    const path = join(dist, name);
    if (path === keep || !(name.startsWith('bundle-') || name.startsWith('.tmp-bundle-'))) continue;
    try {
      if (now - (await stat(path)).mtimeMs > 3_600_000) await rm(path, { recursive: true, force: true });
    } catch {
      // Removed concurrently by another process: nothing to do.
    }
  }
}
