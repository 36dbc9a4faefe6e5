/** Argument parsers for the `trace` command line's numeric and duration flags. */
import { parseDuration, UserError } from '@borealis/core';

/** A commander argument parser for a duration flag longer than zero. */
export function positiveDuration(flag: string) {
  return (v: string): number => {
    const ms = parseDuration(v);
    if (ms === undefined || ms <= 0) {
      throw new UserError(
        `${flag} must be a positive duration (e.g. 90m, 2h, 1d or milliseconds), got "${v}"`,
        2,
      );
    }
    return ms;
  };
}

export function positiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new UserError(`${flag} must be a positive integer, got "${v}"`, 2);
    return n;
  };
}

export function positiveNumber(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0)
      throw new UserError(`${flag} must be a positive number, got "${v}"`, 2);
    return n;
  };
}
