import type { MachineInfo } from './machine.js';
import type { Figures, SuiteOutput } from './suite.js';

/** The keys the harness owns in every written record; a suite's entries may not use them. */
const STAMPED_KEYS = ['suite', 'date', 'machine'] as const;

export interface ResultRecord {
  readonly suite: string;
  readonly date: string;
  readonly machine: MachineInfo;
  readonly results: Figures;
}

export type StampedEntry = {
  readonly suite: string;
  readonly date: string;
  readonly machine: MachineInfo;
} & Figures;

/**
 * Shapes what goes into `bench/results/<suite>.json`:
 * - a record returned by the suite → `{ suite, date, machine, results }`;
 * - a list of entries → a JSON array, each entry `{ suite, date, machine, ...entry }`.
 */
export function shapeResultFile(
  suite: string,
  date: Date,
  machine: MachineInfo,
  output: SuiteOutput,
): ResultRecord | StampedEntry[] {
  const iso = date.toISOString();
  if (!isEntryList(output)) return { suite, date: iso, machine, results: output };
  return output.map((entry, index) => {
    for (const key of STAMPED_KEYS) {
      if (key in entry) throw new Error(`suite ${suite}: entry ${index} uses the reserved key "${key}"`);
    }
    return { suite, date: iso, machine, ...entry };
  });
}

export function isEntryList(output: SuiteOutput): output is readonly Figures[] {
  return Array.isArray(output);
}
