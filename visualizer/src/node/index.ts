/**
 * Node-side API of the visualizer (`@borealis/visualizer/node`): what `sim run`, `sim compare`
 * and `borealis viz` call. The browser app itself lives in ../app.
 */
import { rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ensureBundle } from './bundle.js';
import { loadComparePayload } from './load-compare.js';
import { INLINE_BUDGETS, loadRunPayload } from './load-run.js';
import { reportHtml } from './report-html.js';

export type { Bundle } from './bundle.js';
export { ensureBundle } from './bundle.js';
export { loadComparePayload } from './load-compare.js';
export type { Budgets } from './load-run.js';
export { INLINE_BUDGETS, loadRunPayload, SERVED_BUDGETS } from './load-run.js';
export { type ServeOptions, serveFolder, type VizServer } from './serve.js';
export { vizCommand } from './viz-command.js';

/** Writes `runDir/report.html` for a run output folder and returns its path. */
export async function writeReport(runDir: string, label?: string): Promise<string> {
  const [bundle, payload] = await Promise.all([
    ensureBundle(),
    loadRunPayload(runDir, INLINE_BUDGETS, label ?? basename(runDir)),
  ]);
  return writeAtomically(join(runDir, 'report.html'), reportHtml(bundle, payload));
}

/** Writes `compareDir/report.html` overlaying the runs of a `sim compare` folder; returns its path. */
export async function writeComparisonReport(compareDir: string, label?: string): Promise<string> {
  const [bundle, payload] = await Promise.all([
    ensureBundle(),
    label === undefined ? loadComparePayload(compareDir) : loadComparePayload(compareDir, label),
  ]);
  return writeAtomically(join(compareDir, 'report.html'), reportHtml(bundle, payload));
}

async function writeAtomically(path: string, text: string): Promise<string> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
  return path;
}
