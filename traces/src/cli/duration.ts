/**
 * Durations on the `trace` command line, in the same grammar as `borealis sim run --until`:
 * `90m`, `36h`, `2d`, `30s`, `250ms`, or a plain number of milliseconds. (sim/ has its own copy of
 * this grammar; traces cannot import sim, which depends on traces.)
 */
import { UserError } from '@borealis/core';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;

/** Integer milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] ?? 1));
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The shortest exact spelling of `ms` in that grammar (for trace headers): 2h, 90m, 1500. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

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
