/**
 * What a benchmark suite is. A suite measures one area (core, placement, sim, ...) and returns its
 * figures as plain JSON data; the harness adds the machine and the date, writes the file and prints
 * the table. Suites never write files or print tables themselves.
 */

/** One flat-ish record of figures: numbers, strings, booleans, or nested records of those. */
export type Figures = { readonly [key: string]: FigureValue };
export type FigureValue = number | string | boolean | null | Figures | readonly FigureValue[];

/**
 * A suite returns either one record (written as `results`) or a list of entries (each written as its
 * own record with `suite`, `date` and `machine` stamped in). Lists suit suites whose figures are a
 * grid (policy × workload × size) that later tools filter and compare.
 */
export type SuiteOutput = Figures | readonly Figures[];

export interface SuiteContext {
  /**
   * `--quick`: shrink sizes so the suite finishes in seconds (for checking that it runs). Quick runs
   * print their table but never write results, so the committed record only holds full runs.
   */
  readonly quick: boolean;
  /** Progress lines for long suites (stderr, so stdout stays the table). */
  log(message: string): void;
}

export interface BenchSuite {
  /** File name of the results (`bench/results/<name>.json`) and the CLI selector. `[a-z0-9-]+`. */
  readonly name: string;
  /** One line: what is measured and at what size. */
  readonly description: string;
  run(context: SuiteContext): Promise<SuiteOutput> | SuiteOutput;
}
