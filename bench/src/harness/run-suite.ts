import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { shapeResultFile } from './result-file.js';
import type { BenchSuite } from './suite.js';
import { formatTable, toRows } from './table.js';

export const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

export interface RunOptions {
  readonly quick: boolean;
  /** Where `<name>.json` goes; `undefined` writes nothing. */
  readonly resultsDir: string | undefined;
}

/**
 * Runs one suite in this process: measure, stamp machine and date, write the record (via a temp
 * file and a rename, so an interrupted run never leaves half a JSON file), print the table.
 */
export async function runSuite(suite: BenchSuite, options: RunOptions): Promise<void> {
  const machine = describeMachine();
  const date = new Date();
  process.stdout.write(`\n## ${suite.name}: ${suite.description}\n`);
  process.stdout.write(
    `   ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryMb} MiB, node ${machine.node}`,
  );
  process.stdout.write(
    `, load ${machine.loadAverage1m}${options.quick ? ', QUICK (sizes reduced)' : ''}\n\n`,
  );
  const output = await suite.run({
    quick: options.quick,
    log: (message) => process.stderr.write(`[${suite.name}] ${message}\n`),
  });
  process.stdout.write(`${formatTable(toRows(output))}\n`);
  if (options.resultsDir === undefined) return;
  mkdirSync(options.resultsDir, { recursive: true });
  const file = join(options.resultsDir, `${suite.name}.json`);
  writeFileSync(
    `${file}.tmp`,
    `${JSON.stringify(shapeResultFile(suite.name, date, machine, output), null, 2)}\n`,
  );
  renameSync(`${file}.tmp`, file);
  process.stdout.write(`\nwrote ${file}\n`);
}
