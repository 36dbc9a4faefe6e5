/**
 * A run (or comparison) folder that appears only when it is complete: the run writes into a
 * hidden sibling `.NAME.partial-PID` and `commit()` renames it into place at the end. A run that
 * is interrupted or crashes never leaves a folder that looks like a finished run, and an earlier
 * run in the same place stays whole until the new one replaces it.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '@borealis/core';

/** Files that mark a folder as one Borealis wrote (so replacing it loses nothing of the user's). */
const MARKERS = ['summary.json', 'comparison.json'];

export class StagedFolder {
  readonly staging: string;

  private constructor(readonly final: string) {
    this.staging = join(dirname(final), `.${basename(final)}.partial-${process.pid}`);
  }

  /**
   * Checks that `out` may be (re)written: absent, empty, or an earlier run or comparison folder.
   * Anything else is the user's folder and a usage error (exit 2).
   */
  static prepare(flag: string, out: string): StagedFolder {
    const final = resolve(out);
    const parent = dirname(final);
    if (existsSync(parent) && !statSync(parent).isDirectory()) {
      throw new UserError(`${flag} ${out}: ${parent} is a file, not a folder`, 2);
    }
    if (existsSync(final)) {
      if (!statSync(final).isDirectory())
        throw new UserError(`${flag} ${out}: exists and is not a folder`, 2);
      const names = readdirSync(final);
      if (names.length > 0 && !MARKERS.some((m) => names.includes(m))) {
        throw new UserError(
          `${flag} ${out}: the folder exists and is not a run or comparison folder; choose a new or empty one`,
          2,
        );
      }
    }
    const folder = new StagedFolder(final);
    folder.discard();
    return folder;
  }

  /** Moves the finished folder into place, replacing an earlier run there. */
  commit(): void {
    const old = join(dirname(this.final), `.${basename(this.final)}.old-${process.pid}`);
    const replacing = existsSync(this.final);
    if (replacing) renameSync(this.final, old);
    renameSync(this.staging, this.final);
    if (replacing) rmSync(old, { recursive: true, force: true });
  }

  /** Removes what a run wrote so far (safe to call from a signal handler: synchronous). */
  discard(): void {
    rmSync(this.staging, { recursive: true, force: true });
  }
}
