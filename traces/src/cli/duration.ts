/** Duration flags on the `trace` command line, in the grammar of core's parseDuration. */
import { parseDuration, UserError } from '@borealis/core';

/** A commander argument parser for a duration flag longer than zero. */
export function positiveDuration(flag: string) {
  return (v: string): number => {
    const ms = parseDuration(v);
    if (ms === undefined || ms <= 0) {
      throw new UserError(
        `${flag} must be a positive duration (e.g. 90m, 2h, 1d or milliseconds), got "${v}"`,
      );
    }
    return ms;
  };
}
